// What the province's views read: communes with their health, alarms (the province's own
// and every commune's open ones), one commune's devices, a station's water-level history
// from the provincial time-series store, and the broadcast log of every commune.
import type pg from 'pg'
import type { InfluxWriter } from '../tsdb/influx.js'

/** A box whose last heartbeat is older than this shows as offline. */
export const ONLINE_MS = 180_000

export interface CommuneRow {
  code: string; name: string; basin: string | null; lat: number | null; lon: number | null
  online: boolean; lastHeartbeat: number | null; lagRows: number; lagAgeS: number | null
  devices: Record<string, { online: number; total: number }>; openAlarms: number
}

export async function communes (pool: pg.Pool, kinds: readonly string[], now = Date.now()): Promise<CommuneRow[]> {
  const rows = (await pool.query<{ code: string; name: string; basin: string | null; lat: number | null; lon: number | null; at: string | null; lag: Record<string, { pending?: number; oldestAgeS?: number | null }> | null }>(
    'SELECT c.code, c.name, c.basin, c.lat, c.lon, h.at, h.lag FROM communes c LEFT JOIN commune_health h ON h.commune = c.code ORDER BY c.name')).rows
  const devices = (await pool.query<{ commune: string; kind: string; online: string; total: string }>(
    'SELECT commune, kind, count(*) FILTER (WHERE online) AS online, count(*) AS total FROM presence WHERE kind = ANY($1) GROUP BY commune, kind', [kinds])).rows
  const alarms = (await pool.query<{ commune: string; n: string }>(
    "SELECT commune, count(*) AS n FROM alarms WHERE state = 'active' AND (kind IS NULL OR kind = ANY($1)) GROUP BY commune", [kinds])).rows
  return rows.map((r) => {
    const at = r.at === null ? null : Number(r.at)
    const lag = Object.values(r.lag ?? {})
    const ages = lag.map((l) => l.oldestAgeS).filter((a): a is number => typeof a === 'number')
    const perKind: CommuneRow['devices'] = {}
    for (const d of devices.filter((x) => x.commune === r.code)) perKind[d.kind] = { online: Number(d.online), total: Number(d.total) }
    return {
      code: r.code, name: r.name, basin: r.basin, lat: r.lat, lon: r.lon,
      online: at !== null && now - at < ONLINE_MS, lastHeartbeat: at,
      lagRows: lag.reduce((n, l) => n + (l.pending ?? 0), 0), lagAgeS: ages.length ? Math.max(...ages) : null,
      devices: perKind, openAlarms: Number(alarms.find((a) => a.commune === r.code)?.n ?? 0)
    }
  })
}

export async function alarms (pool: pg.Pool, kinds: readonly string[]): Promise<{ province: unknown[]; communes: unknown[] }> {
  const province = (await pool.query(`SELECT id, rule, subject, details, raised_at AS "raisedAt", acknowledged_by AS "acknowledgedBy", acknowledged_at AS "acknowledgedAt", escalation,
    escalated_at AS "escalatedAt"
    FROM province_alarms WHERE state = 'active' ORDER BY raised_at DESC`)).rows
  const communes = (await pool.query(`SELECT commune, alarm_id AS "alarmId", type, severity, subject, device_id AS "deviceId", village, kind, started_at AS "startedAt", acknowledged
    FROM alarms WHERE state = 'active' AND (kind IS NULL OR kind = ANY($1)) ORDER BY started_at DESC LIMIT 500`, [kinds])).rows
  return { province, communes }
}

export async function acknowledge (pool: pg.Pool, id: number, username: string): Promise<boolean> {
  const res = await pool.query("UPDATE province_alarms SET acknowledged_by = $2, acknowledged_at = $3 WHERE id = $1 AND state = 'active' AND acknowledged_by IS NULL", [id, username, Date.now()])
  return (res.rowCount ?? 0) > 0
}

export async function devices (pool: pg.Pool, commune: string, kinds: readonly string[]): Promise<unknown[]> {
  return (await pool.query<Record<string, unknown>>(`SELECT device_id AS id, kind, name, village, online, at AS since FROM presence
    WHERE commune = $1 AND kind = ANY($2) ORDER BY kind, village, name`, [commune, kinds])).rows
}

/** An InfluxQL string literal's content: quotes and backslashes escaped. */
const quote = (s: string): string => s.replace(/['\\]/g, (c) => `\\${c}`)

/** A station's water level, averaged per bucket, from the provincial store. */
export async function levelHistory (influx: InfluxWriter, commune: string, deviceId: string, from: number, to: number, points: number): Promise<Array<{ t: number; mean: number | null; min: number | null; max: number | null }>> {
  const step = Math.max(1000, Math.ceil((to - from) / points))
  const q = `SELECT mean(levelM), min(levelM), max(levelM) FROM water_sensor WHERE commune = '${quote(commune)}' AND device = '${quote(deviceId)}' AND time >= ${from}ms AND time < ${to}ms GROUP BY time(${step}ms) fill(none)`
  const res = await influx.query(q)
  return (res.results[0]?.series?.[0]?.values ?? []).map((v) => ({ t: v[0] as number, mean: v[1] as number | null, min: v[2] as number | null, max: v[3] as number | null }))
}

export async function broadcastLog (pool: pg.Pool): Promise<Array<Record<string, unknown>>> {
  return (await pool.query<Record<string, unknown>>(`SELECT b.commune, c.name AS "communeName", b.broadcast_id AS id, b.title, b.priority, b.status, b.summary, b.created_at AS "createdAt", b.updated_at AS "updatedAt"
    FROM broadcasts b LEFT JOIN communes c ON c.code = b.commune ORDER BY b.created_at DESC NULLS LAST LIMIT 2000`)).rows
}
