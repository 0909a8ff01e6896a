// Which snapshots are kept and checked (issue #20). The probe fetches a camera's snapshot at
// every cycle (is the URL alive); every `intervalMs` one is kept, measured against the
// camera's reference and its measures published with the probe's telemetry, where the alarm
// rules (kinds/behaviour/camera-pictures.ts) judge them with the camera's own thresholds.
//
// Staggered: each camera has its own phase in the interval (from its id), so after the first
// round a hundred cameras are not all decoded in the same cycle.
import { createHash } from 'node:crypto'
import { checkPicture, type PictureCheck } from '../../edge/camera-probe/picture.js'
import type { Logger } from '../log.js'
import { LogLimiter, warnLimited } from '../log-limit.js'
import type { SnapshotStore } from './snapshots.js'

export interface PictureKeeperParts {
  store: SnapshotStore
  log: Logger
  /** The measuring tool; ffmpeg by default (a test may count calls). */
  check?: (jpeg: Buffer, referencePath: string | null) => Promise<PictureCheck>
  /** A failed write: the disk-full state (gateway/disk-full.ts) decides whether to log it. */
  diskFailed?: (err: unknown) => boolean
}

interface Memory { checkedAt: number; hash: string; repeats: number }

/** Which of a camera's intervals `at` falls in; each camera's intervals start at its own phase (from its id). */
export function slotOf (deviceId: string, at: number, intervalMs: number): number {
  const phase = createHash('sha1').update(deviceId).digest().readUInt32BE(0) % Math.max(1, Math.round(intervalMs))
  return Math.floor((at - phase) / intervalMs)
}

export class PictureKeeper {
  private readonly memory = new Map<string, Memory>()
  private readonly logLimit = new LogLimiter()
  private readonly check: (jpeg: Buffer, referencePath: string | null) => Promise<PictureCheck>

  constructor (private readonly parts: PictureKeeperParts, private readonly intervalMs: number) {
    this.check = parts.check ?? checkPicture
  }

  /** Whether this camera's snapshot is kept and checked at this probe. */
  due (deviceId: string, at: number): boolean {
    const last = this.memory.get(deviceId)
    if (!last) return true
    return slotOf(deviceId, at, this.intervalMs) > slotOf(deviceId, last.checkedAt, this.intervalMs)
  }

  /** Keeps and measures one snapshot; the fields for the camera's telemetry, or null if the picture is unreadable. */
  async keep (deviceId: string, at: number, jpeg: Buffer): Promise<Record<string, number> | null> {
    const hash = createHash('sha1').update(jpeg).digest('hex')
    const last = this.memory.get(deviceId)
    const repeats = last?.hash === hash ? last.repeats + 1 : 0
    this.memory.set(deviceId, { checkedAt: at, hash, repeats })
    let checked: PictureCheck
    try {
      checked = await this.check(jpeg, this.parts.store.referencePath(deviceId))
    } catch (err) {
      warnLimited(this.parts.log, this.logLimit, 'unreadable', deviceId, { deviceId, err: (err as Error).message }, 'snapshot could not be measured; not kept')
      return null
    }
    try {
      this.parts.store.keep(deviceId, at, jpeg, checked.thumbnail)
    } catch (err) {
      if (!this.parts.diskFailed?.(err)) warnLimited(this.parts.log, this.logLimit, 'not_kept', deviceId, { deviceId, err: (err as Error).message }, 'snapshot not kept')
    }
    const m = checked.measures
    const fields: Record<string, number> = { pictureLuma: m.luma, pictureContrast: m.contrast, pictureRepeats: repeats }
    if (m.blur !== null) fields.pictureBlur = Math.min(1000, m.blur)
    if (m.similarity !== null) fields.pictureSimilarity = Math.max(-1, Math.min(1, m.similarity))
    return fields
  }

  remembers (deviceId: string): boolean {
    return this.memory.has(deviceId)
  }

  /** A camera that is gone: forget its memory (its files stay until it is removed from the registry). */
  forget (deviceId: string): void {
    this.memory.delete(deviceId)
  }
}
