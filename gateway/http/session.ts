// Signing in and out. Two ways to be someone: the dashboard's session cookie (httpOnly,
// SameSite=Strict, with a CSRF token for every state-changing request) and, for scripts,
// the admin bearer token. Failed logins are limited per address whatever the username, and
// per address and username; failed password changes per person (login-limits.ts).
import { serialize as serializeCookie } from 'cookie'
import { Router, type Request, type RequestHandler, type Response } from 'express'
import { z } from 'zod'
import { GatewayError } from '../errors.js'
import type { AuditLog } from '../users/audit.js'
import { identify, principalFor, same, SESSION_COOKIE } from '../users/identify.js'
import { scopeOfToken, TOKEN_PREFIX, type ApiTokens } from '../users/api-tokens.js'
import { mayApproveBulletins } from '../users/roles.js'
import type { Sessions } from '../users/sessions.js'
import type { Users } from '../users/users.js'
import { addressOf, allow, jsonBody, open, principalOf, type Principal } from './access.js'
import { loginLimiters, passwordChangeLimiter, type LoginLimits } from './login-limits.js'
import { SessionAnswer } from './answers.js'
import { doc } from './describe.js'
import { parse } from './parse.js'

export { identify, principalFor, SESSION_COOKIE } from '../users/identify.js'
export const CSRF_HEADER = 'x-csrf-token'

export interface SessionDeps {
  users: Users
  sessions: Sessions
  audit: AuditLog
  adminToken: string
  /** Integration tokens (users/api-tokens.ts): REST only, never the live socket. */
  tokens: ApiTokens
  sessionMaxMs: number
  loginAttempts: LoginLimits
  /** Called when sessions end, so their live sockets are closed too. */
  onSessionsEnded: (tokenHashes: string[]) => void
}

/** The audit log's actor for a failed login under a name nobody has; "(" is not allowed in usernames. */
export const UNKNOWN_ACTOR = '(unknown)'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Sets req.principal, and checks the CSRF token of cookie-authenticated writes. */
export function authenticate (deps: SessionDeps): RequestHandler {
  return (req, res, next) => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    if (bearer?.startsWith(TOKEN_PREFIX)) return integration(deps, bearer, req, res, next)
    const principal = identify(deps, req.headers)
    if (principal?.session && UNSAFE.has(req.method)) {
      const given = req.get(CSRF_HEADER)
      if (!given || !same(given, principal.session.csrfToken)) {
        return next(new GatewayError('CSRF', `missing or wrong ${CSRF_HEADER} header`))
      }
    }
    if (principal) req.principal = principal
    next()
  }
}

/** A request with an integration token: its scope from its grants, and every use in the audit log under its name. */
function integration (deps: SessionDeps, bearer: string, req: Request, res: Response, next: (err?: unknown) => void): void {
  const address = addressOf(req)
  const token = deps.tokens.use(bearer, address)
  if (!token) return next(new GatewayError('UNAUTHORIZED', 'unknown, expired or revoked token'))
  const actor = `token:${token.name}`
  req.principal = { actor, role: null, scope: scopeOfToken(token), tokenId: token.id, userId: null, session: null, mustChangePassword: false }
  res.on('finish', () => {
    deps.audit.record({ actor, role: null, action: 'token.use', target: req.originalUrl.slice(0, 200), details: { method: req.method, status: res.statusCode }, address })
  })
  next()
}

const Login = z.strictObject({ username: z.string().min(1).max(40), password: z.string().min(1).max(256) })
const PasswordChange = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: z.string().max(256) })

export function sessionRoutes (deps: SessionDeps): Router {
  const router = Router()
  const { users, sessions, audit } = deps

  const limiters = loginLimiters(deps.loginAttempts)

  const me = (principal: Principal) => {
    const user = principal.userId === null ? null : users.get(principal.userId)
    return {
      username: principal.actor,
      displayName: user?.displayName ?? principal.actor,
      role: principal.role,
      language: user?.language ?? 'vi',
      mustChangePassword: principal.mustChangePassword,
      mayApprove: mayApproveBulletins(principal.role, user?.mayApprove ?? false),
      csrfToken: principal.session?.csrfToken ?? null
    }
  }

  // A login is a few hundred bytes: a larger body is refused before it is read.
  router.post('/session', open(jsonBody(4 * 1024)), doc({ summary: 'Sign in: sets the session cookie', body: Login, answers: [{ status: 201, json: SessionAnswer }] }), ...limiters, async (req, res) => {
    const { username, password } = parse(Login, req.body, 'login')
    const user = await users.verify(username, password)
    const address = addressOf(req)
    if (!user) {
      // A name nobody has is often a password typed in the wrong field: not written down (issue #14).
      const known = users.byUsername(username) !== null
      audit.record({ actor: known ? username : UNKNOWN_ACTOR, role: null, action: 'session.login_failed', target: null, address, details: known ? undefined : { usernameLength: [...username].length } })
      throw new GatewayError('UNAUTHORIZED', 'wrong username or password')
    }
    const { token, session } = sessions.create(user, address)
    audit.record({ actor: user.username, role: user.role, action: 'session.login', target: null, address })
    setCookie(req, res, token, deps.sessionMaxMs)
    res.status(201).json(me(principalFor(user, session)))
  })

  router.get('/session', allow('session.own'), doc({ summary: 'Who am I', answer: SessionAnswer, stable: true }), (req, res) => {
    res.json(me(principalOf(req)))
  })

  router.delete('/session', allow('session.own'), doc({ summary: 'Sign out' }), (req, res) => {
    const principal = principalOf(req)
    if (principal.session) {
      sessions.end(principal.session.tokenHash)
      deps.onSessionsEnded([principal.session.tokenHash])
    }
    audit.record({ actor: principal.actor, role: principal.role, action: 'session.logout', target: null, address: addressOf(req) })
    setCookie(req, res, '', 0)
    res.status(204).end()
  })

  router.post('/session/password', allow('session.own'), doc({ summary: 'Change one\'s own password (ends one\'s other sessions)', body: PasswordChange, answer: SessionAnswer }), passwordChangeLimiter(deps.loginAttempts), async (req, res) => {
    const principal = principalOf(req)
    if (principal.userId === null) throw new GatewayError('VALIDATION', 'the admin token has no password to change')
    const body = parse(PasswordChange, req.body, 'password change')
    const user = users.require(principal.userId)
    if (!await users.verify(user.username, body.currentPassword)) {
      res.locals.wrongPassword = true
      audit.record({ actor: user.username, role: user.role, action: 'session.password_change_failed', target: null, address: addressOf(req) })
      throw new GatewayError('VALIDATION', 'Mật khẩu hiện tại không đúng / the current password is wrong')
    }
    // "ệ" typed as one character or as e + two marks is the same password to its owner and to scrypt.
    if (body.newPassword.normalize('NFC') === body.currentPassword.normalize('NFC')) {
      throw new GatewayError('VALIDATION', 'Mật khẩu mới phải khác mật khẩu hiện tại / the new password must differ from the current one')
    }
    await users.setOwnPassword(user.id, body.newPassword)
    // Every other session of this person ends: a stolen one dies with the old password.
    deps.onSessionsEnded(sessions.endAllOf(user.id, principal.session?.tokenHash))
    audit.record({ actor: user.username, role: user.role, action: 'session.password_changed', target: null, address: addressOf(req) })
    res.json(me(principalFor(users.require(user.id), principal.session)))
  })

  return router
}

function setCookie (req: Request, res: Response, token: string, maxAgeMs: number): void {
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, token, {
    httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure, maxAge: Math.floor(maxAgeMs / 1000)
  }))
}
