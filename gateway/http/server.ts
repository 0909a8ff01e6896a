// The HTTP API and the dashboard: express, JSON in and out, errors as
// { statusCode, code, error, message }. Who may call what is declared per route (access.ts).
import compression from 'compression'
import express, { type ErrorRequestHandler, type Request, type Router } from 'express'
import helmet from 'helmet'
import type { TrustProxy } from '../config/trust-proxy.js'
import { ERRORS, GatewayError } from '../errors.js'
import type { Logger } from '../log.js'
import type { Permission } from '../users/roles.js'
import type { Guard } from './access.js'
import { apiDocRoutes } from './api-docs.js'
import { alarmRoutes, type AlarmRouteDeps } from './alarms.js'
import { broadcastLogRoutes } from './broadcast-log.js'
import { broadcastRoutes, mediaRoutes, type BroadcastRouteDeps } from './broadcasts.js'
import { cameraEndpointRoutes, type CameraEndpointRouteDeps } from './camera-endpoints.js'
import { dashboardRoutes } from './dashboard.js'
import type { Documented, RouteDoc } from './describe.js'
import { liveMediaRoutes, liveRoutes, type LiveRouteDeps } from './live.js'
import { deviceRoutes, type DeviceRouteDeps } from './devices.js'
import { deviceAdminRoutes } from './device-admin.js'
import { mapTileRoutes, type MapTileDeps } from './map-tiles.js'
import { pictureRoutes, type PictureRouteDeps } from './pictures.js'
import { authenticate, sessionRoutes, type SessionDeps } from './session.js'
import { statusRoutes, type StatusRouteDeps } from './status.js'
import { grafanaRoutes } from './grafana.js'
import { tokenRoutes } from './tokens.js'
import { userRoutes } from './users.js'

export type HttpDeps = DeviceRouteDeps & MapTileDeps & StatusRouteDeps & SessionDeps & CameraEndpointRouteDeps & PictureRouteDeps & AlarmRouteDeps & BroadcastRouteDeps & LiveRouteDeps & {
  log: Logger
  /** The commune this box serves, at the head of printed records. */
  commune: string
  /** Folder of the built dashboard (index.html and assets/). */
  dashboardDir: string
  /** Behind reverse proxies (their addresses, or how many): their X-Forwarded-For gives the client's address. */
  trustProxy: TrustProxy
}

/** A route, who may call it and what it takes and answers; the access-matrix and OpenAPI tests walk this list. */
export interface RouteInfo { method: string; path: string; access: Permission | 'public' | null; doc: RouteDoc | null }

export function createHttpApp (deps: HttpDeps): { app: express.Express; routes: RouteInfo[] } {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  app.set('trust proxy', deps.trustProxy)
  // Security headers: a content security policy that allows only this origin's scripts and
  // connections (the dashboard ships everything; no CDN), no framing, no MIME sniffing.
  // HSTS only makes sense behind TLS, which a reverse proxy adds.
  app.use(helmet({ hsts: false, contentSecurityPolicy: { useDefaults: true, directives: { 'upgrade-insecure-requests': null } } }))
  // A phone on a slow village link: JSON and the dashboard's files go compressed.
  app.use(compression())
  // No body parser here: a route's guard reads the body once the caller is known (access.ts).
  app.use(authenticate(deps))
  const mounted: Array<[string, Router]> = [
    ['', statusRoutes(deps)],
    ['', mediaRoutes(deps)],
    ['', liveMediaRoutes(deps)],
    ['/api', sessionRoutes(deps)],
    ['/api', deviceRoutes(deps)],
    ['/api', deviceAdminRoutes(deps)],
    ['/api', mapTileRoutes(deps)],
    ['/api', cameraEndpointRoutes(deps)],
    ['/api', pictureRoutes(deps)],
    ['/api', alarmRoutes(deps)],
    ['/api', broadcastRoutes(deps)],
    ['/api', liveRoutes(deps)],
    ['/api', broadcastLogRoutes(deps)],
    ['/api', userRoutes(deps)],
    ['/api', tokenRoutes(deps)],
    ['/api', grafanaRoutes(deps)],
    ['/api', apiDocRoutes({ commune: deps.commune, routes: () => routes })]
  ]
  for (const [prefix, router] of mounted) app.use(prefix || '/', router)
  app.use('/api', (_req, _res, next) => next(new GatewayError('NOT_FOUND', 'no such API route')))
  const dashboard = dashboardRoutes(deps.dashboardDir)
  app.use(dashboard)
  app.use(errorHandler(deps.log))
  const routes = [...mounted, ['', dashboard] as [string, Router]].flatMap(([prefix, router]) => routesOf(router, prefix))
  return { app, routes }
}

interface RouteLayer { route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle: Partial<Guard & Documented> }> } }

/** Every route of a router with the access its guard declares and its doc() (null: none, a bug the matrix and OpenAPI tests catch). */
function routesOf (router: Router, prefix: string): RouteInfo[] {
  return (router.stack as RouteLayer[]).flatMap((layer) => {
    const route = layer.route
    if (!route) return []
    const access = route.stack.find((s) => s.handle.access !== undefined)?.handle.access ?? null
    const doc = route.stack.find((s) => s.handle.doc !== undefined)?.handle.doc ?? null
    return Object.keys(route.methods).map((method) => ({ method: method.toUpperCase(), path: prefix + route.path, access, doc }))
  })
}

function errorHandler (log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const error = asGatewayError(err)
    if (error.statusCode >= 500) log.error({ err, path: req.path }, 'request failed')
    // A body refused unread (401, 403, 413 ...) would otherwise be read to its end and thrown
    // away to keep the connection: close it instead, so the refusal costs no upload.
    if (bodyPending(req)) res.set('Connection', 'close')
    res.status(error.statusCode).json({
      statusCode: error.statusCode,
      code: error.code,
      error: ERRORS[error.kind].text,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details })
    })
  }
}

function bodyPending (req: Request): boolean {
  const declared = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined
  return declared && !req.readableEnded
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
