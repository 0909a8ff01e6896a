// The HTTP API and the dashboard: express, JSON in and out, errors as
// { statusCode, code, error, message }. Who may call what is declared per route (access.ts).
import compression from 'compression'
import express, { type ErrorRequestHandler } from 'express'
import { ERRORS, GatewayError } from '../errors.js'
import type { Logger } from '../log.js'
import { dashboardRoutes } from './dashboard.js'
import { deviceRoutes, type DeviceRouteDeps } from './devices.js'
import { authenticate, sessionRoutes, type SessionDeps } from './session.js'
import { statusRoutes, type StatusRouteDeps } from './status.js'
import { userRoutes } from './users.js'

export type HttpDeps = DeviceRouteDeps & StatusRouteDeps & SessionDeps & {
  log: Logger
  /** Folder of the built dashboard (index.html and assets/). */
  dashboardDir: string
  /** Behind a reverse proxy: trust its X-Forwarded-For for addresses in the audit log and the login limit. */
  trustProxy: boolean
}

export const INVENTORY_MEDIA_TYPES = ['text/csv', 'application/yaml', 'text/yaml', 'application/x-yaml']

export function createHttpApp (deps: HttpDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  app.set('trust proxy', deps.trustProxy)
  // A phone on a slow village link: JSON and the dashboard's files go compressed.
  app.use(compression())
  app.use(express.json({ limit: '1mb' }))
  app.use(express.text({ type: INVENTORY_MEDIA_TYPES, limit: '5mb' }))
  app.use(authenticate(deps))
  app.use(statusRoutes(deps))
  app.use('/api', sessionRoutes(deps), deviceRoutes(deps), userRoutes(deps))
  app.use('/api', (_req, _res, next) => next(new GatewayError('NOT_FOUND', 'no such API route')))
  app.use(dashboardRoutes(deps.dashboardDir))
  app.use(errorHandler(deps.log))
  return app
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
