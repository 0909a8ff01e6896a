// /api/devices/:id/endpoint: how edge probes reach a camera that speaks RTSP/ONVIF (issue #6).
// Every route needs the admin token: the answer holds camera addresses and logins. The
// password is write-only: answers say `passwordSet`, never the password.
import { Router, type Request, type RequestHandler } from 'express'
import { GatewayError } from '../errors.js'
import type { CameraEndpoints } from '../registry/camera-endpoints.js'

export interface CameraEndpointRouteDeps {
  cameraEndpoints: CameraEndpoints
  /** What the last probe of this camera found (null: not probed since the gateway started). */
  lastProbe: (deviceId: string) => unknown
}

const idOf = (req: Request): string => String(req.params.id)

export function cameraEndpointRoutes (deps: CameraEndpointRouteDeps, admin: RequestHandler): Router {
  const router = Router()

  router.put('/devices/:id/endpoint', admin, (req, res) => {
    res.json(deps.cameraEndpoints.set(idOf(req), req.body))
  })

  router.get('/devices/:id/endpoint', admin, (req, res) => {
    const view = deps.cameraEndpoints.view(idOf(req))
    if (!view) throw new GatewayError('NOT_FOUND', `${idOf(req)} has no camera endpoint`)
    res.json({ ...view, lastProbe: deps.lastProbe(idOf(req)) ?? null })
  })

  router.delete('/devices/:id/endpoint', admin, (req, res) => {
    deps.cameraEndpoints.remove(idOf(req))
    res.status(204).end()
  })

  return router
}
