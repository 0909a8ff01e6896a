// A downstream village whose clusters did not play a flood warning in full (issue #19) is a
// critical provincial alarm, one per commune and village, that escalates (a level more every
// few minutes, logged as an error) until someone at the province acknowledges it, and clears
// when a later flood warning, or the same one sent again at the commune, plays there in full.
// The commune's own box raises its critical broadcast_unconfirmed alarm for the same village
// (the warning is an emergency in its broadcast engine), which reaches its officials by SMS
// and Zalo as its alarms do.
import type pg from 'pg'
import type { Logger } from '../../gateway/log.js'
import { bulletinView } from './view.js'

export const FLOOD_UNPLAYED = 'flood_warning_unplayed'
/** Flood warnings older than this no longer raise the alarm (their villages have been dealt with). */
const WINDOW_MS = 24 * 3_600_000

export interface FloodFinding { rule: typeof FLOOD_UNPLAYED; subject: string; details: Record<string, unknown> }

/** Per commune and village, the latest flood warning that targeted it, when it did not play there in full. */
export async function floodFindings (pool: pg.Pool, now: number): Promise<FloodFinding[]> {
  const ids = (await pool.query<{ id: string }>("SELECT id FROM province_bulletins WHERE origin = 'flood' AND sent_at > $1 ORDER BY sent_at", [now - WINDOW_MS])).rows
  const latest = new Map<string, FloodFinding | null>()
  for (const { id } of ids) {
    const b = await bulletinView(pool, id, now)
    if (!b) continue
    for (const c of b.communes) {
      const asked = c.villagesAsked ?? c.villages.map((v) => v.village)
      for (const village of asked) {
        const subject = `${c.commune}/${village}`
        const v = c.villages.find((x) => x.village === village)
        // A village is judged as soon as each of its clusters has ended (the others may still be playing);
        // one with no cluster's answer when its commune's outcome is final (refused, expired, no answer) did not play it.
        const final = c.outcome === 'played' || c.outcome === 'partly_played' || c.outcome === 'not_played'
        const missed = v ? v.done + v.missed.length === v.targeted && v.done < v.targeted : final
        latest.set(subject, missed
          ? {
            rule: FLOOD_UNPLAYED, subject,
            details: { bulletinId: b.id, title: b.title, commune: c.commune, communeName: c.name, village, done: v?.done ?? 0, targeted: v?.targeted ?? 0, why: c.reason, clusters: (v?.missed ?? []).map((m) => ({ id: m.deviceId, name: m.name, state: m.state, reason: m.reason })) }
          }
          : null)
      }
    }
  }
  return [...latest.values()].filter((f): f is FloodFinding => f !== null)
}

/** Active, unacknowledged flood alarms go one level up every `everyMs`. */
export async function escalate (pool: pg.Pool, now: number, everyMs: number, log: Logger): Promise<void> {
  const due = await pool.query<{ id: string; subject: string; escalation: number }>(`UPDATE province_alarms SET escalation = escalation + 1, escalated_at = $1::bigint
    WHERE state = 'active' AND rule = $2 AND acknowledged_by IS NULL AND coalesce(escalated_at, raised_at) <= $1::bigint - $3::bigint RETURNING id, subject, escalation`, [now, FLOOD_UNPLAYED, everyMs])
  for (const a of due.rows) log.error({ alarmId: a.id, village: a.subject, escalation: a.escalation }, 'a downstream village has still not played the flood warning in full, and nobody at the province has acknowledged it')
}
