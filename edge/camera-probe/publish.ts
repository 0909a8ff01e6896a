// A probe report in the words of the device contract, as if the camera spoke MQTT itself,
// so presence, the store, live state and alarms treat it like any camera.
//
// Presence (gateway/presence) puts a device online when it is heard and offline, after the
// debounce, on an offline status. So:
// - the camera answered with our credentials: status online (with model and firmware from
//   ONVIF), then telemetry: it is heard, as a device publishing is;
// - no answer, a timeout, a wrong password, a broken answer: status offline. Nothing else,
//   because any telemetry or event would count as being heard and keep it online. The
//   debounce (GATEWAY_PRESENCE_DEBOUNCE_S) then keeps one lost probe from paging anyone
//   only if it is longer than the probe interval; see edge/README.md.
// - a fault is an event (auth_failed, unreachable, stream_lost) when a camera that is
//   online fails, sent before the offline status, so it is stored without making an
//   offline camera look online for a moment.
import type { DeviceChannel } from '../../gateway/contract/index.js'
import type { ProbeOutcome, ProbeReport } from './prober.js'

export interface ContractMessage {
  channel: DeviceChannel
  body: Record<string, unknown>
}

/** What the previous probe of the same camera found. */
export interface Previous {
  outcome: ProbeOutcome
  streamAlive?: boolean
}

const cut = (s: string | undefined, n: number): string | undefined => (s === undefined || s === '' ? undefined : s.slice(0, n))

const FAILURE_EVENT: Record<Exclude<ProbeOutcome, 'ok'>, 'auth_failed' | 'unreachable' | 'stream_lost'> = {
  auth_failed: 'auth_failed',
  unreachable: 'unreachable',
  timeout: 'unreachable',
  protocol_error: 'stream_lost'
}

export function telemetryOf (report: ProbeReport): Record<string, unknown> {
  // The probe's start, on the gateway's clock: when it was measured (and not counted as a
  // device with a missing clock in gateway_readings_restamped_total).
  const t: Record<string, unknown> = { ts: report.at, defaultPassword: report.defaultPassword }
  const rtsp = report.rtsp
  if (rtsp) {
    t.streamAlive = rtsp.stream.alive
    // A frozen picture has no frame rate worth the name, whatever the packets say.
    t.fps = rtsp.stream.alive ? Math.min(240, rtsp.stream.fps) : 0
    t.bitrateKbps = Math.min(1_000_000, rtsp.stream.bitrateKbps)
    t.codec = cut(rtsp.track.codec, 16)
    if (rtsp.track.width !== null && rtsp.track.height !== null) t.resolution = `${rtsp.track.width}x${rtsp.track.height}`
    t.rtspResponseMs = Math.min(600_000, rtsp.responseMs)
  }
  if (report.onvif && 'clockDriftS' in report.onvif) {
    t.clockDriftS = report.onvif.clockDriftS
    if (report.onvif.recording !== undefined) t.recording = report.onvif.recording
  }
  if (report.snapshot) t.snapshotOk = report.snapshot.ok
  return t
}

export function messagesFor (report: ProbeReport, previous: Previous | undefined, online: boolean): ContractMessage[] {
  if (report.outcome !== 'ok') {
    const messages: ContractMessage[] = []
    if (online && previous?.outcome !== report.outcome) {
      messages.push({ channel: 'event', body: { ts: report.at, type: FAILURE_EVENT[report.outcome], message: cut(`probe: ${report.detail ?? report.outcome}`, 200) } })
    }
    messages.push({ channel: 'status', body: { state: 'offline' } })
    return messages
  }
  const info = report.onvif && 'clockDriftS' in report.onvif ? report.onvif : undefined
  const status: Record<string, unknown> = { state: 'online' }
  const firmware = cut(info?.firmware, 64)
  const model = cut(info?.model, 64)
  if (firmware) status.firmware = firmware
  if (model) status.model = model
  const messages: ContractMessage[] = [{ channel: 'status', body: status }, { channel: 'telemetry', body: telemetryOf(report) }]
  const alive = report.rtsp?.stream.alive
  if (alive === false && previous?.streamAlive !== false) {
    messages.push({ channel: 'event', body: { ts: report.at, type: 'stream_lost', message: 'probe: frames do not advance (frozen picture)' } })
  } else if (alive === true && previous?.streamAlive === false) {
    messages.push({ channel: 'event', body: { ts: report.at, type: 'stream_restored' } })
  }
  return messages
}

/** A report as the API shows it to the people setting a camera up: the verdict and what was measured. */
export function probeSummary (report: ProbeReport): Record<string, unknown> {
  return {
    at: report.at,
    durationMs: report.durationMs,
    outcome: report.outcome,
    detail: report.detail ?? null,
    onvif: report.onvif && 'failure' in report.onvif ? { failure: report.onvif.failure, detail: report.onvif.detail } : report.onvif ?? null,
    snapshot: report.snapshot ?? null,
    readings: report.outcome === 'ok' ? Object.fromEntries(Object.entries(telemetryOf(report)).filter(([k]) => k !== 'ts')) : null
  }
}
