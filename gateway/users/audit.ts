// The audit log: who did what, when, from which address. Written for every change a person
// makes and every login, read by admins. Rows are never updated.
import { userInfo } from 'node:os'
import type { Db } from '../db/database.js'
import type { Role } from './roles.js'

export interface AuditEntry {
  id: number
  at: number
  /** Username, or "api-token" for the admin bearer token, or "system". */
  actor: string
  role: Role | null
  /** What was done, as area.verb: "session.login", "device.update", "command.send" ... */
  action: string
  target: string | null
  details: unknown
  address: string | null
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'details'> & { details?: unknown }

export interface AuditQuery {
  from?: number
  to?: number
  actor?: string
  action?: string
  limit: number
}

interface Row { id: number; at: number; actor: string; role: Role | null; action: string; target: string | null; details: string | null; address: string | null }

/**
 * Who ran a command in the box's shell: the system account, or the person behind sudo (root
 * is everyone). Shell changes are recorded under it, so "who removed this camera" has an answer.
 */
export function shellUser (env: NodeJS.ProcessEnv = process.env): string {
  let name: string
  try {
    name = userInfo().username
  } catch {
    // A container may run under a uid with no passwd entry.
    name = env.USER ?? `uid ${process.getuid?.() ?? '?'}`
  }
  return env.SUDO_USER && env.SUDO_USER !== name ? `${env.SUDO_USER} (sudo ${name})` : name
}

export class AuditLog {
  constructor (private readonly db: Db, private readonly now: () => number = Date.now) {}

  record (entry: AuditInput): void {
    this.db.prepare('INSERT INTO audit_log (at, actor, role, action, target, details, address) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(this.now(), entry.actor, entry.role, entry.action, entry.target, entry.details === undefined ? null : JSON.stringify(entry.details), entry.address)
  }

  /** Newest first. */
  list (q: AuditQuery): AuditEntry[] {
    const rows = this.db.prepare<[number, number, string | null, string | null, string | null, string | null, number], Row>(`
      SELECT * FROM audit_log
      WHERE at >= ? AND at < ? AND (? IS NULL OR actor = ?) AND (? IS NULL OR action LIKE ? || '%')
      ORDER BY at DESC, id DESC LIMIT ?`)
      .all(q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, q.actor ?? null, q.actor ?? null, q.action ?? null, q.action ?? null, q.limit)
    return rows.map((r) => ({ ...r, details: r.details === null ? null : JSON.parse(r.details) as unknown }))
  }
}
