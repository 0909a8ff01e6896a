// The durable journal: what a device's PUBACK promises. Every accepted reading is committed
// to journal.db (journal-file.ts: WAL, synchronous=FULL, so a commit survives a power cut)
// before the broker acknowledges it, and leaves only after the telemetry store confirmed it.
//
// Group commit: appends arriving within `commitMs` (or until `maxBatch`) share one
// transaction and so one disk sync. On an SD card a sync costs milliseconds; one per reading
// would cap ingest at a few hundred per second. While one group is being synced on the
// journal's thread, the next one gathers, and goes as soon as the first is on disk.
//
// Issue #18: the file lives on its own thread, so a slow disk delays PUBACKs but does not stop
// the event loop that reads the sockets. What a commit confirms is handed to the rules, the
// live state and the dashboard (`announce`) after the group's PUBACKs went out, not before;
// the file records how far that went, and a start hands over again what a crash cut off. The
// drain takes fresh entries from memory instead of reading them back.
import type { TelemetryPoint } from '../store/telemetry-store.js'
import { ThreadCalls } from '../store/thread.js'
import { JournalFile, ROW_OVERHEAD, type JournalRow, type JournalTap } from './journal-file.js'
import { inThread, onThread, type JournalBackend } from './backend.js'
import { emptyBatch, FreshEntries, type JournalBatch } from './fresh.js'

export type { JournalTap } from './journal-file.js'
export type { JournalBatch } from './fresh.js'

export class JournalFullError extends Error {
  constructor (usedBytes: number, budgetBytes: number) {
    super(`journal full: ${usedBytes} of ${budgetBytes} bytes used while the telemetry store is behind`)
    this.name = 'JournalFullError'
  }
}

export interface JournalOptions {
  budgetBytes: number
  commitMs: number
  /** An open group commits at once when it reaches this many appends. */
  maxBatch?: number
  /** Also writes each accepted entry elsewhere in this file, in the same transaction (the uplink's outbox); keeps the file on the main thread. */
  tap?: JournalTap
  /** The file on its own thread (default, unless tapped); false keeps it on the caller's. */
  thread?: boolean
  /** Fresh entries the drain may take from memory; beyond, it reads them back from the file. */
  memoryEntries?: number
  /** Committed entries not yet handed over beyond which the next commit waits (ANNOUNCE_BACKLOG). */
  announceBacklog?: number
}

/**
 * Entries handed over per turn of the event loop. Between turns the sockets are read and
 * PUBACKs written: in the soak of issue #18, 26,800 entries handed over in one go, each to a
 * slow alarm rule, stopped every device's acknowledgements for up to 19 s.
 */
const ANNOUNCE_SLICE = 1000
/**
 * Committed entries waiting to be handed over beyond which the next group waits before its
 * commit, and so its devices for their PUBACKs. When the rules cannot keep up, the devices
 * slow down (each keeps what it has not had acknowledged) instead of the gateway's memory
 * growing until it dies.
 */
const ANNOUNCE_BACKLOG = 20_000

/** Hands committed entries over, with what their append carried; runs after their PUBACKs. */
export type Announce = (point: TelemetryPoint, note: unknown) => void

/** One group being gathered: parallel arrays, one shared promise (no object or promise per append). */
class Group {
  readonly points: TelemetryPoint[] = []
  readonly jsons: string[] = []
  readonly notes: unknown[] = []
  bytes = 0
  readonly done: Promise<void>
  settle!: (err?: Error) => void
  constructor () {
    this.done = new Promise((resolve, reject) => { this.settle = (err) => err ? reject(err) : resolve() })
    // Nobody may be listening when a commit fails (every append was refused); the appends that were not get the error.
    this.done.catch(() => undefined)
  }
}

export class Journal {
  private group = new Group()
  private timer: NodeJS.Timeout | null = null
  private committing: Promise<void> | null = null
  private inFlightBytes = 0
  private entries: number
  private bytes: number
  private quarantinedCount: number
  private closed = false
  private readonly maxBatch: number
  /** Fresh committed entries, all newer than `onDiskUpTo`. */
  private readonly fresh: FreshEntries
  /** Entries up to here are only in the file (from before a start, or past the memory's cap). */
  private onDiskUpTo: number
  /** Entries up to here have left (stored or quarantined). */
  private removedUpTo = 0
  /** Entries up to here were handed over; the drain waits for it, so none leaves unannounced. */
  private announcedUpTo: number
  private announce: Announce = () => undefined
  private announceFailed: (err: unknown) => void = () => undefined
  /** Committed groups not yet wholly handed over, oldest first; `next` is the first entry not handed over. */
  private readonly toAnnounce: Array<{ from: number; group: Group; next: number }> = []
  private backlog = 0
  private announceScheduled = false
  private readonly announceBacklog: number
  /** Resolves the commit loop's wait for the backlog to shrink. */
  private roomForCommits: (() => void) | null = null
  private readonly unannounced: JournalRow[]

  private constructor (private readonly backend: JournalBackend, private readonly options: JournalOptions, totals: Awaited<ReturnType<JournalBackend['totals']>>, unannounced: JournalRow[]) {
    this.entries = totals.entries
    this.bytes = totals.bytes
    this.quarantinedCount = totals.quarantined
    this.onDiskUpTo = totals.lastSeq
    this.announcedUpTo = totals.lastSeq
    this.unannounced = unannounced
    this.maxBatch = options.maxBatch ?? 2000
    this.announceBacklog = options.announceBacklog ?? ANNOUNCE_BACKLOG
    this.fresh = new FreshEntries(options.memoryEntries ?? 20_000)
  }

  static async open (file: string, options: JournalOptions): Promise<Journal> {
    const backend = options.tap || options.thread === false
      ? inThread(new JournalFile(file, options.tap))
      : onThread(new ThreadCalls(new URL('./journal-file.ts', import.meta.url), 'JournalFile', [file]))
    const totals = await backend.totals()
    const unannounced = totals.announced < totals.lastSeq ? await backend.read(totals.announced, totals.lastSeq, Number.MAX_SAFE_INTEGER) : []
    return new Journal(backend, options, totals, unannounced)
  }

  /** Entries waiting for the store. */
  get depth (): number { return this.entries }
  get usedBytes (): number { return this.bytes }
  get budgetBytes (): number { return this.options.budgetBytes }
  get usedFraction (): number { return this.bytes / this.options.budgetBytes }
  /** Entries in quarantine. */
  get quarantined (): number { return this.quarantinedCount }

  /**
   * Who hands committed entries over from now on. Returns the entries a crash kept from being
   * handed over before (committed, so acknowledged; in order), for the caller to hand over first.
   */
  onCommitted (announce: Announce, failed: (err: unknown) => void): TelemetryPoint[] {
    this.announce = announce
    this.announceFailed = failed
    return this.unannounced.splice(0).map((row) => JSON.parse(row.point) as TelemetryPoint)
  }

  /**
   * Resolves once the point is on disk; `note` goes to the announcer with it after the PUBACK.
   * Rejects with JournalFullError when the budget is spent: the caller must then not
   * acknowledge, so the device keeps the reading.
   */
  append (point: TelemetryPoint, note?: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal closed'))
    const json = JSON.stringify(point)
    const cost = json.length + ROW_OVERHEAD
    if (this.bytes + this.pendingBytes() + cost > this.options.budgetBytes) {
      return Promise.reject(new JournalFullError(this.bytes, this.options.budgetBytes))
    }
    const group = this.group
    group.points.push(point)
    group.jsons.push(json)
    group.notes.push(note)
    group.bytes += cost
    this.commitSoon(group.points.length >= this.maxBatch ? 0 : this.options.commitMs)
    return group.done
  }

  /** Appended but not yet committed: counted against the budget already. */
  private pendingBytes (): number { return this.group.bytes + this.inFlightBytes }

  private commitSoon (ms: number): void {
    // A commit in flight commits the next group as soon as it is done.
    if (this.committing) return
    if (ms > 0) { this.timer ??= setTimeout(() => { this.timer = null; this.startCommit() }, ms); return }
    this.startCommit()
  }

  private startCommit (): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null }
    if (this.committing) return
    this.committing = this.commitAll().finally(() => {
      this.committing = null
      // Appended between the last group and now (from a promise chain, not a socket).
      if (this.group.points.length > 0) this.commitSoon(this.options.commitMs)
    })
  }

  private async commitAll (): Promise<void> {
    while (this.group.points.length > 0) {
      // Appends keep gathering in the group while it waits.
      while (this.backlog >= this.announceBacklog) await new Promise<void>((resolve) => { this.roomForCommits = resolve })
      const group = this.group
      this.group = new Group()
      this.inFlightBytes = group.bytes
      try {
        const last = await this.backend.commit(group.jsons, this.announcedUpTo, group.points)
        this.committed(group, last)
        group.settle()
      } catch (err) {
        group.settle(err as Error)
      } finally {
        this.inFlightBytes = 0
      }
    }
  }

  private committed (group: Group, last: number): void {
    const n = group.points.length
    const first = last - n + 1
    this.entries += n
    this.bytes += group.bytes
    for (let i = 0; i < n; i++) {
      // Not kept in memory: this one and those before it are read back from the file.
      if (!this.fresh.add(first + i, group.points[i]!, group.jsons[i]!)) this.onDiskUpTo = first + i
    }
    this.toAnnounce.push({ from: first, group, next: 0 })
    this.backlog += n
    this.announceSoon()
  }

  /**
   * After the PUBACKs: the group's promise settles first, aedes writes each PUBACK in that
   * turn, and the sockets are uncorked on the next tick; setImmediate runs after both.
   */
  private announceSoon (): void {
    if (this.announceScheduled || this.toAnnounce.length === 0) return
    this.announceScheduled = true
    setImmediate(() => {
      this.announceScheduled = false
      this.announceSome(ANNOUNCE_SLICE)
      this.announceSoon()
    })
  }

  /** Hands over up to `limit` entries, oldest first. */
  private announceSome (limit: number): void {
    while (limit > 0 && this.toAnnounce.length > 0) {
      const batch = this.toAnnounce[0]!
      const { points, notes } = batch.group
      const end = Math.min(points.length, batch.next + limit)
      for (let i = batch.next; i < end; i++) {
        // One failure must not keep the rest of the group (or the watermark) back.
        try { this.announce(points[i]!, notes[i]) } catch (err) { this.announceFailed(err) }
      }
      limit -= end - batch.next
      this.backlog -= end - batch.next
      batch.next = end
      this.announcedUpTo = batch.from + end - 1
      if (end === points.length) this.toAnnounce.shift()
    }
    if (this.roomForCommits && this.backlog < this.announceBacklog / 2) {
      this.roomForCommits()
      this.roomForCommits = null
    }
  }

  /** The oldest entries, in the order they were acknowledged, once handed over. */
  async read (limit: number): Promise<JournalBatch> {
    if (this.removedUpTo < this.onDiskUpTo) {
      const upTo = Math.min(this.onDiskUpTo, this.announcedUpTo)
      const rows = await this.backend.read(this.removedUpTo, upTo, limit)
      if (rows.length > 0) return { lastSeq: rows.at(-1)!.seq, jsons: rows.map((r) => r.point), points: rows.map((r) => JSON.parse(r.point) as TelemetryPoint) }
      if (upTo < this.onDiskUpTo) return emptyBatch()
      this.removedUpTo = this.onDiskUpTo
    }
    return this.fresh.take(this.announcedUpTo, limit)
  }

  /** Forgets a batch once the store has confirmed it. */
  async remove (batch: JournalBatch): Promise<void> {
    if (batch.points.length === 0) return
    // Counted out at once: the store has them, so they no longer wait, whenever the file's
    // delete is done (should it fail, they are stored again after a restart, which is harmless).
    this.forgot(batch)
    await this.backend.remove(batch.lastSeq)
  }

  /**
   * Moves a batch the store refused for good (a field type conflict, say) out of the way
   * of the entries behind it. It stays in the file, in the quarantine table.
   */
  async quarantine (batch: JournalBatch, reason: string): Promise<void> {
    if (batch.points.length === 0) return
    await this.backend.quarantine(batch.lastSeq, reason, Date.now())
    this.quarantinedCount += batch.points.length
    this.forgot(batch)
  }

  private forgot (batch: JournalBatch): void {
    let freed = 0
    for (const json of batch.jsons) freed += json.length + ROW_OVERHEAD
    this.entries -= batch.points.length
    this.bytes = Math.max(0, this.bytes - freed)
    this.removedUpTo = Math.max(this.removedUpTo, batch.lastSeq)
    this.fresh.forget(batch.lastSeq)
  }

  /** Commits what is gathered, records how far it was handed over, then closes the file. */
  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.timer) { clearTimeout(this.timer); this.timer = null }
    this.startCommit()
    await this.committing
    this.announceSome(Infinity)
    await this.backend.close(this.announcedUpTo)
  }
}
