// The demo's RTSP/ONVIF cameras (issues #6 and #20): the first cameras of the commune speak
// RTSP/ONVIF instead of MQTT, and the first six of them each show one fault, so the police's
// views have something to show: a factory password, a frozen stream, and one of each picture
// fault (covered, blurred, turned away, night infrared failed: that one shows at night only,
// 18:00-06:00 by the box's clock, as on a real camera). Any more are healthy.
import type { Gateway } from '../gateway/app.js'
import type { CameraFaults, SimCamera } from './rtsp-camera/camera.js'
import type { CameraHost } from './rtsp-camera/host.js'

export interface DemoCamera { id: string; defaultPassword: boolean; faults: Partial<CameraFaults> }

/** One camera for each fault, in this order. */
export const DEMO_CAMERA_FAULTS: ReadonlyArray<{ defaultPassword?: true; faults?: Partial<CameraFaults> }> = [
  { defaultPassword: true },
  { faults: { frozen: true } },
  { faults: { covered: true } },
  { faults: { blurred: true } },
  { faults: { turned: true } },
  { faults: { irFailed: true } }
]

/** The first `count` of these cameras, with their faults. */
export function demoRtspCameras (cameraIds: readonly string[], count = DEMO_CAMERA_FAULTS.length): DemoCamera[] {
  return cameraIds.slice(0, count).map((id, i) => ({ id, defaultPassword: DEMO_CAMERA_FAULTS[i]?.defaultPassword ?? false, faults: { ...DEMO_CAMERA_FAULTS[i]?.faults } }))
}

/**
 * Starts them on the host with their faults and gives the gateway their endpoints. A turned
 * camera is a change from what it should see: it starts healthy, its first snapshot is marked
 * as its reference (as the police would at installation), then it turns; the gateway sees it
 * at its next kept snapshot (GATEWAY_SNAPSHOT_INTERVAL_S, 2 minutes in the demo).
 */
export async function startDemoCameras (gateway: Gateway, host: CameraHost, cameras: readonly DemoCamera[]): Promise<void> {
  const turning: SimCamera[] = []
  for (const camera of cameras) {
    const { turned, ...faults } = camera.faults
    const sim = host.add({ id: camera.id, defaultPassword: camera.defaultPassword, faults })
    gateway.cameraEndpoints.set(camera.id, { ...host.urls(camera.id), ...sim.credentials })
    if (turned) turning.push(sim)
  }
  // A cycle already under way (started with the gateway) is joined, and did not know these cameras: probe again until each has a picture.
  for (let i = 0; i < 5 && turning.some((sim) => gateway.snapshots.latestAt(sim.id) === null); i++) await gateway.cameraProbes.runCycle()
  for (const sim of turning) {
    const at = gateway.snapshots.latestAt(sim.id)
    if (at !== null && gateway.snapshots.reference(sim.id) === null) gateway.snapshots.markReference(sim.id, at, 'system')
    sim.faults.turned = true
  }
}
