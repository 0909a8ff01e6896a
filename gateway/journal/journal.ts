// The durable journal: what a device's PUBACK promises. Every accepted reading is committed
// here (its own SQLite file, WAL, synchronous=FULL, so a commit survives a power cut) before
// the broker acknowledges it, and leaves only after the telemetry store confirmed it.
//
// Group commit: appends arriving within `commitMs` (or until `maxBatch`) share one
// transaction and so one disk sync. On an SD card a sync costs milliseconds; one per reading
// would cap ingest at a few hundred per second.
import type { Statement } from 'better-sqlite3'
import { openDatabase, type Db } from '../db/database.js'
import type { TelemetryPoint } from '../store/telemetry-store.js'

const MIGRATIONS = [
  'CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, point TEXT NOT NULL)',
  // Entries the store refused for what they are (not for being down): kept for a person.
  'CREATE TABLE quarantine (seq INTEGER PRIMARY KEY, point TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL)'
]
/** What an entry costs beyond its JSON text, in characters ≈ bytes (row header, key, page slack), for the budget. */
const ROW_OVERHEAD = 24

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
  /** Also writes each accepted entry elsewhere in this file, in the same transaction (the uplink's outbox). */
  tap?: JournalTap
}

/** Given the journal's database once, returns what to call per entry inside each commit. */
export interface JournalTap {
  attach (db: Db): (point: TelemetryPoint, json: string) => void
}

export interface JournalEntry {
  seq: number
  point: TelemetryPoint
  /** What the entry counts against the budget. */
  cost: number
}

interface Pending {
  point: TelemetryPoint
  json: string
  resolve: () => void
  reject: (err: Error) => void
}

export class Journal {
  private readonly db: Db
  private readonly insert: Statement<[string]>
  private readonly readFrom: Statement<[number, number], { seq: number; point: string }>
  private readonly removeUpTo: Statement<[number]>
  private readonly toQuarantine: Statement<[string, number, number]>
  private pending: Pending[] = []
  private timer: NodeJS.Timeout | null = null
  private entries: number
  private bytes: number
  private closed = false
  private readonly maxBatch: number
  private readonly tapped: ((point: TelemetryPoint, json: string) => void) | null

  constructor (file: string, private readonly options: JournalOptions) {
    this.db = openDatabase(file, { synchronous: 'FULL', migrations: MIGRATIONS })
    this.insert = this.db.prepare('INSERT INTO entries (point) VALUES (?)')
    this.readFrom = this.db.prepare('SELECT seq, point FROM entries WHERE seq > ? ORDER BY seq LIMIT ?')
    this.removeUpTo = this.db.prepare('DELETE FROM entries WHERE seq <= ?')
    this.toQuarantine = this.db.prepare('INSERT OR IGNORE INTO quarantine (seq, point, reason, at) SELECT seq, point, ?, ? FROM entries WHERE seq <= ?')
    const totals = this.db.prepare<[], { n: number; bytes: number | null }>(
      'SELECT count(*) AS n, sum(length(point)) AS bytes FROM entries').get()!
    this.entries = totals.n
    this.bytes = (totals.bytes ?? 0) + totals.n * ROW_OVERHEAD
    this.maxBatch = options.maxBatch ?? 2000
    this.tapped = options.tap?.attach(this.db) ?? null
  }

  /** Entries waiting for the store. */
  get depth (): number { return this.entries }
  get usedBytes (): number { return this.bytes }
  get budgetBytes (): number { return this.options.budgetBytes }
  get usedFraction (): number { return this.bytes / this.options.budgetBytes }

  /**
   * Resolves once the point is on disk. Rejects with JournalFullError when the budget is
   * spent: the caller must then not acknowledge, so the device keeps the reading.
   */
  append (point: TelemetryPoint): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal closed'))
    return new Promise((resolve, reject) => {
      this.pending.push({ point, json: JSON.stringify(point), resolve, reject })
      if (this.pending.length >= this.maxBatch) this.commit()
      else this.timer ??= setTimeout(() => this.commit(), this.options.commitMs)
    })
  }

  private commit (): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null }
    const group = this.pending
    this.pending = []
    if (group.length === 0) return
    const accepted: Pending[] = []
    const refused: Pending[] = []
    let added = 0
    for (const entry of group) {
      const cost = entry.json.length + ROW_OVERHEAD
      if (this.bytes + added + cost > this.options.budgetBytes) refused.push(entry)
      else {
        accepted.push(entry)
        added += cost
      }
    }
    if (accepted.length > 0) {
      try {
        const tapped = this.tapped
        this.db.transaction(() => {
          for (const entry of accepted) {
            this.insert.run(entry.json)
            tapped?.(entry.point, entry.json)
          }
        })()
        this.entries += accepted.length
        this.bytes += added
      } catch (err) {
        for (const entry of accepted) entry.reject(err as Error)
        accepted.length = 0
      }
    }
    // Committed entries are settled first, so their PUBACKs go out before a refusal closes
    // the device's connection.
    for (const entry of accepted) entry.resolve()
    const full = new JournalFullError(this.bytes, this.options.budgetBytes)
    for (const entry of refused) entry.reject(full)
  }

  /** The oldest entries after `afterSeq`, in the order they were acknowledged. */
  read (afterSeq: number, limit: number): JournalEntry[] {
    return this.readFrom.all(afterSeq, limit).map((row) => ({
      seq: row.seq, point: JSON.parse(row.point) as TelemetryPoint, cost: row.point.length + ROW_OVERHEAD
    }))
  }

  /** Forgets entries up to `seq` once the store has confirmed them. */
  remove (entries: readonly JournalEntry[]): void {
    const last = entries.at(-1)
    if (!last) return
    let freed = 0
    for (const entry of entries) freed += entry.cost
    this.removeUpTo.run(last.seq)
    this.entries -= entries.length
    this.bytes = Math.max(0, this.bytes - freed)
  }

  /**
   * Moves entries the store refused for good (a field type conflict, say) out of the way
   * of the ones behind them. They stay in the file, in the quarantine table.
   */
  quarantine (entries: readonly JournalEntry[], reason: string): void {
    const last = entries.at(-1)
    if (!last) return
    this.db.transaction(() => { this.toQuarantine.run(reason, Date.now(), last.seq) })()
    this.remove(entries)
  }

  /** Entries in quarantine. */
  get quarantined (): number {
    return this.db.prepare<[], number>('SELECT count(*) FROM quarantine').pluck().get()!
  }

  /** Commits what is pending, then closes the file. */
  close (): void {
    if (this.closed) return
    this.commit()
    this.closed = true
    this.db.close()
  }
}
