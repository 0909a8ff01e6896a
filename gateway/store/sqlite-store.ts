// The embedded telemetry store: one SQLite file beside the state database, used when no
// InfluxDB is configured. Numbers and booleans go to `samples` (booleans as 0/1), text to
// `text_samples`, one row per (series, time); a series is one field of one device.
// `rollup_hourly` keeps min/max/sum/count per hour for long ranges and for what outlives
// the raw retention.
import type { Statement } from 'better-sqlite3'
import { fieldsOf, type DeviceKind, type FieldValue } from '../contract/index.js'
import { openDatabase, type Db } from '../db/database.js'
import { floorHour, finishBuckets, planHistory, RollupTracker, HOUR_MS, type BucketAggregate } from './buckets.js'
import type {
  EventQuery, HistoryBucket, HistoryQuery, LatestByDevice, RetentionSettings, StoredEvent, TelemetryPoint, TelemetryStore
} from './telemetry-store.js'

/**
 * The hourly maintenance, which must read samples by primary-key range (series, then time):
 * a filter on ts alone reads every sample kept (90 days by default) each time, and holds the
 * store's write lock while it does. test/store-sqlite.test.ts checks their query plans.
 */
export const MAINTENANCE_SQL = {
  rollup: `INSERT OR REPLACE INTO rollup_hourly (series_id, hour, min, max, sum, count)
    SELECT s.id, (x.ts / ${HOUR_MS}) * ${HOUR_MS} AS hour, min(x.value), max(x.value), sum(x.value), count(*)
    FROM series s JOIN samples x ON x.series_id = s.id AND x.ts >= ? AND x.ts < ?
    GROUP BY s.id, hour`,
  dropSamples: 'DELETE FROM samples WHERE series_id IN (SELECT id FROM series) AND ts < ?',
  dropTextSamples: 'DELETE FROM text_samples WHERE series_id IN (SELECT id FROM series) AND ts < ?'
} as const

const MIGRATIONS = [
  `
  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    commune TEXT NOT NULL,
    village TEXT NOT NULL,
    UNIQUE (device_id, field)
  );
  CREATE TABLE samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
  CREATE TABLE text_samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
  CREATE TABLE rollup_hourly (
    series_id INTEGER NOT NULL, hour INTEGER NOT NULL, min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (series_id, hour)
  ) WITHOUT ROWID;
  CREATE TABLE events (device_id TEXT NOT NULL, ts INTEGER NOT NULL, type TEXT NOT NULL, message TEXT, PRIMARY KEY (device_id, ts, type)) WITHOUT ROWID;
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `
]

/** Series ids by device, then field: no key to build per sample (issue #18). */
type SeriesIds = Map<string, Map<string, number>>

function keepSeries (ids: SeriesIds, deviceId: string, field: string, id: number): void {
  let fields = ids.get(deviceId)
  if (!fields) ids.set(deviceId, fields = new Map<string, number>())
  fields.set(field, id)
}

export class SqliteTelemetryStore implements TelemetryStore {
  readonly name = 'sqlite'
  private db!: Db
  private readonly seriesIds: SeriesIds = new Map()
  private tracker = new RollupTracker(0)
  private stmt!: {
    findSeries: Statement<[string, string], { id: number }>
    addSeries: Statement<[string, string, string, string, string]>
    sample: Statement<[number, number, number]>
    textSample: Statement<[number, number, string]>
    event: Statement<[string, number, string, string | null]>
  }

  constructor (private readonly file: string, private readonly retention: RetentionSettings, private readonly now: () => number = Date.now) {}

  open (): Promise<void> {
    // FULL: the journal forgets a batch as soon as this commit returns, so the commit must be
    // on disk. In WAL mode NORMAL syncs only at checkpoints: a power cut could take back a
    // batch the journal had already let go. One sync per batch of thousands is cheap.
    this.db = openDatabase(this.file, { synchronous: 'FULL', migrations: MIGRATIONS })
    this.stmt = {
      findSeries: this.db.prepare('SELECT id FROM series WHERE device_id = ? AND field = ?'),
      addSeries: this.db.prepare('INSERT INTO series (device_id, kind, field, commune, village) VALUES (?, ?, ?, ?, ?)'),
      sample: this.db.prepare('INSERT OR REPLACE INTO samples (series_id, ts, value) VALUES (?, ?, ?)'),
      textSample: this.db.prepare('INSERT OR REPLACE INTO text_samples (series_id, ts, value) VALUES (?, ?, ?)'),
      event: this.db.prepare('INSERT OR REPLACE INTO events (device_id, ts, type, message) VALUES (?, ?, ?, ?)')
    }
    const rolled = this.db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'rolled_until'").get()
    this.tracker = new RollupTracker(rolled?.value ?? 0)
    // Late readings written just before a crash may not have been rolled up: look back.
    this.tracker.noteWritten(this.now() - 48 * HOUR_MS)
    return Promise.resolve()
  }

  close (): Promise<void> {
    this.db?.close()
    return Promise.resolve()
  }

  /**
   * A series' id, created in the batch's transaction when new. New ids are kept apart until
   * the transaction commits: a batch rolled back (a full disk) takes its new series rows with
   * it, and a cached id would send every later sample of that device to a series that does not
   * exist, or to the next device's, which SQLite gives the same id.
   */
  private seriesId (p: TelemetryPoint, field: string, added: SeriesIds): number {
    const known = this.seriesIds.get(p.deviceId)?.get(field) ?? added.get(p.deviceId)?.get(field)
    if (known !== undefined) return known
    const id = this.stmt.findSeries.get(p.deviceId, field)?.id ?? Number(this.stmt.addSeries.run(p.deviceId, p.kind, field, p.commune, p.village).lastInsertRowid)
    keepSeries(added, p.deviceId, field, id)
    return id
  }

  /** A batch sent from another thread as the journal's JSON texts (worker-store.ts). */
  writeJson (lines: readonly string[]): Promise<void> {
    return this.write(lines.map((line) => JSON.parse(line) as TelemetryPoint))
  }

  write (points: readonly TelemetryPoint[]): Promise<void> {
    const added: SeriesIds = new Map()
    this.db.transaction(() => {
      for (const p of points) {
        this.tracker.noteWritten(p.ts)
        if (p.measurement === 'event') {
          const message = p.fields.message
          this.stmt.event.run(p.deviceId, p.ts, String(p.fields.type), typeof message === 'string' ? message : null)
          continue
        }
        for (const [field, value] of Object.entries(p.fields)) {
          const id = this.seriesId(p, field, added)
          if (typeof value === 'string') this.stmt.textSample.run(id, p.ts, value)
          else this.stmt.sample.run(id, p.ts, typeof value === 'boolean' ? Number(value) : value)
        }
      }
    })()
    for (const [deviceId, fields] of added) for (const [field, id] of fields) keepSeries(this.seriesIds, deviceId, field, id)
    return Promise.resolve()
  }

  latest (): Promise<LatestByDevice> {
    const rows = this.db.prepare<[], { device_id: string; kind: DeviceKind; field: string; ts: number; value: number | string }>(`
      SELECT s.device_id, s.kind, s.field, x.ts, x.value FROM series s
        JOIN samples x ON x.series_id = s.id AND x.ts = (SELECT max(ts) FROM samples WHERE series_id = s.id)
      UNION ALL
      SELECT s.device_id, s.kind, s.field, x.ts, x.value FROM series s
        JOIN text_samples x ON x.series_id = s.id AND x.ts = (SELECT max(ts) FROM text_samples WHERE series_id = s.id)`).all()
    const out: LatestByDevice = new Map()
    for (const r of rows) {
      const spec = fieldsOf(r.kind)[r.field]
      const value: FieldValue = spec?.type === 'bool' ? r.value === 1 : r.value
      let fields = out.get(r.device_id)
      if (!fields) out.set(r.device_id, (fields = {}))
      fields[r.field] = { value, ts: r.ts }
    }
    return Promise.resolve(out)
  }

  history (q: HistoryQuery): Promise<HistoryBucket[]> {
    const series = this.stmt.findSeries.get(q.deviceId, q.field)
    if (!series) return Promise.resolve([])
    const plan = planHistory(q, this.tracker.rolledUntil, this.rawKeptFrom())
    // better-sqlite3 binds JS numbers as REAL: the bucket index is cast back to an integer.
    const args = { id: series.id, from: q.from, width: plan.width }
    const parts: BucketAggregate[] = []
    if (plan.rollup) {
      parts.push(...this.db.prepare<Record<string, number>, BucketAggregate>(`
        SELECT CAST((hour - @from) / @width AS INTEGER) AS "index", min(min) AS min, max(max) AS max, sum(sum) AS sum, sum(count) AS count
        FROM rollup_hourly WHERE series_id = @id AND hour >= @start AND hour < @end GROUP BY 1`).all({ ...args, start: plan.rollup.from, end: plan.rollup.to }))
    }
    for (const span of plan.raw) {
      parts.push(...this.db.prepare<Record<string, number>, BucketAggregate>(`
        SELECT CAST((ts - @from) / @width AS INTEGER) AS "index", min(value) AS min, max(value) AS max, sum(value) AS sum, count(*) AS count
        FROM samples WHERE series_id = @id AND ts >= @start AND ts < @end GROUP BY 1`).all({ ...args, start: span.from, end: span.to }))
    }
    return Promise.resolve(finishBuckets(q.from, plan.width, parts))
  }

  events (q: EventQuery): Promise<StoredEvent[]> {
    const rows = this.db.prepare<[string, number, number, number], { ts: number; type: string; message: string | null }>(
      'SELECT ts, type, message FROM events WHERE device_id = ? AND ts >= ? AND ts < ? ORDER BY ts DESC LIMIT ?')
      .all(q.deviceId, q.from, q.to, q.limit)
    return Promise.resolve(rows.map((r) => (r.message === null ? { ts: r.ts, type: r.type } : { ts: r.ts, type: r.type, message: r.message })))
  }

  rollup (now: number): Promise<void> {
    const due = this.tracker.due(now)
    if (!due) return Promise.resolve()
    this.db.transaction(() => {
      this.db.prepare(MAINTENANCE_SQL.rollup).run(due.from, due.to)
      this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('rolled_until', ?)").run(due.to)
    })()
    this.tracker.done(due.to)
    return Promise.resolve()
  }

  /** Raw readings before this time may be gone (see applyRetention). */
  private rawKeptFrom (): number {
    return Math.min(floorHour(this.now() - this.retention.rawRetentionMs), this.tracker.rolledUntil)
  }

  applyRetention (now: number): Promise<void> {
    // Raw readings go only once they are rolled up: a stalled rollup must not lose history.
    const rawCutoff = Math.min(floorHour(now - this.retention.rawRetentionMs), this.tracker.rolledUntil)
    this.db.transaction(() => {
      this.db.prepare(MAINTENANCE_SQL.dropSamples).run(rawCutoff)
      this.db.prepare(MAINTENANCE_SQL.dropTextSamples).run(rawCutoff)
      // Events are few next to samples (one per incident, not per minute): scanned as they are.
      this.db.prepare('DELETE FROM events WHERE ts < ?').run(rawCutoff)
      if (this.retention.rollupRetentionMs > 0) {
        this.db.prepare('DELETE FROM rollup_hourly WHERE hour < ?').run(now - this.retention.rollupRetentionMs)
      }
    })()
    return Promise.resolve()
  }
}
