// Who is asking, and may they. Every route is declared with `allow(permission)` or
// `open()`, which tag the handler, so the access-matrix test can find a route that
// forgot to say who may use it (test/gateway/access-matrix.test.ts).
import type { Request, RequestHandler } from 'express'
import type { DeviceKind } from '../contract/index.js'
import { GatewayError } from '../errors.js'
import { roleMay, roleSees, type Permission, type Role } from '../users/roles.js'
import type { Session } from '../users/sessions.js'

export interface Principal {
  /** Username, or "api-token" for the admin bearer token. */
  actor: string
  role: Role
  userId: number | null
  /** The browser session; null for the bearer token. */
  session: Session | null
  mustChangePassword: boolean
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal
  }
}

export type Guard = RequestHandler & { access: Permission | 'public' }

/** Lets through principals whose role has the permission: 401 if nobody signed in, 403 if the role lacks it. */
export function allow (permission: Permission): Guard {
  const guard: RequestHandler = (req, _res, next) => {
    const who = req.principal
    if (!who) return next(new GatewayError('UNAUTHORIZED', 'sign in first (session cookie or Authorization: Bearer <admin token>)'))
    if (who.mustChangePassword && permission !== 'session.own') {
      return next(new GatewayError('PASSWORD_CHANGE_REQUIRED', 'choose a new password first'))
    }
    if (!roleMay(who.role, permission)) return next(new GatewayError('FORBIDDEN', `the ${who.role} role may not do this (${permission})`))
    next()
  }
  return Object.assign(guard, { access: permission })
}

/** A route anyone may call (health, metrics, the login itself), said out loud. */
export function open (): Guard {
  return Object.assign<RequestHandler, { access: 'public' }>((_req, _res, next) => next(), { access: 'public' })
}

export function principalOf (req: Request): Principal {
  if (!req.principal) throw new GatewayError('UNAUTHORIZED', 'sign in first')
  return req.principal
}

/** Refuses a device of a kind the role does not watch. */
export function requireSees (req: Request, kind: DeviceKind): void {
  const { role } = principalOf(req)
  if (!roleSees(role, kind)) throw new GatewayError('FORBIDDEN', `the ${role} role does not see ${kind} devices`)
}

/** The requester's address, for the audit log. */
export const addressOf = (req: Request): string | null => req.ip ?? req.socket.remoteAddress ?? null
