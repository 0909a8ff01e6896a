// The HTTP API: express, JSON in and out, errors as { statusCode, code, error, message }.
// Write routes need the admin bearer token until user accounts arrive (a later issue).
import { timingSafeEqual, createHash } from 'node:crypto'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import type { z } from 'zod'
import { ERRORS, GatewayError } from '../errors.js'
import type { Logger } from '../log.js'
import { describeIssues } from '../contract/index.js'
import { cameraEndpointRoutes, type CameraEndpointRouteDeps } from './camera-endpoints.js'
import { deviceRoutes, type DeviceRouteDeps } from './devices.js'
import { statusRoutes, type StatusRouteDeps } from './status.js'

export type HttpDeps = DeviceRouteDeps & StatusRouteDeps & CameraEndpointRouteDeps & { adminToken: string; log: Logger }

export const INVENTORY_MEDIA_TYPES = ['text/csv', 'application/yaml', 'text/yaml', 'application/x-yaml']

export function createHttpApp (deps: HttpDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  app.use(express.json({ limit: '1mb' }))
  app.use(express.text({ type: INVENTORY_MEDIA_TYPES, limit: '5mb' }))
  const admin = requireAdmin(deps.adminToken)
  app.use(statusRoutes(deps))
  app.use('/api', deviceRoutes(deps, admin))
  app.use('/api', cameraEndpointRoutes(deps, admin))
  app.use('/api', (_req, _res, next) => next(new GatewayError('NOT_FOUND', 'no such API route')))
  app.use(errorHandler(deps.log))
  return app
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()

function requireAdmin (token: string): RequestHandler {
  const expected = digest(token)
  return (req, _res, next) => {
    const header = req.get('authorization') ?? ''
    const given = /^Bearer (.+)$/i.exec(header)?.[1]
    // Compare digests: equal length, so timingSafeEqual never throws or leaks the length.
    if (given && timingSafeEqual(digest(given), expected)) return next()
    next(new GatewayError('UNAUTHORIZED', given ? 'wrong admin token' : 'this route needs Authorization: Bearer <admin token>'))
  }
}

/** Parses a request part with a zod schema, or answers 400 listing every problem. */
export function parse<T extends z.ZodType> (schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw new GatewayError('VALIDATION', `invalid ${what}`, describeIssues(result.error))
  return result.data
}

function errorHandler (log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const error = asGatewayError(err)
    if (error.statusCode >= 500) log.error({ err, path: req.path }, 'request failed')
    res.status(error.statusCode).json({
      statusCode: error.statusCode,
      code: error.code,
      error: ERRORS[error.kind].text,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details })
    })
  }
}

function asGatewayError (err: unknown): GatewayError {
  if (err instanceof GatewayError) return err
  // body-parser errors carry the HTTP status they mean.
  const status = (err as { status?: number; type?: string }).status
  if (status === 413) return new GatewayError('PAYLOAD_TOO_LARGE', 'request body too large')
  if (status === 415) return new GatewayError('UNSUPPORTED_MEDIA_TYPE', (err as Error).message)
  if (status === 400) return new GatewayError('VALIDATION', `malformed request body: ${(err as Error).message}`)
  return new GatewayError('INTERNAL', 'internal error', undefined, { cause: err })
}
