// One probe of one camera: RTSP (is it there, does the picture move), ONVIF (what it is,
// is its clock right, is it recording, where its snapshot is when no URL was given) and the
// snapshot URL, side by side, all under one deadline so a dead camera costs its own slot for
// at most that long and nothing more.
import type { CameraEndpoint } from '../../gateway/registry/camera-endpoints.js'
import type { Credentials } from './http-auth.js'
import { isFactoryDefault } from './defaults.js'
import { askOnvif, OnvifError, type OnvifFailure, type OnvifInfo } from './onvif.js'
import { RtspError, type RtspFailure } from './rtsp-client.js'
import { lookAtStream, type RtspLook } from './rtsp-probe.js'
import { checkSnapshot, type SnapshotResult } from './snapshot.js'

export type { CameraEndpoint }

/** The probe's verdict, from RTSP: the stream is what the police need. */
export type ProbeOutcome = 'ok' | RtspFailure

export interface ProbeReport {
  deviceId: string
  at: number
  durationMs: number
  outcome: ProbeOutcome
  /** What went wrong, for people (never holds credentials). */
  detail?: string
  rtsp?: RtspLook
  onvif?: OnvifInfo | { failure: OnvifFailure; detail: string }
  snapshot?: SnapshotResult
  /** The snapshot's JPEG, for the picture checks; never in the API's summary. */
  picture?: Buffer
  /** The configured credentials are a factory default (QCVN 135:2024). */
  defaultPassword: boolean
}

export interface ProbeOptions {
  /** Deadline of the whole probe of one camera, ms. */
  timeoutMs: number
  /** How long the stream is read to see frames advance, ms. */
  watchMs: number
  /** Ends the probe early (the gateway stopping). */
  signal?: AbortSignal
  /** The clock the report is dated by (a test puts the cameras in another hour). */
  now?: () => number
}

export function credentialsOf (endpoint: CameraEndpoint): Credentials | null {
  return endpoint.username === null ? null : { username: endpoint.username, password: endpoint.password ?? '' }
}

export async function probeCamera (endpoint: CameraEndpoint, options: ProbeOptions): Promise<ProbeReport> {
  const at = (options.now ?? Date.now)()
  const started = performance.now()
  const deadline = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline
  const creds = credentialsOf(endpoint)

  const [rtsp, onvif, given] = await Promise.all([
    lookAtStream(endpoint.rtspUrl, creds, { signal, watchMs: options.watchMs }).then(
      (look) => ({ look }),
      (err: unknown) => ({ failure: err instanceof RtspError ? err.failure : 'protocol_error' as const, detail: (err as Error).message })),
    endpoint.onvifUrl === null ? undefined : askOnvif(endpoint.onvifUrl, creds, signal, { snapshotUri: endpoint.snapshotUrl === null }).catch((err: unknown) =>
      ({ failure: err instanceof OnvifError ? err.failure : 'protocol_error' as const, detail: (err as Error).message })),
    endpoint.snapshotUrl === null ? undefined : checkSnapshot(endpoint.snapshotUrl, creds, signal)
  ])
  // No snapshot URL given: the one ONVIF names, if it names one (issue #20).
  const snapshot = given ?? (onvif && 'snapshotUri' in onvif && onvif.snapshotUri ? await checkSnapshot(onvif.snapshotUri, creds, signal) : undefined)

  const report: ProbeReport = {
    deviceId: endpoint.deviceId,
    at,
    durationMs: Math.round(performance.now() - started),
    outcome: 'look' in rtsp ? 'ok' : rtsp.failure,
    defaultPassword: isFactoryDefault(creds)
  }
  if ('look' in rtsp) report.rtsp = rtsp.look
  else report.detail = rtsp.detail
  if (onvif !== undefined) report.onvif = onvif
  if (snapshot !== undefined) report.snapshot = snapshot.result
  if (snapshot?.image) report.picture = snapshot.image
  return report
}
