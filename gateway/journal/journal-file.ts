// The journal's SQLite file: its own database (WAL, synchronous=FULL, so a commit survives a
// power cut), with no state of its own beyond the file. It runs on the journal's own thread
// (journal.ts), or on the main thread when the uplink's tap must join its commits.
import type { Statement } from 'better-sqlite3'
import { openDatabase, type Db } from '../db/database.js'
import type { TelemetryPoint } from '../store/telemetry-store.js'

const MIGRATIONS = [
  'CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, point TEXT NOT NULL)',
  // Entries the store refused for what they are (not for being down): kept for a person.
  'CREATE TABLE quarantine (seq INTEGER PRIMARY KEY, point TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL)',
  // How far the entries have been handed to the rules, the live state and the dashboard (issue
  // #18: after the PUBACK). Entries above it at a start are handed over again. Until this table,
  // every entry was handed over before its PUBACK.
  `CREATE TABLE announced (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
   INSERT INTO announced VALUES (1, (SELECT coalesce(max(seq), 0) FROM entries))`
]
/** What an entry costs beyond its JSON text, in characters ≈ bytes (row header, key, page slack), for the budget. */
export const ROW_OVERHEAD = 24

export interface JournalRow { seq: number; point: string }

export interface JournalTotals {
  entries: number
  bytes: number
  /** The newest entry's seq (0 when empty). */
  lastSeq: number
  /** Entries above this were never handed to the rules. */
  announced: number
  quarantined: number
}

/** Given the journal's database once, returns what to call per entry inside each commit. */
export interface JournalTap {
  attach (db: Db): (point: TelemetryPoint, json: string) => void
}

export class JournalFile {
  private readonly db: Db
  private readonly insert: Statement<[string]>
  private readonly readRange: Statement<[number, number, number], JournalRow>
  private readonly removeUpTo: Statement<[number]>
  private readonly toQuarantine: Statement<[string, number, number]>
  private readonly setAnnounced: Statement<[number]>
  private readonly tapped: ((point: TelemetryPoint, json: string) => void) | null
  private announcedWritten: number

  constructor (file: string, tap?: JournalTap) {
    this.db = openDatabase(file, { synchronous: 'FULL', migrations: MIGRATIONS })
    this.insert = this.db.prepare('INSERT INTO entries (point) VALUES (?)')
    this.readRange = this.db.prepare('SELECT seq, point FROM entries WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?')
    this.removeUpTo = this.db.prepare('DELETE FROM entries WHERE seq <= ?')
    this.toQuarantine = this.db.prepare('INSERT OR IGNORE INTO quarantine (seq, point, reason, at) SELECT seq, point, ?, ? FROM entries WHERE seq <= ?')
    this.setAnnounced = this.db.prepare('UPDATE announced SET seq = ? WHERE id = 1')
    this.announcedWritten = this.db.prepare<[], number>('SELECT seq FROM announced').pluck().get()!
    this.tapped = tap?.attach(this.db) ?? null
  }

  totals (): JournalTotals {
    const t = this.db.prepare<[], { n: number; bytes: number | null; last: number | null }>(
      'SELECT count(*) AS n, sum(length(point)) AS bytes, max(seq) AS last FROM entries').get()!
    return {
      entries: t.n,
      bytes: (t.bytes ?? 0) + t.n * ROW_OVERHEAD,
      lastSeq: t.last ?? 0,
      announced: this.announcedWritten,
      quarantined: this.db.prepare<[], number>('SELECT count(*) FROM quarantine').pluck().get()!
    }
  }

  /**
   * One group commit: every entry and how far they were handed over, in one transaction and so
   * one disk sync. Returns the last entry's seq (a group's seqs are consecutive: one writer).
   */
  commit (jsons: readonly string[], announced: number, points?: readonly TelemetryPoint[]): number {
    let last = 0
    this.db.transaction(() => {
      for (let i = 0; i < jsons.length; i++) {
        last = Number(this.insert.run(jsons[i]!).lastInsertRowid)
        if (this.tapped) this.tapped(points![i]!, jsons[i]!)
      }
      this.noteAnnounced(announced)
    })()
    return last
  }

  /** Entries after `after` up to `upTo`, oldest first. */
  read (after: number, upTo: number, limit: number): JournalRow[] {
    return this.readRange.all(after, upTo, limit)
  }

  remove (upTo: number): void {
    this.removeUpTo.run(upTo)
  }

  /** Moves entries up to `upTo` into the quarantine table. */
  quarantine (upTo: number, reason: string, at: number): void {
    this.db.transaction(() => {
      this.toQuarantine.run(reason, at, upTo)
      this.removeUpTo.run(upTo)
    })()
  }

  close (announced: number): void {
    if (announced > this.announcedWritten) this.db.transaction(() => this.noteAnnounced(announced))()
    this.db.close()
  }

  private noteAnnounced (announced: number): void {
    if (announced <= this.announcedWritten) return
    this.setAnnounced.run(announced)
    this.announcedWritten = announced
  }
}
