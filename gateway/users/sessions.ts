// Login sessions. The browser holds a random token in an httpOnly cookie; the database holds
// only its SHA-256, so a copy of state.db does not let anyone in. Each session has its own
// CSRF token, which the dashboard sends back in a header on every state-changing request.
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.js'
import type { User } from './users.js'

export interface Session {
  tokenHash: string
  userId: number
  csrfToken: string
  address: string | null
  createdAt: number
  lastSeenAt: number
}

export interface SessionLimits {
  /** A session unused this long ends. */
  idleMs: number
  /** And every session ends this long after login, used or not. */
  absoluteMs: number
}

interface Row { token_hash: string; user_id: number; csrf_token: string; address: string | null; created_at: number; last_seen_at: number }

const toSession = (row: Row): Session => ({
  tokenHash: row.token_hash, userId: row.user_id, csrfToken: row.csrf_token, address: row.address, createdAt: row.created_at, lastSeenAt: row.last_seen_at
})
const digest = (token: string): string => createHash('sha256').update(token).digest('base64url')
// Writing last_seen_at on every request would be a disk write per click; a minute is precise enough.
const TOUCH_EVERY_MS = 60_000

export class Sessions {
  constructor (private readonly db: Db, private readonly limits: SessionLimits, private readonly now: () => number = Date.now) {}

  /** Starts a session; the token is returned once, for the cookie. */
  create (user: User, address: string | null): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url')
    const at = this.now()
    const session: Session = { tokenHash: digest(token), userId: user.id, csrfToken: randomBytes(24).toString('base64url'), address, createdAt: at, lastSeenAt: at }
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, csrf_token, address, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(session.tokenHash, user.id, session.csrfToken, address, at, at)
    return { token, session }
  }

  /** The live session of a token, kept alive by this use; null when unknown or expired. */
  resume (token: string): Session | null {
    const row = this.db.prepare<[string], Row>('SELECT * FROM sessions WHERE token_hash = ?').get(digest(token))
    if (!row) return null
    const at = this.now()
    if (this.expired(row)) {
      this.end(row.token_hash)
      return null
    }
    if (at - row.last_seen_at > TOUCH_EVERY_MS) {
      this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(at, row.token_hash)
      row.last_seen_at = at
    }
    return toSession(row)
  }

  /** The session of a hash while it is live, without counting this as use; an expired one is deleted. */
  alive (tokenHash: string): Session | null {
    const row = this.db.prepare<[string], Row>('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash)
    if (!row) return null
    if (this.expired(row)) {
      this.end(tokenHash)
      return null
    }
    return toSession(row)
  }

  end (tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash)
  }

  /** Ends every session of a user (password changed, account disabled or removed); returns their hashes. */
  endAllOf (userId: number, except?: string): string[] {
    const rows = this.db.prepare<[number], { token_hash: string }>('SELECT token_hash FROM sessions WHERE user_id = ?').all(userId)
    const ended = rows.map((r) => r.token_hash).filter((h) => h !== except)
    const remove = this.db.prepare('DELETE FROM sessions WHERE token_hash = ?')
    for (const hash of ended) remove.run(hash)
    return ended
  }

  private expired (row: Row): boolean {
    const at = this.now()
    return at - row.last_seen_at > this.limits.idleMs || at - row.created_at > this.limits.absoluteMs
  }

  /** Drops expired sessions; run now and then. */
  prune (): number {
    const at = this.now()
    return this.db.prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?').run(at - this.limits.idleMs, at - this.limits.absoluteMs).changes
  }
}
