// A full data disk (issue #12). Every part that writes to a database on its own clock
// (presence, alarms, notifications, commands, bulletins, the journal drain) reports a failed
// write here: a full disk is not a bug, it is a state of the box that passes. The part keeps
// what it had and tries again at its next round; this watch keeps one flag for the operator
// (the `gateway_disk_full` gauge, /health), writes one log line a minute however many writes
// fail, and notices by itself when there is room again.
import { statfsSync } from 'node:fs'
import type { Logger } from './log.js'
import { LogLimiter, warnLimited } from './log-limit.js'

/** SQLite's "database or disk is full", or the system's "no space left on device". */
export function isDiskFull (err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === 'SQLITE_FULL' || code === 'ENOSPC'
}

/** While full, the data folder's free space is looked at this often. */
const PROBE_MS = 2000
/** Free space from which writes are expected to go through again. */
const ROOM_BYTES = 1024 * 1024

/** What the parts see of the watch: report a failed write, and whether the disk is full. */
export interface DiskFaults {
  readonly full: boolean
  /**
   * A write failed. True when it failed because the disk is full: the caller keeps what it
   * had and tries again later (logged here, once a minute). False: not a disk problem.
   */
  failed (part: string, err: unknown): boolean
  /** A write went through: the disk has room. */
  ok (): void
}

export class DiskWatch implements DiskFaults {
  private fullSince: number | null = null
  private readonly logLimit = new LogLimiter(60_000, 1)
  private probe: NodeJS.Timeout | null = null

  constructor (private readonly dataDir: string, private readonly log: Logger, private readonly now: () => number = Date.now) {}

  get full (): boolean { return this.fullSince !== null }
  get since (): number | null { return this.fullSince }

  failed (part: string, err: unknown): boolean {
    if (!isDiskFull(err)) return false
    if (this.fullSince === null) {
      this.fullSince = this.now()
      this.probe = setInterval(() => this.look(), PROBE_MS)
      this.probe.unref()
    }
    warnLimited(this.log, this.logLimit, 'disk_full', undefined, {
      part, dataDir: this.dataDir, since: this.fullSince, err: (err as Error).message
    }, 'data disk full: devices are not acknowledged (they keep their readings), other writes wait and are retried', 'error')
    return true
  }

  ok (): void {
    if (this.fullSince === null) return
    warnLimited(this.log, this.logLimit, 'disk_room', undefined, { dataDir: this.dataDir, fullForMs: this.now() - this.fullSince }, 'data disk has room again; writes resume')
    this.fullSince = null
    this.stop()
  }

  stop (): void {
    if (this.probe) clearInterval(this.probe)
    this.probe = null
  }

  /** Free space came back (a file deleted, a log rotated): the parts may write again. */
  private look (): void {
    try {
      const fs = statfsSync(this.dataDir)
      if (fs.bavail * fs.bsize >= ROOM_BYTES) this.ok()
    } catch {
      // The folder is unreadable: the next write says more than statfs could.
    }
  }
}
