// Telemetry in InfluxDB over its 1.x HTTP API (/write with line protocol, /query with
// InfluxQL), through node-influx. The same API is served by InfluxDB 2.x and 3.x for
// compatibility; there the database is mapped to a bucket and schema management is off
// (see README, "InfluxDB 2.x and 3.x").
//
// Layout with schema management on (1.x):
//   retention policy "raw" (default): every reading, kept GATEWAY_RAW_RETENTION_DAYS;
//   retention policy "rollup": per hour and field min_/max_/sum_/count_, kept
//   GATEWAY_ROLLUP_RETENTION_DAYS (or forever), plus the "_rollup" watermark.
// Tags: device, kind, commune, village. Fields: the contract's fields with their declared
// types, so an integer field is always written as integer and never conflicts.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { FieldType, InfluxDB, type IPoint, type ISchemaOptions } from 'influx'
import { DEVICE_KINDS, fieldsOf, numericFields, storedType, type DeviceKind, type FieldValue, type StoredType } from '../contract/index.js'
import { finishBuckets, floorHour, planHistory, RollupTracker, HOUR_MS, type BucketAggregate } from './buckets.js'
import type {
  EventQuery, HistoryBucket, HistoryQuery, LatestByDevice, RetentionSettings, StoredEvent, TelemetryPoint, TelemetryStore
} from './telemetry-store.js'
import { StoreRejectedError } from './telemetry-store.js'

export interface InfluxSettings {
  url: string
  database: string
  username?: string
  password?: string
  /** Create the database and retention policies, and run rollups (InfluxDB 1.x). */
  manageSchema: boolean
  requestTimeoutMs?: number
}

const TAGS = ['device', 'kind', 'commune', 'village']
const FIELD_TYPE: Record<StoredType, FieldType> = {
  float: FieldType.FLOAT, int: FieldType.INTEGER, bool: FieldType.BOOLEAN, string: FieldType.STRING
}
const RAW = 'raw'
const ROLLUP = 'rollup'
const WATERMARK = '_rollup'

/** InfluxQL identifier and string literal quoting. */
const ident = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
const literal = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
const duration = (ms: number): string => (ms <= 0 ? 'INF' : `${Math.max(1, Math.round(ms / HOUR_MS))}h`)

function schemas (database: string): ISchemaOptions[] {
  const telemetry = DEVICE_KINDS.map((kind) => ({
    database,
    measurement: kind,
    tags: TAGS,
    fields: Object.fromEntries(Object.entries(fieldsOf(kind)).map(([name, spec]) => [name, FIELD_TYPE[storedType(spec)]]))
  }))
  return [...telemetry, { database, measurement: 'event', tags: TAGS, fields: { type: FieldType.STRING, message: FieldType.STRING } }]
}

interface RawSeries {
  name: string
  tags?: Record<string, string>
  columns: string[]
  values: unknown[][]
}
interface RawResponse {
  results: Array<{ statement_id: number; series?: RawSeries[]; error?: string }>
}

/**
 * Points per write request. node-influx builds a request's line protocol in one go, at 2-3 µs a
 * point on the event loop that also acknowledges devices: a drain batch of 5,000 in one request
 * held it for 10-15 ms (issue #18). Slices of this size hold it under a millisecond each.
 */
const WRITE_SLICE = 250

/** Never back off inside node-influx: the journal drain owns retries and their pacing. */
const noBackoff = { getDelay: () => 0, next () { return this }, reset () { return this } }

export class InfluxTelemetryStore implements TelemetryStore {
  readonly name = 'influxdb'
  private readonly influx: InfluxDB
  private ready: Promise<void> | null = null
  private tracker = new RollupTracker(0)

  constructor (private readonly settings: InfluxSettings, private readonly retention: RetentionSettings, private readonly now: () => number = Date.now) {
    const url = new URL(settings.url)
    this.influx = new InfluxDB({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      database: settings.database,
      username: settings.username,
      password: settings.password,
      schema: schemas(settings.database),
      pool: { maxRetries: 0, requestTimeout: settings.requestTimeoutMs ?? 15_000, backoff: noBackoff }
    })
  }

  /**
   * Every call to the server, bounded as a whole. node-influx's timeout only covers an idle
   * socket: a response cut off in the middle of its body (InfluxDB stopped while answering)
   * never settles, and a hung first call would hold `ensureReady`, and so the journal drain,
   * forever. A write abandoned here and finished late is harmless: writes are idempotent.
   */
  private request<T> (what: string, call: () => Promise<T>): Promise<T> {
    const ms = this.settings.requestTimeoutMs ?? 15_000
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`InfluxDB: no complete answer to ${what} within ${ms} ms`)), ms)
    })
    return Promise.race([call(), deadline]).finally(() => clearTimeout(timer))
  }

  /** Nothing here touches the network: the gateway starts even while InfluxDB is down. */
  open (): Promise<void> {
    return Promise.resolve()
  }

  close (): Promise<void> {
    return Promise.resolve()
  }

  /** Creates the database and retention policies on first use, retried until it succeeds. */
  private ensureReady (): Promise<void> {
    this.ready ??= this.prepare().catch((err: unknown) => {
      this.ready = null
      throw err
    })
    return this.ready
  }

  private async prepare (): Promise<void> {
    if (!this.settings.manageSchema) return
    const db = ident(this.settings.database)
    await this.request('CREATE DATABASE', () => this.influx.queryRaw(`CREATE DATABASE ${db}`))
    const existing = await this.request('SHOW RETENTION POLICIES', () => this.influx.showRetentionPolicies(this.settings.database))
    const want = [
      { name: RAW, duration: duration(this.retention.rawRetentionMs), isDefault: true },
      { name: ROLLUP, duration: duration(this.retention.rollupRetentionMs), isDefault: false }
    ]
    for (const rp of want) {
      const verb = existing.some((e) => e.name === rp.name) ? 'ALTER' : 'CREATE'
      await this.request(`${verb} RETENTION POLICY`, () => this.influx.queryRaw(`${verb} RETENTION POLICY ${ident(rp.name)} ON ${db} DURATION ${rp.duration} REPLICATION 1${rp.isDefault ? ' DEFAULT' : ''}`))
    }
    const rows = await this.select(`SELECT last("until") FROM ${this.from(ROLLUP, WATERMARK)}`)
    const until = Number(rows[0]?.values[0]?.[1] ?? 0)
    this.tracker = new RollupTracker(until)
    this.tracker.noteWritten(this.now() - 48 * HOUR_MS)
  }

  private from (rp: string, measurement: string): string {
    const db = ident(this.settings.database)
    return this.settings.manageSchema ? `${db}.${ident(rp)}.${ident(measurement)}` : `${db}..${ident(measurement)}`
  }

  private async select (query: string): Promise<RawSeries[]> {
    const res = await this.request('a query', () => this.influx.queryRaw(query, { precision: 'ms' })) as RawResponse
    const result = res.results[0]
    if (result?.error) throw new Error(`InfluxDB: ${result.error}`)
    return result?.series ?? []
  }

  async write (points: readonly TelemetryPoint[]): Promise<void> {
    await this.ensureReady()
    // Each slice's failure, or null: caught as it happens, because a slice can fail while the
    // next is still being built, and a rejection nobody handles yet ends the process.
    const outcomes: Array<Promise<Error | null>> = []
    for (let from = 0; from < points.length; from += WRITE_SLICE) {
      // Each slice's line protocol is built in its own turn of the event loop (issue #18), and
      // the slices travel side by side.
      if (from > 0) await nextTurn()
      outcomes.push(this.writeSlice(points.slice(from, from + WRITE_SLICE)).then(() => null, (err: unknown) => (err instanceof Error ? err : new Error(String(err)))))
    }
    // Every slice settles before the batch does: none is still in flight when the drain retries.
    // A failure that may pass (InfluxDB down) wins over a refusal, so that the batch is tried
    // again rather than quarantined while some of it was never looked at.
    const failures = (await Promise.all(outcomes)).filter((err): err is Error => err !== null)
    const failure = failures.find((err) => !(err instanceof StoreRejectedError)) ?? failures[0]
    if (failure) throw failure
    for (const p of points) this.tracker.noteWritten(p.ts)
  }

  private async writeSlice (points: readonly TelemetryPoint[]): Promise<void> {
    const out: IPoint[] = points.map((p) => ({
      measurement: p.measurement,
      tags: { device: p.deviceId, kind: p.kind, commune: p.commune, village: p.village },
      fields: p.fields,
      timestamp: p.ts
    }))
    try {
      await this.request('a write', () => this.influx.writePoints(out, { precision: 'ms', ...(this.settings.manageSchema ? { retentionPolicy: RAW } : {}) }))
    } catch (err) {
      // A database dropped or recreated behind our back: prepare it again on the next try.
      if (/database not found|retention policy not found/i.test(String(err))) this.ready = null
      // 400 is InfluxDB refusing the points themselves (a field type conflict: "partial
      // write", the others were written); anything else (down, 5xx, auth) may pass later.
      // (The request and response objects node-influx hangs on its error are left out.)
      else if ((err as { res?: { statusCode?: number } }).res?.statusCode === 400) throw new StoreRejectedError((err as Error).message)
      throw err
    }
  }

  async latest (): Promise<LatestByDevice> {
    await this.ensureReady()
    const statements: Array<{ kind: DeviceKind; field: string }> = []
    for (const kind of DEVICE_KINDS) for (const field of Object.keys(fieldsOf(kind))) statements.push({ kind, field })
    const res = await this.request('the latest values', () => this.influx.queryRaw(
      statements.map((s) => `SELECT last(${ident(s.field)}) FROM ${this.from(RAW, s.kind)} GROUP BY "device"`).join('; '),
      { precision: 'ms' })) as RawResponse
    const out: LatestByDevice = new Map()
    res.results.forEach((result, i) => {
      if (result.error) throw new Error(`InfluxDB: ${result.error}`)
      const { field } = statements[i]!
      for (const series of result.series ?? []) {
        const device = series.tags?.device
        const row = series.values[0]
        if (!device || !row) continue
        let fields = out.get(device)
        if (!fields) out.set(device, (fields = {}))
        fields[field] = { ts: Number(row[0]), value: row[1] as FieldValue }
      }
    })
    return out
  }

  private async aggregate (query: string): Promise<BucketAggregate[]> {
    const series = await this.select(query)
    return (series[0]?.values ?? []).map((row) => ({
      index: Number(row[0]), min: Number(row[1]), max: Number(row[2]), sum: Number(row[3]), count: Number(row[4])
    }))
  }

  async history (q: HistoryQuery): Promise<HistoryBucket[]> {
    await this.ensureReady()
    const rolledUntil = this.settings.manageSchema ? this.tracker.rolledUntil : 0
    const { width, rollup, raw } = planHistory(q, rolledUntil, this.now() - this.retention.rawRetentionMs)
    // Buckets start at `from`: GROUP BY time(width, offset) aligns them; the bucket time is
    // turned into an index so both stores merge parts the same way.
    const group = `GROUP BY time(${width}ms, ${q.from % width}ms) fill(none)`
    const device = `"device" = ${literal(q.deviceId)}`
    const f = ident(q.field)
    const parts: BucketAggregate[] = []
    if (rollup) {
      const [mn, mx, sm, ct] = ['min_', 'max_', 'sum_', 'count_'].map((p) => ident(p + q.field))
      parts.push(...await this.aggregate(`SELECT min(${mn}), max(${mx}), sum(${sm}), sum(${ct}) FROM ${this.from(ROLLUP, q.kind)}
        WHERE ${device} AND time >= ${rollup.from}ms AND time < ${rollup.to}ms ${group}`))
    }
    for (const span of raw) {
      parts.push(...await this.aggregate(`SELECT min(${f}), max(${f}), sum(${f}), count(${f}) FROM ${this.from(RAW, q.kind)}
        WHERE ${device} AND time >= ${span.from}ms AND time < ${span.to}ms ${group}`))
    }
    for (const p of parts) p.index = Math.round((p.index - q.from) / width)
    return finishBuckets(q.from, width, parts)
  }

  async events (q: EventQuery): Promise<StoredEvent[]> {
    await this.ensureReady()
    const series = await this.select(`SELECT "type", "message" FROM ${this.from(RAW, 'event')}
      WHERE "device" = ${literal(q.deviceId)} AND time >= ${q.from}ms AND time < ${q.to}ms ORDER BY time DESC LIMIT ${Math.floor(q.limit)}`)
    return (series[0]?.values ?? []).map(([ts, type, message]) =>
      (typeof message === 'string' ? { ts: Number(ts), type: String(type), message } : { ts: Number(ts), type: String(type) }))
  }

  async rollup (now: number): Promise<void> {
    if (!this.settings.manageSchema) return
    await this.ensureReady()
    const due = this.tracker.due(now)
    if (!due) return
    for (const kind of DEVICE_KINDS) {
      const select = numericFields(kind).flatMap((name) => {
        const f = ident(name)
        return [`min(${f}) AS ${ident('min_' + name)}`, `max(${f}) AS ${ident('max_' + name)}`,
          `sum(${f}) AS ${ident('sum_' + name)}`, `count(${f}) AS ${ident('count_' + name)}`]
      }).join(', ')
      await this.select(`SELECT ${select} INTO ${this.from(ROLLUP, kind)} FROM ${this.from(RAW, kind)}
        WHERE time >= ${due.from}ms AND time < ${due.to}ms GROUP BY time(1h), *`)
    }
    await this.request('the rollup watermark', () => this.influx.writePoints([{ measurement: WATERMARK, fields: { until: due.to }, timestamp: due.to }],
      { precision: 'ms', retentionPolicy: ROLLUP }))
    this.tracker.done(due.to)
  }

  /**
   * InfluxDB enforces the retention policies itself, by its own clock, every 30 minutes.
   * This does the same at the gateway's `now`, as the SQLite store does, and like it never
   * before the rollup covered the readings: raw shards that end at or before the cutoff
   * are dropped (a shard is one day of a raw policy of up to six months).
   */
  async applyRetention (now: number): Promise<void> {
    if (!this.settings.manageSchema) return
    await this.ensureReady()
    const cutoff = Math.min(floorHour(now - this.retention.rawRetentionMs), this.tracker.rolledUntil)
    const shards = (await this.select('SHOW SHARDS')).find((s) => s.name === this.settings.database)
    if (!shards) return
    const [id, rp, end] = ['id', 'retention_policy', 'end_time'].map((c) => shards.columns.indexOf(c))
    for (const row of shards.values) {
      if (row[rp!] === RAW && Date.parse(String(row[end!])) <= cutoff) await this.select(`DROP SHARD ${Number(row[id!])}`)
    }
  }
}
