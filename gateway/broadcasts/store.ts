// The broadcasts and their deliveries in state.db: plain reads and writes, no decisions.
import type { Priority } from '../contract/index.js'
import type { Db } from '../db/database.js'
import { notFound } from '../errors.js'
import { outcomeOf, type Missed, type Outcome } from './outcome.js'
import type { Schedule } from './schedule.js'
import type { Targets } from './targets.js'

export const BROADCAST_STATUSES = ['draft', 'pending', 'scheduled', 'sent', 'done', 'cancelled', 'rejected'] as const
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number]
export const DELIVERY_STATES = ['queued', 'sent', 'delivered', 'playing', 'done', 'failed', 'timed_out', 'expired'] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]
export const FINAL_DELIVERY: ReadonlySet<DeliveryState> = new Set(['done', 'failed', 'timed_out', 'expired'])

export interface Broadcast {
  id: string
  title: string
  priority: Priority
  clipId: string
  durationMs: number
  repeat: number
  gapS: number
  targets: Targets
  schedule: Schedule
  ttlMs: number
  status: BroadcastStatus
  nextAt: number | null
  createdBy: string
  createdAt: number
  submittedAt: number | null
  approvedBy: string | null
  approvedAt: number | null
  decisionComment: string | null
  alarmId: number | null
  /** A live session (live.ts): its clusters play a stream, and its clip is the recording. */
  live: boolean
  /** Sent by the province (issue #19): who issued and approved it there; null for the commune's own. */
  province: ProvinceOrigin | null
  /** Why it was cancelled (required for a bulletin from the province, and sent up). */
  cancelReason: string | null
  updatedAt: number
}

/** Where a bulletin from the province came from, as the commune shows it. */
export interface ProvinceOrigin { id: string; issuer: string; createdBy: string; approvedBy: string | null; issuedAt: number }

export interface Delivery {
  broadcastId: string
  airingAt: number
  deviceId: string
  village: string
  state: DeliveryState
  reason: string | null
  commandId: string | null
  attempts: number
  retryAt: number | null
  expiresAt: number
  startedAt: number | null
  finishedAt: number | null
  updatedAt: number
}

/**
 * Per state, how many clusters of the latest airing are there; how that airing went; and the
 * clusters that did not play it in full, with why.
 */
export type Summary = { airingAt: number | null; targeted: number; outcome: Outcome; missed: Missed[] } & Record<DeliveryState, number>

interface BroadcastRow {
  id: string; title: string; priority: Priority; clip_id: string; duration_ms: number; repeat: number; gap_s: number
  targets: string; schedule: string; ttl_ms: number; status: BroadcastStatus; next_at: number | null; token: string
  created_by: string; created_at: number; submitted_at: number | null; approved_by: string | null; approved_at: number | null
  decision_comment: string | null; alarm_id: number | null; live: number; province_id: string | null; province: string | null
  cancel_reason: string | null; updated_at: number
}

interface DeliveryRow {
  broadcast_id: string; airing_at: number; device_id: string; village: string; state: DeliveryState; reason: string | null
  command_id: string | null; attempts: number; retry_at: number | null; expires_at: number; started_at: number | null
  finished_at: number | null; updated_at: number
}

const SELECT = 'SELECT b.*, c.duration_ms FROM broadcasts b JOIN audio_clips c ON c.id = b.clip_id'

const toBroadcast = (r: BroadcastRow): Broadcast => ({
  id: r.id, title: r.title, priority: r.priority, clipId: r.clip_id, durationMs: r.duration_ms, repeat: r.repeat, gapS: r.gap_s,
  targets: JSON.parse(r.targets) as Targets, schedule: JSON.parse(r.schedule) as Schedule, ttlMs: r.ttl_ms,
  status: r.status, nextAt: r.next_at, createdBy: r.created_by, createdAt: r.created_at, submittedAt: r.submitted_at,
  approvedBy: r.approved_by, approvedAt: r.approved_at, decisionComment: r.decision_comment, alarmId: r.alarm_id, live: r.live === 1,
  province: r.province === null ? null : JSON.parse(r.province) as ProvinceOrigin, cancelReason: r.cancel_reason, updatedAt: r.updated_at
})

const toDelivery = (r: DeliveryRow): Delivery => ({
  broadcastId: r.broadcast_id, airingAt: r.airing_at, deviceId: r.device_id, village: r.village, state: r.state, reason: r.reason,
  commandId: r.command_id, attempts: r.attempts, retryAt: r.retry_at, expiresAt: r.expires_at, startedAt: r.started_at,
  finishedAt: r.finished_at, updatedAt: r.updated_at
})

export interface NewBroadcast {
  id: string; title: string; priority: Priority; clipId: string; repeat: number; gapS: number; targets: Targets; schedule: Schedule
  ttlMs: number; status: BroadcastStatus; token: string; createdBy: string; alarmId: number | null; live?: boolean
  province?: ProvinceOrigin
}

/** A line of the broadcast log: a delivery with its bulletin's facts and its cluster's name. */
export type LogRow = Delivery & { title: string; priority: Priority; createdBy: string; approvedBy: string | null; durationMs: number; deviceName: string | null }

export interface ListQuery { status?: BroadcastStatus; limit: number }

export class BroadcastStore {
  constructor (private readonly db: Db) {}

  insert (b: NewBroadcast, now: number): Broadcast {
    this.db.prepare(`INSERT INTO broadcasts (id, title, priority, clip_id, repeat, gap_s, targets, schedule, ttl_ms, status, token,
      created_by, created_at, submitted_at, alarm_id, live, province_id, province, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(b.id, b.title, b.priority, b.clipId, b.repeat, b.gapS, JSON.stringify(b.targets), JSON.stringify(b.schedule), b.ttlMs,
        b.status, b.token, b.createdBy, now, b.status === 'draft' ? null : now, b.alarmId, b.live === true ? 1 : 0,
        b.province?.id ?? null, b.province ? JSON.stringify(b.province) : null, now)
    return this.require(b.id)
  }

  get (id: string): Broadcast | null {
    const row = this.db.prepare<[string], BroadcastRow>(`${SELECT} WHERE b.id = ?`).get(id)
    return row ? toBroadcast(row) : null
  }

  require (id: string): Broadcast {
    const b = this.get(id)
    if (!b) throw notFound(`no broadcast ${id}`)
    return b
  }

  list (q: ListQuery): Broadcast[] {
    const rows = q.status
      ? this.db.prepare<[string, number], BroadcastRow>(`${SELECT} WHERE b.status = ? ORDER BY b.created_at DESC LIMIT ?`).all(q.status, q.limit)
      : this.db.prepare<[number], BroadcastRow>(`${SELECT} ORDER BY b.created_at DESC LIMIT ?`).all(q.limit)
    return rows.map(toBroadcast)
  }

  /** The commune's copy of a bulletin from the province, if it was already taken. */
  byProvinceId (provinceId: string): Broadcast | null {
    const row = this.db.prepare<[string], BroadcastRow>(`${SELECT} WHERE b.province_id = ?`).get(provinceId)
    return row ? toBroadcast(row) : null
  }

  forAlarm (alarmId: number): Broadcast | null {
    const row = this.db.prepare<[number], BroadcastRow>(`${SELECT} WHERE b.alarm_id = ? ORDER BY b.created_at DESC LIMIT 1`).get(alarmId)
    return row ? toBroadcast(row) : null
  }

  /** The broadcast whose audio link this is, while the link is valid. */
  byToken (token: string, now: number): Broadcast | null {
    const row = this.db.prepare<[string, number], BroadcastRow>(
      `${SELECT} WHERE b.token = ? AND b.token_expires_at IS NOT NULL AND b.token_expires_at > ?`).get(token, now)
    return row ? toBroadcast(row) : null
  }

  tokenOf (id: string): string {
    return this.db.prepare<[string], string>('SELECT token FROM broadcasts WHERE id = ?').pluck().get(id)!
  }

  /** The audio link lives until this time (never shortened by a later, shorter airing). */
  extendToken (id: string, until: number): void {
    this.db.prepare('UPDATE broadcasts SET token_expires_at = max(coalesce(token_expires_at, 0), ?) WHERE id = ?').run(until, id)
  }

  expireToken (id: string, now: number): void {
    this.db.prepare('UPDATE broadcasts SET token_expires_at = ? WHERE id = ?').run(now, id)
  }

  update (id: string, fields: Partial<Pick<BroadcastRow, 'status' | 'next_at' | 'submitted_at' | 'approved_by' | 'approved_at' | 'decision_comment' | 'cancel_reason'>>, now: number): Broadcast {
    const keys = Object.keys(fields)
    this.db.prepare(`UPDATE broadcasts SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updated_at = @now WHERE id = @id`).run({ ...fields, now, id })
    return this.require(id)
  }

  due (now: number): Broadcast[] {
    return this.db.prepare<[number], BroadcastRow>(`${SELECT} WHERE b.status = 'scheduled' AND b.next_at <= ? ORDER BY b.priority = 'emergency' DESC, b.next_at`)
      .all(now).map(toBroadcast)
  }

  addDeliveries (rows: ReadonlyArray<Pick<Delivery, 'broadcastId' | 'airingAt' | 'deviceId' | 'village' | 'commandId' | 'expiresAt'>>, now: number): void {
    const insert = this.db.prepare(`INSERT OR IGNORE INTO broadcast_deliveries (broadcast_id, airing_at, device_id, village, state, command_id,
      attempts, expires_at, updated_at) VALUES (?, ?, ?, ?, 'queued', ?, 1, ?, ?)`)
    this.db.transaction(() => { for (const d of rows) insert.run(d.broadcastId, d.airingAt, d.deviceId, d.village, d.commandId, d.expiresAt, now) })()
  }

  byCommand (commandId: string): Delivery | null {
    const row = this.db.prepare<[string], DeliveryRow>('SELECT * FROM broadcast_deliveries WHERE command_id = ?').get(commandId)
    return row ? toDelivery(row) : null
  }

  setDelivery (d: Pick<Delivery, 'broadcastId' | 'airingAt' | 'deviceId'>, fields: Partial<Pick<DeliveryRow, 'state' | 'reason' | 'command_id' | 'attempts' | 'retry_at' | 'started_at' | 'finished_at' | 'expires_at'>>, now: number): void {
    const keys = Object.keys(fields)
    this.db.prepare(`UPDATE broadcast_deliveries SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updated_at = @now
      WHERE broadcast_id = @b AND airing_at = @a AND device_id = @d`).run({ ...fields, now, b: d.broadcastId, a: d.airingAt, d: d.deviceId })
  }

  retriesDue (now: number): Delivery[] {
    return this.db.prepare<[number], DeliveryRow>('SELECT * FROM broadcast_deliveries WHERE retry_at IS NOT NULL AND retry_at <= ?').all(now).map(toDelivery)
  }

  deliveries (broadcastId: string, airingAt?: number): Delivery[] {
    const rows = airingAt === undefined
      ? this.db.prepare<[string], DeliveryRow>('SELECT * FROM broadcast_deliveries WHERE broadcast_id = ? ORDER BY airing_at DESC, village, device_id').all(broadcastId)
      : this.db.prepare<[string, number], DeliveryRow>('SELECT * FROM broadcast_deliveries WHERE broadcast_id = ? AND airing_at = ? ORDER BY village, device_id').all(broadcastId, airingAt)
    return rows.map(toDelivery)
  }

  /** Deliveries not yet at an end, of every airing. */
  openDeliveries (broadcastId: string): number {
    return this.db.prepare<[string], number>(`SELECT count(*) FROM broadcast_deliveries WHERE broadcast_id = ?
      AND state NOT IN ('done', 'failed', 'timed_out', 'expired')`).pluck().get(broadcastId)!
  }

  summary (broadcastId: string): Summary {
    const airingAt = this.db.prepare<[string], number | null>('SELECT max(airing_at) FROM broadcast_deliveries WHERE broadcast_id = ?').pluck().get(broadcastId) ?? null
    const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>
    const out: Summary = { airingAt, targeted: 0, outcome: 'not_aired', missed: [], ...counts }
    if (airingAt === null) return out
    const rows = this.db.prepare<[string, number], { state: DeliveryState; n: number }>(
      'SELECT state, count(*) AS n FROM broadcast_deliveries WHERE broadcast_id = ? AND airing_at = ? GROUP BY state').all(broadcastId, airingAt)
    for (const r of rows) { out[r.state] = r.n; out.targeted += r.n }
    out.outcome = outcomeOf(out)
    if (out.failed + out.timed_out + out.expired > 0) {
      out.missed = this.db.prepare<[string, number], { deviceId: string; name: string | null; village: string; state: DeliveryState; reason: string | null }>(
        `SELECT d.device_id AS deviceId, v.name, d.village, d.state, d.reason FROM broadcast_deliveries d LEFT JOIN devices v ON v.id = d.device_id
         WHERE d.broadcast_id = ? AND d.airing_at = ? AND d.state IN ('failed', 'timed_out', 'expired') ORDER BY d.village, d.device_id`).all(broadcastId, airingAt)
    }
    return out
  }

  /** The broadcast log (nhật ký phát): every delivery whose airing falls in [from, to), or of one bulletin. */
  log (q: { from: number; to: number; broadcastId?: string }): LogRow[] {
    return this.db.prepare<[string | null, string | null, number, number], DeliveryRow & { title: string; priority: Priority; created_by: string; approved_by: string | null; duration_ms: number; device_name: string | null }>(
      `SELECT d.*, b.title, b.priority, b.created_by, b.approved_by, v.name AS device_name,
         c.duration_ms * b.repeat + CAST(b.gap_s * 1000 AS INTEGER) * (b.repeat - 1) AS duration_ms
       FROM broadcast_deliveries d JOIN broadcasts b ON b.id = d.broadcast_id JOIN audio_clips c ON c.id = b.clip_id LEFT JOIN devices v ON v.id = d.device_id
       WHERE (? IS NULL OR d.broadcast_id = ?) AND d.airing_at >= ? AND d.airing_at < ? ORDER BY d.airing_at, d.broadcast_id, d.village, d.device_id`)
      .all(q.broadcastId ?? null, q.broadcastId ?? null, q.from, q.to)
      .map((r) => ({ ...toDelivery(r), title: r.title, priority: r.priority, createdBy: r.created_by, approvedBy: r.approved_by, durationMs: r.duration_ms, deviceName: r.device_name }))
  }
}
