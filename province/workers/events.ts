// Alarms, proof of play, presence, the broadcast log, device events, gaps and heartbeats into
// PostgreSQL. One transaction per fetch; each row applied only when newer than what is there
// (its version is the commune's outbox sequence), so order and duplicates do not matter.
import type { JetStreamClient, JsMsg } from 'nats'
import type pg from 'pg'
import type { Logger } from '../../gateway/log.js'
import { EVENTS_CONSUMER, EVENTS_STREAM } from '../nats/streams.js'
import { communeOf, startPullWorker, type PullWorker } from './pull.js'
import type { UpBatch } from './readings.js'
import type { UpAlarm } from '../bulletins/flood.js'

type Row = Record<string, unknown>
type Sql = (text: string, values: unknown[]) => Promise<unknown>

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const obj = (v: unknown): Row => (v !== null && typeof v === 'object' ? v as Row : {})

async function applyRow (sql: Sql, commune: string, version: number, body: Row, receivedAt: number): Promise<void> {
  switch (body.type) {
    case 'alarm': {
      const a = obj(body.alarm)
      await sql(`INSERT INTO alarms (commune, alarm_id, version, change, type, severity, state, acknowledged, subject, device_id, village, kind, details, started_at, cleared_at, received_at)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
        ON CONFLICT (commune, alarm_id) DO UPDATE SET version = EXCLUDED.version, change = EXCLUDED.change, severity = EXCLUDED.severity,
          state = EXCLUDED.state, acknowledged = EXCLUDED.acknowledged, details = EXCLUDED.details, cleared_at = EXCLUDED.cleared_at, received_at = EXCLUDED.received_at
        WHERE alarms.version < EXCLUDED.version`,
      [commune, num(a.id), version, str(body.change), str(a.type), str(a.severity), str(a.state), a.acknowledged === true, str(a.subject),
        str(a.deviceId), str(a.village), str(a.kind), JSON.stringify(obj(a.details)), num(a.startedAt), num(a.clearedAt), receivedAt])
      return
    }
    case 'presence': {
      const d = obj(body.device)
      await sql(`INSERT INTO presence (commune, device_id, version, online, at, reason, kind, name, village) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
        ON CONFLICT (commune, device_id) DO UPDATE SET version = EXCLUDED.version, online = EXCLUDED.online, at = EXCLUDED.at, reason = EXCLUDED.reason,
          kind = coalesce(EXCLUDED.kind, presence.kind), name = coalesce(EXCLUDED.name, presence.name), village = coalesce(EXCLUDED.village, presence.village)
        WHERE presence.version < EXCLUDED.version`,
      [commune, str(body.deviceId), version, body.online === true, num(body.at), str(body.reason), str(d.kind), str(d.name), str(d.village)])
      return
    }
    case 'proof': {
      const c = obj(body.command)
      await sql(`INSERT INTO proof (commune, command_id, version, device_id, status, reason, params, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
        ON CONFLICT (commune, command_id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at
        WHERE proof.version < EXCLUDED.version`,
      [commune, str(c.id), version, str(c.deviceId), str(c.status), str(c.reason), JSON.stringify(obj(c.params)), num(c.createdAt), num(c.updatedAt)])
      return
    }
    case 'broadcast': {
      const b = obj(body.broadcast)
      await sql(`INSERT INTO broadcasts (commune, broadcast_id, version, title, priority, status, summary, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
        ON CONFLICT (commune, broadcast_id) DO UPDATE SET version = EXCLUDED.version, title = EXCLUDED.title, status = EXCLUDED.status, summary = EXCLUDED.summary, updated_at = EXCLUDED.updated_at
        WHERE broadcasts.version < EXCLUDED.version`,
      [commune, str(b.id), version, str(b.title), str(b.priority), str(b.status), JSON.stringify(obj(body.summary)), num(b.createdAt), num(b.updatedAt)])
      return
    }
    case 'provincial': {
      // A provincial bulletin's proof: every cluster of the commune as one snapshot, newer wins.
      const id = str(body.provincialId)
      if (!id || !UUID.test(id)) throw new Error(`provincial proof for an unknown bulletin ${String(id)}`)
      await sql(`UPDATE province_bulletin_targets SET version = $3, status = $4, reason = $5, summary = $6, deliveries = $7, answered_at = $8
        WHERE bulletin_id = $1 AND commune = $2 AND (version IS NULL OR version < $3)`,
      [id, commune, version, str(body.status), str(body.reason), JSON.stringify(body.summary ?? null), JSON.stringify(Array.isArray(body.deliveries) ? body.deliveries : []), receivedAt])
      return
    }
    default:
      throw new Error(`unknown row type ${String(body.type)}`)
  }
}

async function applyMessage (sql: Sql, m: JsMsg, log: Logger, alarms: UpAlarm[]): Promise<void> {
  const { commune, lane } = communeOf(m.subject)
  const now = Date.now()
  let data: unknown
  try { data = m.json() } catch { log.warn({ subject: m.subject }, 'uplink message is not JSON; dropped'); return }
  const d = obj(data)
  if (lane === 'heartbeat') {
    await sql(`INSERT INTO commune_health (commune, at, version, journal_depth, outbox_bytes, lag) VALUES ($1,$2,$3,$4,$5,$6)
      ON CONFLICT (commune) DO UPDATE SET at = EXCLUDED.at, version = EXCLUDED.version, journal_depth = EXCLUDED.journal_depth,
        outbox_bytes = EXCLUDED.outbox_bytes, lag = EXCLUDED.lag WHERE commune_health.at < EXCLUDED.at`,
    [commune, num(d.at), str(d.version), num(d.journalDepth), num(d.outboxBytes), JSON.stringify(obj(d.lag))])
    return
  }
  if (lane === 'gap') {
    await sql('INSERT INTO gaps (commune, lane, first, last, count, at) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING',
      [commune, str(d.lane), num(d.first), num(d.last), num(d.count), num(d.at)])
    return
  }
  for (const row of (data as UpBatch<Row>).rows ?? []) {
    if (lane === 'events') {
      const p = obj(row.body)
      const f = obj(p.fields)
      await sql('INSERT INTO device_events (commune, device_id, ts, type, body) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING',
        [commune, str(p.deviceId), num(p.ts), str(f.type) ?? 'event', JSON.stringify(f)])
      continue
    }
    if (lane === 'alarms') { const b = obj(row.body); alarms.push({ commune, change: str(b.change), alarm: obj(b.alarm) }) }
    // A row PostgreSQL refuses (a malformed body) must not abort the rows beside it.
    await sql('SAVEPOINT row', [])
    try {
      await applyRow(sql, commune, row.seq, obj(row.body), now)
    } catch (err) {
      await sql('ROLLBACK TO SAVEPOINT row', [])
      log.warn({ err, commune, lane, seq: row.seq }, 'uplink row not applied; skipped')
    }
  }
}

/**
 * `onAlarms` hears the alarm changes of each stored batch, after its commit (the province's
 * cross-commune flood warnings); it must not throw, and a redelivery may repeat them.
 */
export function startEventsWorker (js: JetStreamClient, pool: pg.Pool, log: Logger, onAlarms?: (alarms: UpAlarm[]) => Promise<void>): PullWorker {
  return startPullWorker(js, {
    stream: EVENTS_STREAM,
    consumer: EVENTS_CONSUMER,
    batch: 100,
    handle: async (msgs) => {
      const client = await pool.connect()
      const alarms: UpAlarm[] = []
      try {
        await client.query('BEGIN')
        const sql: Sql = (text, values) => client.query(text, values)
        for (const m of msgs) await applyMessage(sql, m, log, alarms)
        await client.query('COMMIT')
        if (onAlarms && alarms.length > 0) void onAlarms(alarms)
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {})
        throw err
      } finally {
        client.release()
      }
    }
  }, log)
}
