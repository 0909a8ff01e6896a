// How many wrong passwords an address or a person may try (express-rate-limit, counted in
// memory, successes not counted). Three limits:
// - per address, whatever the username: a client that invents a new name for every try was
//   never stopped by the per-name limit, and filled the password hashing (issue #14);
// - per address and username, tighter: a guesser of one account is stopped without locking
//   out the rest of an office behind the same address;
// - per person, for the current password asked by a password change: a stolen session
//   must not become a way to guess the password.
// IPv6 addresses are grouped by their /56, as the library advises, so one host cannot rotate
// through its own prefix. The address is express's req.ip: with GATEWAY_TRUST_PROXY naming the
// proxies, a forged X-Forwarded-For from anywhere else changes nothing.
import type { RequestHandler } from 'express'
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit'
import { GatewayError } from '../errors.js'
import { addressOf } from './access.js'

export interface LoginLimits {
  /** Failed logins per address and username in the window. */
  limit: number
  /** Failed logins per address, any username, in the window. */
  perAddress: number
  windowMs: number
}

const common = (windowMs: number): Partial<Options> => ({
  windowMs,
  skipSuccessfulRequests: true,
  standardHeaders: 'draft-8',
  legacyHeaders: false
})
const address = (req: Parameters<RequestHandler>[0]): string => ipKeyGenerator(addressOf(req) ?? '')
const refuse = (message: string): Options['handler'] => (_req, _res, next) => next(new GatewayError('TOO_MANY_REQUESTS', message))

/** The per-address limit first: it refuses a flood before the body's username is even looked at. */
export function loginLimiters (limits: LoginLimits): RequestHandler[] {
  const tooMany = refuse('Đăng nhập sai quá nhiều lần, vui lòng chờ vài phút / too many failed logins; wait a few minutes')
  return [
    rateLimit({ ...common(limits.windowMs), limit: limits.perAddress, keyGenerator: (req) => `a|${address(req)}`, handler: tooMany }),
    rateLimit({
      ...common(limits.windowMs),
      limit: limits.limit,
      keyGenerator: (req) => {
        const name = (req.body as { username?: unknown } | undefined)?.username
        return `n|${address(req)}|${typeof name === 'string' ? name.normalize('NFC').toLowerCase() : ''}`
      },
      handler: tooMany
    })
  ]
}

/** Counts only a wrong current password (the route sets res.locals.wrongPassword), per person. */
export function passwordChangeLimiter (limits: LoginLimits): RequestHandler {
  return rateLimit({
    ...common(limits.windowMs),
    limit: limits.limit,
    keyGenerator: (req) => `u|${req.principal?.userId ?? address(req)}`,
    requestWasSuccessful: (_req, res) => res.locals.wrongPassword !== true,
    handler: refuse('Nhập sai mật khẩu hiện tại quá nhiều lần, vui lòng chờ vài phút / too many wrong current passwords; wait a few minutes')
  })
}
