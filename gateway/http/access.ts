// Who is asking, and may they. Every route is declared with `allow(permission)` or
// `open()`, which tag the handler, so the access-matrix test can find a route that
// forgot to say who may use it (test/gateway/access-matrix.test.ts).
import express, { type Request, type RequestHandler } from 'express'
import type { DeviceKind } from '../contract/index.js'
import { GatewayError } from '../errors.js'
import { scopeMay, scopeSees, type Permission } from '../users/roles.js'
import type { AuditLog } from '../users/audit.js'
import type { Principal } from '../users/identify.js'

export type { Principal } from '../users/identify.js'

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal
  }
}

export type Guard = RequestHandler & { access: Permission | 'public' }

/**
 * JSON bodies are read here, by the route's guard, once it knows who is asking and that they
 * may: an unknown caller's 5 MB post is refused before a byte of it is read (issue #14), and
 * a route that takes no body never parses one. Only writes carry bodies.
 */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
export const jsonBody = (limitBytes: number): RequestHandler => {
  const parser = express.json({ limit: limitBytes })
  return (req, res, next) => {
    // Only JSON is this parser's; a route that takes another type reads it with its own parser.
    if (!WRITES.has(req.method) || !req.is('application/json')) return next()
    // body-parser refuses a too-long body only after reading it to its end: refuse it unread.
    const tooLarge = tooLargeBody(req, limitBytes)
    if (tooLarge) return next(tooLarge)
    parser(req, res, next)
  }
}
const SIGNED_IN_JSON = jsonBody(1024 * 1024)

/** 413 when the announced Content-Length is over the limit (a chunked body is cut by the parser at the limit). */
export function tooLargeBody (req: Request, limitBytes: number): GatewayError | null {
  const declared = Number(req.headers['content-length'] ?? 0)
  return declared > limitBytes ? new GatewayError('PAYLOAD_TOO_LARGE', `request body too large (at most ${limitBytes} bytes here)`) : null
}

/** Lets through principals whose role has the permission: 401 if nobody signed in, 403 if the role lacks it. */
export function allow (permission: Permission): Guard {
  const guard: RequestHandler = (req, res, next) => {
    const who = req.principal
    if (!who) return next(new GatewayError('UNAUTHORIZED', 'sign in first (session cookie or Authorization: Bearer <token>)'))
    if (who.mustChangePassword && permission !== 'session.own') {
      return next(new GatewayError('PASSWORD_CHANGE_REQUIRED', 'choose a new password first'))
    }
    if (!scopeMay(who.scope, permission)) return next(new GatewayError('FORBIDDEN', `${callerName(who)} may not do this (${permission})`))
    SIGNED_IN_JSON(req, res, next)
  }
  return Object.assign(guard, { access: permission })
}

/** A route anyone may call (health, metrics, the login itself), said out loud; a body only if it takes one, kept small. */
export function open (body?: RequestHandler): Guard {
  const guard: RequestHandler = (req, res, next) => { if (body) body(req, res, next); else next() }
  return Object.assign(guard, { access: 'public' as const })
}

export function principalOf (req: Request): Principal {
  if (!req.principal) throw new GatewayError('UNAUTHORIZED', 'sign in first')
  return req.principal
}

/** "the police role", or "the token lgsp-tinh": who was refused, in an error message. */
export const callerName = (who: Principal): string => who.role ? `the ${who.role} role` : `the token ${who.actor.replace(/^token:/, '')}`

/** Refuses a device of a kind the caller does not watch. */
export function requireSees (req: Request, kind: DeviceKind): void {
  const who = principalOf(req)
  if (!scopeSees(who.scope, kind)) throw new GatewayError('FORBIDDEN', `${callerName(who)} does not see ${kind} devices`)
}

/** The device kinds the caller watches. */
export const kindsOf = (req: Request): readonly DeviceKind[] => principalOf(req).scope.kinds

/** The requester's address, for the audit log. */
export const addressOf = (req: Request): string | null => req.ip ?? req.socket.remoteAddress ?? null

/** Records a request's change in the audit log under whoever asked, from where. */
export const auditor = (audit: AuditLog) => (req: Request, action: string, target: string, details?: unknown): void => {
  const who = principalOf(req)
  audit.record({ actor: who.actor, role: who.role, action, target, details, address: addressOf(req) })
}
