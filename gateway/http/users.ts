// /api/users and /api/audit: the admin's pages. Every change is written to the audit log.
import { Router, type Request } from 'express'
import { z } from 'zod'
import { GatewayError } from '../errors.js'
import type { AuditLog } from '../users/audit.js'
import { generatePassword } from '../users/passwords.js'
import type { Sessions } from '../users/sessions.js'
import { UserInput, UserPatch, type Users } from '../users/users.js'
import { addressOf, allow, principalOf } from './access.js'
import { AuditEntryAnswer, UserAnswer } from './answers.js'
import { doc } from './describe.js'
import { parse } from './parse.js'

export interface UserRouteDeps {
  users: Users
  sessions: Sessions
  audit: AuditLog
  onSessionsEnded: (tokenHashes: string[]) => void
}

const Time = z.union([z.coerce.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])
const AuditQuery = z.strictObject({
  from: Time.optional(),
  to: Time.optional(),
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200)
})
const userId = (req: Request): number => {
  const id = Number(req.params.id)
  if (!Number.isInteger(id)) throw new GatewayError('NOT_FOUND', `no user ${String(req.params.id)}`)
  return id
}
/** What the log keeps of a change: never the password itself. */
export const withoutPassword = (body: unknown): unknown => {
  if (typeof body !== 'object' || body === null) return body
  const { password, ...rest } = body as Record<string, unknown>
  return password === undefined ? rest : { ...rest, password: '(changed)' }
}

export function userRoutes (deps: UserRouteDeps): Router {
  const router = Router()
  const { users, sessions, audit } = deps
  const record = (req: Request, action: string, target: string, details?: unknown) => {
    const who = principalOf(req)
    audit.record({ actor: who.actor, role: who.role, action, target, details, address: addressOf(req) })
  }

  router.get('/users', allow('users.manage'), doc({ summary: 'Accounts', answer: z.array(UserAnswer) }), (_req, res) => {
    res.json(users.list())
  })

  // A password set by an admin is temporary: the person must choose their own at first login.
  // Without one, the gateway makes one and returns it this once.
  router.post('/users', allow('users.manage'), doc({ summary: 'Add an account (without a password: a one-time password in this answer only)', body: UserInput, answers: [{ status: 201, json: UserAnswer.extend({ oneTimePassword: z.string().optional() }) }] }), async (req, res) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>
    const oneTimePassword = body.password === undefined ? generatePassword() : null
    const user = await users.create(oneTimePassword ? { ...body, password: oneTimePassword } : body, { mustChangePassword: true })
    record(req, 'user.create', user.username, withoutPassword(body))
    res.status(201).json(oneTimePassword ? { ...user, oneTimePassword } : user)
  })

  router.patch('/users/:id', allow('users.manage'), doc({ summary: 'Change an account', body: UserPatch, answer: UserAnswer }), async (req, res) => {
    const user = await users.update(userId(req), req.body)
    const body = req.body as { password?: unknown; role?: unknown; enabled?: unknown }
    if (body.password !== undefined || body.role !== undefined || body.enabled === false) deps.onSessionsEnded(sessions.endAllOf(user.id))
    record(req, 'user.update', user.username, withoutPassword(req.body))
    res.json(user)
  })

  router.delete('/users/:id', allow('users.manage'), doc({ summary: 'Remove an account (its sessions end)' }), (req, res) => {
    const user = users.require(userId(req))
    deps.onSessionsEnded(sessions.endAllOf(user.id))
    users.remove(user.id)
    record(req, 'user.remove', user.username)
    res.status(204).end()
  })

  router.get('/audit', allow('audit.read'), doc({ summary: 'The audit log, newest first', query: AuditQuery, answer: z.array(AuditEntryAnswer), stable: true }), (req, res) => {
    res.json(audit.list(parse(AuditQuery, req.query, 'query')))
  })

  return router
}
