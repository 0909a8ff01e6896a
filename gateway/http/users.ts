// /api/users and /api/audit: the admin's pages. Every change is written to the audit log.
import { Router, type Request } from 'express'
import { z } from 'zod'
import { conflict, GatewayError, validationError } from '../errors.js'
import type { AuditLog } from '../users/audit.js'
import { generatePassword } from '../users/passwords.js'
import type { Sessions } from '../users/sessions.js'
import { UserInput, UserPatch, type User, type Users } from '../users/users.js'
import { passwordWeakness } from '../users/strength.js'
import { allow, auditor, principalOf } from './access.js'
import { AuditEntryAnswer, PasswordResetAnswer, UserAnswer } from './answers.js'
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
const ResetBody = z.strictObject({ password: z.string().max(256).optional() })
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
  const record = auditor(audit)
  /**
   * An admin does not remove, demote or switch off their own account from the list by a slip
   * of the finger (issue #15): another admin does it. The last admin is protected in Users.
   */
  const notSelf = (req: Request, user: User, what: string): void => {
    if (principalOf(req).userId === user.id) {
      throw conflict(`Không thể tự ${what.split(' / ')[0]} tài khoản của chính mình; hãy nhờ một quản trị viên khác. / you cannot ${what.split(' / ')[1]} your own account; another admin can.`)
    }
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

  router.patch('/users/:id', allow('users.manage'), doc({ summary: 'Change an account (not one\'s own role or state; never the last admin)', body: UserPatch, answer: UserAnswer }), async (req, res) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as { password?: unknown; role?: unknown; enabled?: unknown }
    const current = users.require(userId(req))
    if (body.role !== undefined && body.role !== current.role) notSelf(req, current, 'đổi vai trò / change the role of')
    if (body.enabled === false) notSelf(req, current, 'tắt / disable')
    const user = await users.update(current.id, req.body)
    if (body.password !== undefined || body.role !== undefined || body.enabled === false) deps.onSessionsEnded(sessions.endAllOf(user.id))
    record(req, 'user.update', user.username, withoutPassword(req.body))
    res.json(user)
  })

  // A new temporary password: the one typed (it must pass the strength rule, username
  // included), or one the gateway makes and shows this once. The person's sessions end.
  router.post('/users/:id/password', allow('users.manage'), doc({ summary: 'Reset a password: a typed one held to the strength rule, or one made and shown in this answer only; the person\'s sessions end', body: ResetBody, answer: PasswordResetAnswer }), async (req, res) => {
    const user = users.require(userId(req))
    const { password } = parse(ResetBody, req.body ?? {}, 'password reset')
    const weakness = password === undefined ? null : passwordWeakness(password, user.username)
    if (weakness) throw validationError(`Mật khẩu quá yếu / the password is too weak: ${weakness}`, [weakness])
    const oneTimePassword = password ?? generatePassword()
    await users.update(user.id, { password: oneTimePassword })
    deps.onSessionsEnded(sessions.endAllOf(user.id))
    record(req, 'user.reset_password', user.username, { typed: password !== undefined })
    res.json(password === undefined ? { username: user.username, oneTimePassword } : { username: user.username })
  })

  router.delete('/users/:id', allow('users.manage'), doc({ summary: 'Remove an account (its sessions end; not one\'s own, never the last admin)' }), (req, res) => {
    const user = users.require(userId(req))
    notSelf(req, user, 'xóa / remove')
    users.requireRemovable(user)
    deps.onSessionsEnded(sessions.endAllOf(user.id))
    users.remove(user.id)
    record(req, 'user.remove', user.username, { role: user.role })
    res.status(204).end()
  })

  router.get('/audit', allow('audit.read'), doc({ summary: 'The audit log, newest first', query: AuditQuery, answer: z.array(AuditEntryAnswer), stable: true }), (req, res) => {
    res.json(audit.list(parse(AuditQuery, req.query, 'query')))
  })

  return router
}
