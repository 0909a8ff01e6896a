// Snapshots from cameras that speak MQTT themselves (issue #20). The gateway asks with the
// `snapshot` command on the camera's cmd topic; the camera answers with the JPEG itself on
// commune/v1/{id}/snapshot (its own topic only: ingest refuses any other device's, and the
// broker confines every device message, so nobody else ever receives it) and `done` on its
// reply topic. The picture is kept and measured like a probed camera's (keeper.ts), and its
// measures go through ingest as the camera's telemetry, so the same picture alarms judge it.
//
// Refused, acknowledged and dropped (MQTT has no negative acknowledgement; a resent picture
// would come back forever): a picture over the limit, one that is not a JPEG or cannot be
// decoded, one from a device that is not a camera, one sooner than MIN_GAP_MS after the last
// (each costs an ffmpeg run). The camera's pending snapshot command then fails with the reason
// in words, so whoever asked sees why; the picture kept before stays, nothing else is touched.
import type { CommandDispatcher } from '../commands/dispatcher.js'
import type { DeviceChannel } from '../contract/index.js'
import type { DeviceMemory } from '../registry/forgetting.js'
import type { Verdict } from '../ingest/ingest.js'
import type { Device } from '../registry/device.js'
import type { PictureKeeper } from './keeper.js'

/** At most one snapshot a camera per this long is measured (the probe's is one per few minutes). */
export const MIN_GAP_MS = 10_000
const JPEG_START = [0xff, 0xd8, 0xff]
const JPEG_END = [0xff, 0xd9]

export interface MqttSnapshotParts {
  keeper: Pick<PictureKeeper, 'keep'>
  commands: Pick<CommandDispatcher, 'list' | 'handleReply'>
  submit: (deviceId: string, channel: DeviceChannel, body: unknown) => Promise<Verdict>
  maxBytes: number
  now?: () => number
}

const isJpeg = (b: Buffer): boolean =>
  b.length > 4 && JPEG_START.every((x, i) => b[i] === x) && JPEG_END.every((x, i) => b[b.length - 2 + i] === x)

export function mqttSnapshots (parts: MqttSnapshotParts): ((device: Device, jpeg: Buffer) => Promise<Verdict>) & DeviceMemory {
  const now = parts.now ?? Date.now
  const lastAt = new Map<string, number>()

  /** The camera's snapshot command still waiting for its picture fails with this reason. */
  const fail = (device: Device, verdict: Exclude<Verdict, { accepted: true }>): Verdict => {
    const pending = parts.commands.list(device.id, 20).find((c) => c.name === 'snapshot' && ['sent', 'accepted', 'in_progress'].includes(c.status))
    if (pending) parts.commands.handleReply(device.id, { id: pending.id, status: 'failed', reason: verdict.detail.slice(0, 200) })
    return verdict
  }

  const receive = async (device: Device, jpeg: Buffer): Promise<Verdict> => {
    if (device.kind !== 'camera') return { accepted: false, reason: 'not_own_topic', detail: `${device.id} is not a camera: only cameras send snapshots` }
    if (jpeg.length > parts.maxBytes) {
      return fail(device, { accepted: false, reason: 'too_large', detail: `snapshot of ${jpeg.length} bytes is over the limit of ${parts.maxBytes} bytes: send a smaller picture (the sub-stream, 640x360)` })
    }
    if (!isJpeg(jpeg)) return fail(device, { accepted: false, reason: 'not_jpeg', detail: 'the snapshot is not a JPEG (it must start with FF D8 FF and end with FF D9)' })
    const at = now()
    const last = lastAt.get(device.id)
    if (last !== undefined && at - last < MIN_GAP_MS) {
      return fail(device, { accepted: false, reason: 'too_frequent', detail: `snapshot ${at - last} ms after the last one; at most one each ${MIN_GAP_MS / 1000} s` })
    }
    lastAt.set(device.id, at)
    const fields = await parts.keeper.keep(device.id, at, jpeg)
    if (!fields) return fail(device, { accepted: false, reason: 'not_jpeg', detail: 'the snapshot could not be decoded as a picture' })
    // Published as the camera's own reading: the picture rules judge it with its thresholds.
    return parts.submit(device.id, 'telemetry', { ts: at, ...fields })
  }
  // The last snapshot's time per camera is a rate limit; a removed camera's goes with it.
  return Object.assign(receive, { remembers: (id: string) => lastAt.has(id), forget: (id: string) => { lastAt.delete(id) } })
}
