// Runs the province-wide rules every few seconds and reconciles their findings with the
// province's own alarms (one active alarm per rule and subject, a unique index): new findings
// are raised, findings gone are cleared. State is in PostgreSQL, so any replica may run it.
import type pg from 'pg'
import type { Logger } from '../../gateway/log.js'
import { escalate, floodFindings } from '../bulletins/escalation.js'
import { evaluate, type CommuneState, type Level3, type RuleSettings } from './rules.js'

/** An unacknowledged flood alarm goes a level up this often unless set otherwise. */
const ESCALATE_MS = 5 * 60_000

export type { RuleSettings } from './rules.js'

export class RuleSweep {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null

  constructor (private readonly pool: pg.Pool, private readonly settings: RuleSettings & { sweepMs: number; escalateMs?: number }, private readonly log: Logger) {}

  start (): void {
    this.timer = setInterval(() => { this.running ??= this.sweep(Date.now()).catch((err: unknown) => { this.log.warn({ err }, 'province rules not evaluated') }).finally(() => { this.running = null }) }, this.settings.sweepMs)
    this.timer.unref()
  }

  stop (): void { if (this.timer) clearInterval(this.timer) }

  async sweep (now: number): Promise<void> {
    const communes = (await this.pool.query<{ code: string; basin: string | null; at: string | null }>(
      'SELECT c.code, c.basin, h.at FROM communes c LEFT JOIN commune_health h ON h.commune = c.code')).rows
      .map((r): CommuneState => ({ code: r.code, basin: r.basin, lastHeartbeat: r.at === null ? null : Number(r.at) }))
    const level3 = (await this.pool.query<{ commune: string; device_id: string; basin: string | null }>(
      `SELECT a.commune, a.device_id, c.basin FROM alarms a JOIN communes c ON c.code = a.commune
       WHERE a.state = 'active' AND a.device_id IS NOT NULL AND (a.type IN ('level_3', 'design_flood')
         OR (a.type = 'water_level' AND (a.details->>'stage') ~ '^[0-9]+$' AND (a.details->>'stage')::int >= 3))`)).rows
      .map((r): Level3 => ({ commune: r.commune, deviceId: r.device_id, basin: r.basin }))
    const findings: Array<{ rule: string; subject: string; details: Record<string, unknown> }> = [...evaluate(now, communes, level3, this.settings), ...await floodFindings(this.pool, now)]
    const active = (await this.pool.query<{ id: string; rule: string; subject: string }>("SELECT id, rule, subject FROM province_alarms WHERE state = 'active'")).rows
    const found = new Set(findings.map((f) => `${f.rule}|${f.subject}`))
    for (const f of findings) {
      await this.pool.query(`INSERT INTO province_alarms (rule, subject, state, details, raised_at) VALUES ($1, $2, 'active', $3, $4)
        ON CONFLICT (rule, subject) WHERE state = 'active' DO UPDATE SET details = EXCLUDED.details`, [f.rule, f.subject, JSON.stringify(f.details), now])
    }
    for (const a of active) {
      if (!found.has(`${a.rule}|${a.subject}`)) await this.pool.query("UPDATE province_alarms SET state = 'cleared', cleared_at = $2 WHERE id = $1", [a.id, now])
    }
    await escalate(this.pool, now, this.settings.escalateMs ?? ESCALATE_MS, this.log)
  }
}
