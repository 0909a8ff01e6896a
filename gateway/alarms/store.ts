// Alarms in state.db: one active alarm per subject (device or village) and type, enforced by
// a unique index; every change written to its history in the same transaction.
import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/database.js'
import { notFound } from '../errors.js'
import type { Alarm, AlarmHistoryEntry, AlarmType, Severity } from './catalog.js'

interface Row {
  id: number; subject: string; device_id: string | null; village: string; kind: Alarm['kind']; type: AlarmType; severity: Severity
  state: Alarm['state']; acknowledged: number; details: string; started_at: number; raised_at: number; updated_at: number
  cleared_at: number | null; cleared_by: string | null; acked_at: number | null; acked_by: string | null
  escalation_level: number; next_escalation_at: number | null; device_name: string | null
}

/** Every alarm with its device's name now (renamed devices are named as they are called today). */
const SELECT = 'SELECT alarms.*, devices.name AS device_name FROM alarms LEFT JOIN devices ON devices.id = alarms.device_id'

const toAlarm = (r: Row): Alarm => ({
  id: r.id, subject: r.subject, deviceId: r.device_id, village: r.village, kind: r.kind, type: r.type, severity: r.severity,
  state: r.state, acknowledged: r.acknowledged === 1, details: JSON.parse(r.details) as Record<string, unknown>,
  startedAt: r.started_at, raisedAt: r.raised_at, updatedAt: r.updated_at, clearedAt: r.cleared_at, clearedBy: r.cleared_by,
  ackedAt: r.acked_at, ackedBy: r.acked_by, escalationLevel: r.escalation_level, nextEscalationAt: r.next_escalation_at,
  deviceName: r.device_name
})

export interface NewAlarm {
  subject: string
  deviceId: string | null
  village: string
  kind: Alarm['kind']
  type: AlarmType
  severity: Severity
  details: Record<string, unknown>
  startedAt: number
  nextEscalationAt: number | null
}

export interface AlarmQuery {
  state?: Alarm['state']
  deviceId?: string
  severity?: Severity
  acknowledged?: boolean
  from?: number
  to?: number
  /** Only these device kinds (and village alarms, which have none). */
  kinds?: readonly string[]
  /** Leave out these types (those the asking role may not see). */
  hiddenTypes?: readonly string[]
  limit: number
}

export class AlarmStore {
  /** Each statement compiled once: an alarm is written and read back several times a minute while it lasts. */
  private readonly statements = new Map<string, Statement>()

  constructor (private readonly db: Db) {}

  private sql<P extends unknown[] = unknown[], R = unknown> (text: string): Statement<P, R> {
    let statement = this.statements.get(text)
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)))
    return statement as unknown as Statement<P, R>
  }

  active (): Alarm[] {
    return this.sql<[], Row>(`${SELECT} WHERE state = 'active'`).all().map(toAlarm)
  }

  get (id: number): Alarm | null {
    const row = this.sql<[number], Row>(`${SELECT} WHERE alarms.id = ?`).get(id)
    return row ? toAlarm(row) : null
  }

  require (id: number): Alarm {
    const alarm = this.get(id)
    if (!alarm) throw notFound(`no alarm ${id}`)
    return alarm
  }

  /** Newest first. */
  list (q: AlarmQuery): Alarm[] {
    const where: string[] = []
    const args: Array<string | number> = []
    if (q.state) { where.push('alarms.state = ?'); args.push(q.state) }
    if (q.deviceId) { where.push('alarms.device_id = ?'); args.push(q.deviceId) }
    if (q.severity) { where.push('alarms.severity = ?'); args.push(q.severity) }
    if (q.acknowledged !== undefined) { where.push('alarms.acknowledged = ?'); args.push(q.acknowledged ? 1 : 0) }
    if (q.from !== undefined) { where.push('alarms.raised_at >= ?'); args.push(q.from) }
    if (q.to !== undefined) { where.push('alarms.raised_at < ?'); args.push(q.to) }
    if (q.hiddenTypes?.length) { where.push(`alarms.type NOT IN (${q.hiddenTypes.map(() => '?').join(', ')})`); args.push(...q.hiddenTypes) }
    if (q.kinds) { where.push(`(alarms.kind IS NULL OR alarms.kind IN (${q.kinds.map(() => '?').join(', ') || 'NULL'}))`); args.push(...q.kinds) }
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY alarms.raised_at DESC, alarms.id DESC LIMIT ?`
    return this.sql<Array<string | number>, Row>(sql).all(...args, q.limit).map(toAlarm)
  }

  history (id: number): AlarmHistoryEntry[] {
    return this.sql<[number], { at: number; what: AlarmHistoryEntry['what']; actor: string | null; comment: string | null; details: string | null }>(
      'SELECT at, what, actor, comment, details FROM alarm_history WHERE alarm_id = ? ORDER BY at, rowid').all(id)
      .map((h) => ({ ...h, details: h.details === null ? null : JSON.parse(h.details) as Record<string, unknown> }))
  }

  raise (a: NewAlarm, at: number): Alarm {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.sql(`
        INSERT INTO alarms (subject, device_id, village, kind, type, severity, state, details, started_at, raised_at, updated_at, next_escalation_at)
        VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)`)
        .run(a.subject, a.deviceId, a.village, a.kind, a.type, a.severity, JSON.stringify(a.details), a.startedAt, at, at, a.nextEscalationAt)
      const id = Number(lastInsertRowid)
      this.note(id, at, 'raised', null, null, a.details)
      return this.require(id)
    })()
  }

  /** A repeat trigger: new details; a worse severity raises it (and is written to the history). */
  update (alarm: Alarm, severity: Severity, details: Record<string, unknown>, at: number): Alarm {
    return this.db.transaction(() => {
      this.sql('UPDATE alarms SET severity = ?, details = ?, updated_at = ? WHERE id = ?').run(severity, JSON.stringify(details), at, alarm.id)
      if (severity !== alarm.severity) this.note(alarm.id, at, 'severity_raised', null, null, { from: alarm.severity, to: severity })
      return this.require(alarm.id)
    })()
  }

  /**
   * A level alarm moves to another stage: new severity and details, the crossing in its
   * history. `rearmAt` (upward) makes it unacknowledged again with its escalation restarted.
   */
  changeStage (alarm: Alarm, severity: Severity, details: Record<string, unknown>, at: number, rearmAt: number | null): Alarm {
    return this.db.transaction(() => {
      this.sql('UPDATE alarms SET severity = ?, details = ?, updated_at = ? WHERE id = ?').run(severity, JSON.stringify(details), at, alarm.id)
      if (rearmAt !== null) {
        this.sql('UPDATE alarms SET acknowledged = 0, acked_at = NULL, acked_by = NULL, escalation_level = 0, next_escalation_at = ? WHERE id = ?').run(rearmAt, alarm.id)
      }
      this.note(alarm.id, at, 'stage_changed', null, null, { fromStage: alarm.details.stage, toStage: details.stage, from: alarm.severity, to: severity, levelM: details.levelM })
      return this.require(alarm.id)
    })()
  }

  /** A comment alone, added to the alarm's thread. */
  comment (id: number, actor: string, comment: string, at: number): Alarm {
    return this.db.transaction(() => {
      this.sql('UPDATE alarms SET updated_at = ? WHERE id = ?').run(at, id)
      this.note(id, at, 'commented', actor, comment, null)
      return this.require(id)
    })()
  }

  acknowledge (id: number, actor: string, comment: string | null, at: number): Alarm {
    return this.db.transaction(() => {
      this.sql('UPDATE alarms SET acknowledged = 1, acked_at = ?, acked_by = ?, next_escalation_at = NULL, updated_at = ? WHERE id = ?').run(at, actor, at, id)
      this.note(id, at, 'acknowledged', actor, comment, null)
      return this.require(id)
    })()
  }

  clear (id: number, actor: string | null, comment: string | null, at: number, details: Record<string, unknown> | null = null): Alarm {
    return this.db.transaction(() => {
      this.sql("UPDATE alarms SET state = 'cleared', cleared_at = ?, cleared_by = ?, next_escalation_at = NULL, updated_at = ? WHERE id = ?").run(at, actor, at, id)
      this.note(id, at, 'cleared', actor, comment, details)
      return this.require(id)
    })()
  }

  escalate (id: number, level: number, next: number | null, at: number): Alarm {
    return this.db.transaction(() => {
      this.sql('UPDATE alarms SET escalation_level = ?, next_escalation_at = ?, updated_at = ? WHERE id = ?').run(level, next, at, id)
      this.note(id, at, 'escalated', null, null, { level })
      return this.require(id)
    })()
  }

  private note (id: number, at: number, what: AlarmHistoryEntry['what'], actor: string | null, comment: string | null, details: Record<string, unknown> | null): void {
    this.sql('INSERT INTO alarm_history (alarm_id, at, what, actor, comment, details) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, at, what, actor, comment, details === null ? null : JSON.stringify(details))
  }
}
