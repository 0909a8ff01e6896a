// Who is asking: a person by their session cookie, or the admin by the bearer token. Shared
// by the HTTP API (http/session.ts) and the live socket's handshake (realtime/), so neither
// depends on the other; nothing here knows about express or socket.io.
import { createHash, timingSafeEqual } from 'node:crypto'
import { parse as parseCookies } from 'cookie'
import { GatewayError } from '../errors.js'
import { scopeOfRole, type Role, type Scope } from './roles.js'
import type { Session, Sessions } from './sessions.js'
import type { User, Users } from './users.js'

export const SESSION_COOKIE = 'gw_session'

export interface Principal {
  /** Username, "api-token" for the admin bearer token, or "token:<name>" for an integration token. */
  actor: string
  /** A person's role; null for an integration token, whose scope comes from its grants. */
  role: Role | null
  /** What the caller may do and which device kinds they see. */
  scope: Scope
  /** The integration token's id (null for people and the admin token). */
  tokenId?: number
  userId: number | null
  /** The browser session; null for the bearer token. */
  session: Session | null
  mustChangePassword: boolean
}

export interface IdentifyDeps { users: Users; sessions: Sessions; adminToken: string }

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()
export const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b))

export function principalFor (user: User, session: Session | null): Principal {
  return { actor: user.username, role: user.role, scope: scopeOfRole(user.role), userId: user.id, session, mustChangePassword: user.mustChangePassword }
}

/** Who a request (or a socket handshake) comes from, by bearer token or session cookie; null if nobody. */
export function identify (deps: IdentifyDeps, headers: { authorization?: string; cookie?: string }): Principal | null {
  const bearer = /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1]
  if (bearer !== undefined) {
    if (!same(bearer, deps.adminToken)) throw new GatewayError('UNAUTHORIZED', 'wrong admin token')
    return { actor: 'api-token', role: 'admin', scope: scopeOfRole('admin'), userId: null, session: null, mustChangePassword: false }
  }
  const token = parseCookies(headers.cookie ?? '')[SESSION_COOKIE]
  if (!token) return null
  const session = deps.sessions.resume(token)
  const user = session ? deps.users.get(session.userId) : null
  return session && user?.enabled ? principalFor(user, session) : null
}
