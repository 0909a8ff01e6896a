// The telemetry store: where readings go once they leave the journal. Two implementations
// (InfluxDB over its 1.x HTTP API, and the embedded SQLite default) pass one contract test
// suite (test/store-contract.ts).
import type { DeviceKind, FieldValue } from '../contract/index.js'

/** One message's worth of readings, already enriched with where the device stands. */
export interface TelemetryPoint {
  /** A device kind for telemetry; "event" for device events. */
  measurement: DeviceKind | 'event'
  deviceId: string
  kind: DeviceKind
  commune: string
  village: string
  /** Milliseconds since the epoch. */
  ts: number
  fields: Readonly<Record<string, FieldValue>>
}

export interface LatestValue {
  value: FieldValue
  ts: number
}

/** Per device, each field's most recent value and its time. */
export type LatestByDevice = Map<string, Record<string, LatestValue>>

export interface HistoryQuery {
  deviceId: string
  kind: DeviceKind
  /** A numeric field of the kind (see contract isNumeric). */
  field: string
  /** Half-open range [from, to) in ms. */
  from: number
  to: number
  /** At most this many buckets come back, whatever the range. */
  maxPoints: number
}

/** One bucket of a downsampled history: [t, t + width). */
export interface HistoryBucket {
  t: number
  min: number
  mean: number
  max: number
  count: number
}

export interface EventQuery {
  deviceId: string
  from: number
  to: number
  limit: number
}

export interface StoredEvent {
  ts: number
  type: string
  message?: string
}

export interface TelemetryStore {
  readonly name: 'sqlite' | 'influxdb'
  /** Creates what the store needs (tables; database and retention policies) and loads its state. */
  open (): Promise<void>
  close (): Promise<void>
  /**
   * Writes a batch. Idempotent: a point with the same device, measurement and time
   * replaces the earlier one, so the journal may safely write a batch twice after a crash.
   * `lines`, when the caller has them: the same points as JSON texts (the journal's), which a
   * store on another thread sends across instead of copying every object (issue #18).
   */
  write (points: readonly TelemetryPoint[], lines?: readonly string[]): Promise<void>
  latest (): Promise<LatestByDevice>
  history (query: HistoryQuery): Promise<HistoryBucket[]>
  events (query: EventQuery): Promise<StoredEvent[]>
  /**
   * Rolls raw readings up into hourly min/max/sum/count for every complete hour up to
   * `now` that is not rolled up yet or received late readings since.
   */
  rollup (now: number): Promise<void>
  /** Removes what is older than its retention. */
  applyRetention (now: number): Promise<void>
}

export interface RetentionSettings {
  rawRetentionMs: number
  /** 0: rollups kept forever. */
  rollupRetentionMs: number
}

/**
 * The store refused points for what they are (InfluxDB: a field type conflict), not because
 * it is unreachable: writing them again cannot succeed.
 */
export class StoreRejectedError extends Error {
  constructor (message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreRejectedError'
  }
}
