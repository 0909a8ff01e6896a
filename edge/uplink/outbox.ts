// The uplink's durable outbox in one SQLite file (journal.db or state.db, beside what it
// carries). Rows are appended by the owner of the file inside its own transaction; the
// sender reads them lane by lane in order, saves the batch it is about to send (so a retry,
// even after a restart, carries the same message id), and moves the lane's cursor when the
// province acknowledged it. Acknowledged rows stay for the replay window, then go.
import type { Statement } from 'better-sqlite3'
import type { Db } from '../../gateway/db/database.js'
import type { Lane } from './lanes.js'

/** Bytes a row costs beyond its body (key, lane, time, page slack), for the budget. */
export const ROW_OVERHEAD = 32

const SCHEMA = `
CREATE TABLE IF NOT EXISTS uplink_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, lane TEXT NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS uplink_outbox_lane ON uplink_outbox (lane, seq);
CREATE TABLE IF NOT EXISTS uplink_cursor (lane TEXT PRIMARY KEY, acked_through INTEGER NOT NULL DEFAULT 0,
  batch_first INTEGER, batch_last INTEGER, sent_rows INTEGER NOT NULL DEFAULT 0, sent_bytes INTEGER NOT NULL DEFAULT 0,
  dropped_rows INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS uplink_gaps (id INTEGER PRIMARY KEY AUTOINCREMENT, lane TEXT NOT NULL, first INTEGER NOT NULL,
  last INTEGER NOT NULL, count INTEGER NOT NULL, at INTEGER NOT NULL, sent INTEGER NOT NULL DEFAULT 0);
`

export interface OutboxRow { seq: number; at: number; body: string }

export interface Batch {
  lane: Lane
  first: number
  last: number
  rows: OutboxRow[]
  bytes: number
}

export interface Gap { id: number; lane: Lane; first: number; last: number; count: number; at: number }

export interface LaneHealth {
  /** Rows not yet acknowledged by the province. */
  pending: number
  pendingBytes: number
  /** Creation time of the oldest unacknowledged row (null: nothing waits). */
  oldestAt: number | null
  sentRows: number
  sentBytes: number
  droppedRows: number
}

interface Cursor { acked_through: number; batch_first: number | null; batch_last: number | null; sent_rows: number; sent_bytes: number; dropped_rows: number }

export class OutboxFile {
  private readonly insert: Statement<[string, number, string]>
  private readonly cursorOf: Statement<[string], Cursor>
  private readonly after: Statement<[string, number, number], OutboxRow>
  private readonly between: Statement<[string, number, number], OutboxRow>
  private bytes: number

  constructor (readonly db: Db, readonly lanes: readonly Lane[]) {
    db.exec(SCHEMA)
    const ensure = db.prepare('INSERT OR IGNORE INTO uplink_cursor (lane) VALUES (?)')
    for (const lane of lanes) ensure.run(lane)
    this.insert = db.prepare('INSERT INTO uplink_outbox (lane, at, body) VALUES (?, ?, ?)')
    this.cursorOf = db.prepare('SELECT * FROM uplink_cursor WHERE lane = ?')
    this.after = db.prepare('SELECT seq, at, body FROM uplink_outbox WHERE lane = ? AND seq > ? ORDER BY seq LIMIT ?')
    this.between = db.prepare('SELECT seq, at, body FROM uplink_outbox WHERE lane = ? AND seq BETWEEN ? AND ? ORDER BY seq')
    const total = db.prepare<[], { n: number; b: number | null }>('SELECT count(*) AS n, sum(length(body)) AS b FROM uplink_outbox').get()!
    this.bytes = (total.b ?? 0) + total.n * ROW_OVERHEAD
  }

  /** What the outbox occupies (rows waiting and rows kept for replay). */
  get usedBytes (): number { return this.bytes }

  /** Appends a row; call it inside the transaction of what it carries. */
  append (lane: Lane, body: string, at: number): number {
    this.bytes += body.length + ROW_OVERHEAD
    return Number(this.insert.run(lane, at, body).lastInsertRowid)
  }

  /**
   * The batch to send next on a lane: the saved one if a send was begun (same rows, same id),
   * else the next rows after the cursor, saved before they are sent.
   */
  nextBatch (lane: Lane, maxRows: number, maxBytes: number): Batch | null {
    const cursor = this.cursor(lane)
    if (cursor.batch_first !== null && cursor.batch_last !== null) {
      const rows = this.between.all(lane, cursor.batch_first, cursor.batch_last)
      if (rows.length > 0) return toBatch(lane, rows, cursor.batch_first, cursor.batch_last)
    }
    const candidates = this.after.all(lane, cursor.acked_through, maxRows)
    const rows: OutboxRow[] = []
    let bytes = 0
    for (const row of candidates) {
      if (rows.length > 0 && bytes + row.body.length > maxBytes) break
      rows.push(row)
      bytes += row.body.length
    }
    if (rows.length === 0) return null
    const first = rows[0]!.seq
    const last = rows.at(-1)!.seq
    this.db.prepare('UPDATE uplink_cursor SET batch_first = ?, batch_last = ? WHERE lane = ?').run(first, last, lane)
    return toBatch(lane, rows, first, last)
  }

  /** The province has the batch: the cursor moves past it. */
  acknowledge (batch: Batch): void {
    this.db.prepare(`UPDATE uplink_cursor SET acked_through = max(acked_through, ?), batch_first = NULL, batch_last = NULL,
      sent_rows = sent_rows + ?, sent_bytes = sent_bytes + ? WHERE lane = ?`).run(batch.last, batch.rows.length, batch.bytes, batch.lane)
  }

  /** Forgets acknowledged rows created before `before` (the end of the replay window). */
  prune (before: number): number {
    let removed = 0
    for (const lane of this.lanes) {
      const acked = this.cursor(lane).acked_through
      const gone = this.db.prepare<[string, number, number], { n: number; b: number | null }>(
        'SELECT count(*) AS n, sum(length(body)) AS b FROM uplink_outbox WHERE lane = ? AND seq <= ? AND at < ?').get(lane, acked, before)!
      if (gone.n === 0) continue
      this.db.prepare('DELETE FROM uplink_outbox WHERE lane = ? AND seq <= ? AND at < ?').run(lane, acked, before)
      this.bytes = Math.max(0, this.bytes - (gone.b ?? 0) - gone.n * ROW_OVERHEAD)
      removed += gone.n
    }
    return removed
  }

  /**
   * Over the budget: acknowledged rows kept for replay go first, then the oldest unsent rows
   * of `lane` (never the batch being sent), down to `target` bytes. Each run of dropped rows
   * becomes a gap record for the province. Runs inside the caller's transaction.
   */
  shed (lane: Lane, target: number): Gap | null {
    if (this.bytes <= target) return null
    this.prune(Number.MAX_SAFE_INTEGER)
    if (this.bytes <= target) return null
    const cursor = this.cursor(lane)
    const from = Math.max(cursor.acked_through, cursor.batch_last ?? 0)
    const rows = this.db.prepare<[string, number], { seq: number; len: number }>(
      'SELECT seq, length(body) AS len FROM uplink_outbox WHERE lane = ? AND seq > ? ORDER BY seq').iterate(lane, from)
    let freed = 0
    let count = 0
    let first = 0
    let last = 0
    for (const row of rows) {
      if (this.bytes - freed <= target) break
      if (count === 0) first = row.seq
      last = row.seq
      freed += row.len + ROW_OVERHEAD
      count++
    }
    if (count === 0) return null
    this.db.prepare('DELETE FROM uplink_outbox WHERE lane = ? AND seq BETWEEN ? AND ?').run(lane, first, last)
    this.db.prepare('UPDATE uplink_cursor SET dropped_rows = dropped_rows + ? WHERE lane = ?').run(count, lane)
    this.bytes -= freed
    const at = Date.now()
    const id = Number(this.db.prepare('INSERT INTO uplink_gaps (lane, first, last, count, at) VALUES (?, ?, ?, ?, ?)').run(lane, first, last, count, at).lastInsertRowid)
    return { id, lane, first, last, count, at }
  }

  /** Gap records not yet acknowledged by the province. */
  unsentGaps (): Gap[] {
    return this.db.prepare<[], Gap>('SELECT id, lane, first, last, count, at FROM uplink_gaps WHERE sent = 0 ORDER BY id').all()
  }

  gapSent (id: number): void {
    this.db.prepare('UPDATE uplink_gaps SET sent = 1 WHERE id = ?').run(id)
  }

  /**
   * The province asks again for rows it lost (a power loss of the whole cluster): the lane's
   * cursor goes back to `fromSeq`, within what the replay window kept.
   */
  rewind (lane: Lane, fromSeq: number): void {
    this.db.prepare('UPDATE uplink_cursor SET acked_through = min(acked_through, ?), batch_first = NULL, batch_last = NULL WHERE lane = ?')
      .run(Math.max(0, fromSeq - 1), lane)
  }

  health (lane: Lane): LaneHealth {
    const cursor = this.cursor(lane)
    const p = this.db.prepare<[string, number], { n: number; b: number | null; oldest: number | null }>(
      'SELECT count(*) AS n, sum(length(body)) AS b, min(at) AS oldest FROM uplink_outbox WHERE lane = ? AND seq > ?').get(lane, cursor.acked_through)!
    return {
      pending: p.n, pendingBytes: p.b ?? 0, oldestAt: p.oldest,
      sentRows: cursor.sent_rows, sentBytes: cursor.sent_bytes, droppedRows: cursor.dropped_rows
    }
  }

  /** Whether anything waits on the lane (cheap: one index probe). */
  hasPending (lane: Lane): boolean {
    return this.after.all(lane, this.cursor(lane).acked_through, 1).length > 0
  }

  private cursor (lane: Lane): Cursor {
    const cursor = this.cursorOf.get(lane)
    if (!cursor) throw new Error(`uplink lane ${lane} is not kept in this file`)
    return cursor
  }
}

function toBatch (lane: Lane, rows: OutboxRow[], first: number, last: number): Batch {
  let bytes = 0
  for (const row of rows) bytes += row.body.length
  return { lane, first, last, rows, bytes }
}
