// The probe against simulated cameras over real sockets: RTSP with Digest and Basic, RTP
// interleaved, ONVIF with WS-UsernameToken, HTTP snapshots; every fault on demand.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { forEachPooled } from '../../edge/camera-probe/pool.js'
import { probeCamera, type CameraEndpoint, type ProbeReport } from '../../edge/camera-probe/prober.js'
import { CameraHost } from '../../simulators/rtsp-camera/host.js'
import type { SimCameraSpec } from '../../simulators/rtsp-camera/camera.js'
import { freePort } from '../support/ports.js'

let host: CameraHost
beforeAll(async () => { host = await CameraHost.start() })
afterAll(async () => { await host.stop() })

const options = { timeoutMs: 4000, watchMs: 600 }
let n = 0

/** A simulated camera and the endpoint the gateway would keep for it (its real credentials unless told). */
function camera (spec: Omit<SimCameraSpec, 'id'> = {}, creds?: { username: string; password: string }): CameraEndpoint {
  const cam = host.add({ id: `cam-${++n}`, ...spec })
  const c = creds ?? cam.credentials
  return { deviceId: cam.id, ...host.urls(cam.id), username: c.username, password: c.password }
}

const onvifInfo = (r: ProbeReport) => (r.onvif && 'clockDriftS' in r.onvif ? r.onvif : null)

test('a healthy camera: stream alive with codec, resolution, fps and bitrate; model, firmware, clock, recording and snapshot', async () => {
  const report = await probeCamera(camera({ fps: 25, kbps: 512 }), options)
  expect(report.outcome).toBe('ok')
  expect(report.rtsp?.track).toMatchObject({ codec: 'H264', width: 1920, height: 1080, clockRate: 90000 })
  expect(report.rtsp?.stream.alive).toBe(true)
  expect(report.rtsp?.stream.fps).toBeGreaterThan(15)
  expect(report.rtsp?.stream.fps).toBeLessThan(35)
  expect(report.rtsp?.stream.bitrateKbps).toBeGreaterThan(200)
  expect(onvifInfo(report)).toMatchObject({ manufacturer: 'HIKVISION', model: 'DS-2CD1023G0-IU', firmware: 'V5.7.3 build 220112', recording: true })
  expect(Math.abs(onvifInfo(report)!.clockDriftS)).toBeLessThanOrEqual(1)
  // A real JPEG of the simulated scene, handed to the picture checks but not kept in the report's summary.
  expect(report.snapshot).toEqual({ ok: true, bytes: report.picture?.length })
  expect(report.picture!.length).toBeGreaterThan(3000)
  expect(report.defaultPassword).toBe(false)
})

test('a camera with ONVIF and no snapshot URL: its snapshot URI is asked of ONVIF\'s media service and the picture fetched from it', async () => {
  const report = await probeCamera({ ...camera(), snapshotUrl: null }, options)
  expect(report.snapshot).toEqual({ ok: true, bytes: report.picture?.length })
  expect(report.picture!.length).toBeGreaterThan(3000)
  // A wrong password is the snapshot's failure too, not a silent "no picture".
  const refused = await probeCamera({ ...camera({}, { username: 'admin', password: 'wrong-password-1' }), snapshotUrl: null }, options)
  expect(refused.picture).toBeUndefined()
})

test('a frozen stream is told apart from a live one: packets still flow, frames do not advance', async () => {
  const [live, frozen] = await Promise.all([
    probeCamera(camera(), options),
    probeCamera(camera({ faults: { frozen: true } }), options)
  ])
  expect(live.rtsp?.stream.alive).toBe(true)
  expect(frozen.outcome).toBe('ok')
  expect(frozen.rtsp?.stream.packets).toBeGreaterThan(10)
  expect(frozen.rtsp?.stream.timestampSteps).toBe(0)
  expect(frozen.rtsp?.stream.changedFrames).toBe(0)
  expect(frozen.rtsp?.stream.alive).toBe(false)
})

test('a stream frozen while the camera runs is seen at the next probe', async () => {
  const endpoint = camera()
  expect((await probeCamera(endpoint, options)).rtsp?.stream.alive).toBe(true)
  host.get(endpoint.deviceId)!.faults.frozen = true
  expect((await probeCamera(endpoint, options)).rtsp?.stream.alive).toBe(false)
})

test('a wrong password is reported as auth_failed by RTSP, ONVIF and the snapshot', async () => {
  const report = await probeCamera(camera({}, { username: 'admin', password: 'not-the-password' }), options)
  expect(report.outcome).toBe('auth_failed')
  expect(report.onvif).toMatchObject({ failure: 'auth_failed' })
  expect(report.snapshot).toEqual({ ok: false, reason: 'auth_failed' })
  expect(report.detail).not.toContain('not-the-password')
})

test('a password changed on the camera is seen at the next probe', async () => {
  const endpoint = camera()
  expect((await probeCamera(endpoint, options)).outcome).toBe('ok')
  host.get(endpoint.deviceId)!.faults.wrongPassword = true
  expect((await probeCamera(endpoint, options)).outcome).toBe('auth_failed')
})

test('Digest and Basic authentication both work', async () => {
  const [digest, basic] = await Promise.all([probeCamera(camera({ auth: 'digest' }), options), probeCamera(camera({ auth: 'basic' }), options)])
  expect(digest.outcome).toBe('ok')
  expect(basic.outcome).toBe('ok')
  expect(basic.snapshot?.ok).toBe(true)
})

test('a hung camera ends at its deadline as timeout, and the cameras probed beside it are not held up', async () => {
  const hung = camera({ faults: { noAnswer: true } })
  const healthy = Array.from({ length: 5 }, () => camera())
  const finished: string[] = []
  const reports = new Map<string, ProbeReport>()
  await forEachPooled([hung, ...healthy], 6, (e) => probeCamera(e, { timeoutMs: 2500, watchMs: 400 }), (report) => {
    finished.push(report.deviceId)
    reports.set(report.deviceId, report)
  })
  expect(reports.get(hung.deviceId)).toMatchObject({ outcome: 'timeout' })
  expect(reports.get(hung.deviceId)!.durationMs).toBeGreaterThanOrEqual(2400)
  for (const e of healthy) expect(reports.get(e.deviceId)?.outcome).toBe('ok')
  // Every healthy camera was done before the hung one gave up.
  expect(finished.at(-1)).toBe(hung.deviceId)
})

test('a camera that does not listen at all is unreachable', async () => {
  const port = await freePort()
  const report = await probeCamera({ deviceId: 'cam-gone', rtspUrl: `rtsp://127.0.0.1:${port}/x`, onvifUrl: `http://127.0.0.1:${port}/onvif/device_service`, snapshotUrl: null, username: 'admin', password: 'x' }, options)
  expect(report.outcome).toBe('unreachable')
  expect(report.onvif).toMatchObject({ failure: 'unreachable' })
})

test('a slow camera is still ok, with its slow answer measured; one slower than the deadline is a timeout', async () => {
  const [slow, tooSlow] = await Promise.all([
    probeCamera(camera({ faults: { slowMs: 250 } }), options),
    probeCamera(camera({ faults: { slowMs: 1500 } }), { timeoutMs: 2000, watchMs: 400 })
  ])
  expect(slow.outcome).toBe('ok')
  expect(slow.rtsp?.responseMs).toBeGreaterThanOrEqual(250)
  expect(tooSlow.outcome).toBe('timeout')
})

describe('clock drift', () => {
  test.each([[3600], [-86_400], [0]])('a camera %i s off is reported with that drift, and ONVIF login still works', async (offset) => {
    const report = await probeCamera(camera({ faults: { clockOffsetS: offset } }), options)
    const info = onvifInfo(report)
    expect(info?.model).toBe('DS-2CD1023G0-IU')
    expect(Math.abs(info!.clockDriftS - offset)).toBeLessThanOrEqual(1)
  })
})

test('factory default credentials are flagged; unique ones are not', async () => {
  const [factory, unique] = await Promise.all([
    probeCamera(camera({ defaultPassword: true }), options),
    probeCamera(camera({ username: 'admin', password: 'Xã-Phong-Thạnh-7f3a' }), options)
  ])
  expect(factory.outcome).toBe('ok')
  expect(factory.defaultPassword).toBe(true)
  expect(unique.defaultPassword).toBe(false)
})

test('recording stopped and a broken snapshot URL are reported', async () => {
  const report = await probeCamera(camera({ faults: { recording: false, snapshotBroken: true } }), options)
  expect(onvifInfo(report)?.recording).toBe(false)
  expect(report.snapshot).toEqual({ ok: false, reason: 'not_an_image' })
})
