// Cross-commune flood warnings (issue #19). A reservoir's discharge floods villages of other
// communes downstream. The province keeps the basin map (each station's downstream villages
// with their communes) and pushes each box its part. When a station's level alarm reaches
// báo động III or the design flood (it arrives first, in the uplink's alarms lane), the
// station's own box warns its own villages as before, and the province sends the spoken
// emergency to the downstream villages of the other communes, in the commune's words
// (gateway/broadcasts/warnings.ts, issued by the province), played three times with 5 s
// between, with the same proof. A commune whose box is silent shows at once as not warned.
import { createHash } from 'node:crypto'
import type { JetStreamClient } from 'nats'
import type pg from 'pg'
import { z } from 'zod'
import { COMMUNE_CODE } from '../../edge/uplink/lanes.js'
import { warningText } from '../../gateway/broadcasts/warnings.js'
import type { Logger } from '../../gateway/log.js'
import { BulletinError, type ProvinceBulletins, type Who } from './compose.js'

/** A level alarm at báo động III (stage 3) or the design flood (4), as the commune's warnings. */
const WARN_FROM_STAGE = 3
/** One warning per reservoir in this time, as the commune's. */
const QUIET_MS = 30 * 60_000
/** An alarm older than this (a replay, a box back after days) no longer warns anyone. */
const STALE_MS = 30 * 60_000
const SYSTEM: Who = { username: 'system', role: 'staff', mayApprove: true }

const Name = z.string().trim().min(1).max(120)
export const BasinStation = z.strictObject({
  commune: z.string().regex(COMMUNE_CODE),
  stationId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  name: Name,
  reservoir: Name.nullable().default(null),
  basin: Name.nullable().default(null),
  downstream: z.array(z.strictObject({ commune: z.string().regex(COMMUNE_CODE), villages: z.array(Name).min(1).max(100) })).max(100)
})
export type BasinStation = z.output<typeof BasinStation>

export async function setBasinStation (pool: pg.Pool, input: unknown): Promise<BasinStation> {
  const parsed = BasinStation.safeParse(input)
  if (!parsed.success) throw new BulletinError(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
  const s = parsed.data
  const codes = [s.commune, ...s.downstream.map((d) => d.commune)]
  const known = new Set((await pool.query<{ code: string }>('SELECT code FROM communes WHERE code = ANY($1)', [codes])).rows.map((r) => r.code))
  const unknown = codes.filter((c) => !known.has(c))
  if (unknown.length > 0) throw new BulletinError(400, `unknown communes: ${[...new Set(unknown)].join(', ')}`)
  await pool.query(`INSERT INTO basin_stations (commune, station_id, name, reservoir, basin, downstream, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
    ON CONFLICT (commune, station_id) DO UPDATE SET name = EXCLUDED.name, reservoir = EXCLUDED.reservoir, basin = EXCLUDED.basin,
      downstream = EXCLUDED.downstream, updated_at = EXCLUDED.updated_at`, [s.commune, s.stationId, s.name, s.reservoir, s.basin, JSON.stringify(s.downstream), Date.now()])
  return s
}

/** Takes a station off the map: its rises no longer warn other communes. False when it was not on it. */
export async function removeBasinStation (pool: pg.Pool, commune: string, stationId: string): Promise<boolean> {
  const key = BasinStation.pick({ commune: true, stationId: true }).safeParse({ commune, stationId })
  if (!key.success) throw new BulletinError(400, 'not a commune code and station id')
  return ((await pool.query('DELETE FROM basin_stations WHERE commune = $1 AND station_id = $2', [commune, stationId])).rowCount ?? 0) > 0
}

export async function basinMap (pool: pg.Pool): Promise<BasinStation[]> {
  return (await pool.query<{ commune: string; station_id: string; name: string; reservoir: string | null; basin: string | null; downstream: BasinStation['downstream'] }>(
    'SELECT * FROM basin_stations ORDER BY commune, station_id')).rows
    .map((r) => ({ commune: r.commune, stationId: r.station_id, name: r.name, reservoir: r.reservoir, basin: r.basin, downstream: r.downstream }))
}

/**
 * Pushes every box its part of the map: its own stations with the villages of other communes
 * the province warns for them, and the stations upstream of it. At start the id is the
 * content's, so a restart sends nothing new. A change (`changedAt`) goes under an id of its
 * own: a map changed back to an earlier content (a station added, then removed) within the
 * stream's 10-minute duplicate window would otherwise be dropped as a duplicate, and the box
 * keep the station that was removed.
 */
export async function pushBasinMap (pool: pg.Pool, js: JetStreamClient, changedAt: number | null = null): Promise<number> {
  const map = await basinMap(pool)
  const communes = (await pool.query<{ code: string }>('SELECT code FROM communes')).rows.map((r) => r.code)
  for (const code of communes) {
    const body = JSON.stringify({
      type: 'basin',
      stations: map.filter((s) => s.commune === code),
      upstream: map.filter((s) => s.commune !== code && s.downstream.some((d) => d.commune === code))
    })
    const id = createHash('sha256').update(body).digest('hex').slice(0, 32)
    await js.publish(`down.${code}.basin`, new TextEncoder().encode(body), { msgID: `basin:${code}:${id}${changedAt === null ? '' : `:${changedAt}`}` })
  }
  return communes.length
}

/** An alarm row as it came up the alarms lane. */
export interface UpAlarm { commune: string; change: string | null; alarm: Record<string, unknown> }

export class FloodWarnings {
  constructor (private readonly pool: pg.Pool, private readonly bulletins: ProvinceBulletins, private readonly settings: { issuer: string; ttlMin: number }, private readonly log: Logger) {}

  /** Called with the alarm rows of each batch the events worker stored. */
  async onAlarm ({ commune, change, alarm }: UpAlarm, now = Date.now()): Promise<string | null> {
    const details = (alarm.details ?? {}) as Record<string, unknown>
    const stage = Number(details.stage)
    const deviceId = typeof alarm.deviceId === 'string' ? alarm.deviceId : null
    const startedAt = typeof alarm.startedAt === 'number' ? alarm.startedAt : null
    if ((change !== 'raised' && change !== 'worsened') || alarm.type !== 'water_level' || !(stage >= WARN_FROM_STAGE) || !deviceId || startedAt === null) return null
    if (now - Number(typeof alarm.updatedAt === 'number' ? alarm.updatedAt : startedAt) > STALE_MS && now - startedAt > STALE_MS) return null
    const row = (await this.pool.query<{ name: string; reservoir: string | null; downstream: BasinStation['downstream'] }>(
      'SELECT name, reservoir, downstream FROM basin_stations WHERE commune = $1 AND station_id = $2', [commune, deviceId])).rows[0]
    const others = (row?.downstream ?? []).filter((d) => d.commune !== commune)
    if (!row || others.length === 0) return null
    // One warning per reservoir (or station without one) in the quiet time, as the commune's: whichever
    // worker gets here first warns; the others see no row.
    const claimed = await this.pool.query(`INSERT INTO flood_warned (commune, station_id, at) VALUES ($1, $2, $3)
      ON CONFLICT (commune, station_id) DO UPDATE SET at = EXCLUDED.at WHERE flood_warned.at < $3::bigint - $4::bigint RETURNING 1`, [commune, row.reservoir ?? deviceId, now, QUIET_MS])
    if (claimed.rowCount === 0) return null
    const names = new Map((await this.pool.query<{ code: string; name: string }>('SELECT code, name FROM communes WHERE code = ANY($1)', [others.map((d) => d.commune)])).rows.map((r) => [r.code, r.name]))
    const villages = others.flatMap((d) => d.villages.map((v) => `${v} (${names.get(d.commune) ?? d.commune})`))
    const text = warningText({ details, startedAt }, { name: row.name, reservoir: row.reservoir ? { name: row.reservoir } : null }, villages, this.settings.issuer)
    const id = await this.bulletins.compose({
      title: `Cảnh báo lũ khẩn cấp: ${row.reservoir ?? row.name}`.slice(0, 128), priority: 'emergency', text, repeat: 3, gapS: 5, ttlS: this.settings.ttlMin * 60,
      targets: { communes: others.map((d) => d.commune), villages: Object.fromEntries(others.map((d) => [d.commune, d.villages])) }, action: 'send'
    }, SYSTEM, 'flood', { commune, stationId: deviceId, alarmId: alarm.id ?? null, stage })
    this.log.warn({ bulletinId: id, commune, station: deviceId, communes: others.map((d) => d.commune) }, 'flood warning sent to the communes downstream: waiting for every cluster to confirm it played')
    return id
  }
}
