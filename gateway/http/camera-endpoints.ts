// /api/devices/:id/endpoint: how edge probes reach a camera that speaks RTSP/ONVIF (issue #6).
// Only admins: the answer holds camera addresses and logins. The password is write-only:
// answers say `passwordSet`, never the password, and the audit log records "(changed)".
import { Router, type Request } from 'express'
import { GatewayError } from '../errors.js'
import { EndpointInput, type CameraEndpoints } from '../registry/camera-endpoints.js'
import type { AuditLog } from '../users/audit.js'
import { addressOf, allow, principalOf } from './access.js'
import { withoutPassword } from './users.js'
import { AnyObject } from './answers.js'
import { doc } from './describe.js'

export interface CameraEndpointRouteDeps {
  cameraEndpoints: CameraEndpoints
  audit: AuditLog
  /** What the last probe of this camera found (null: not probed since the gateway started). */
  lastProbe: (deviceId: string) => unknown
}

const idOf = (req: Request): string => String(req.params.id)

export function cameraEndpointRoutes (deps: CameraEndpointRouteDeps): Router {
  const router = Router()
  const record = (req: Request, action: string, details?: unknown) => {
    const who = principalOf(req)
    deps.audit.record({ actor: who.actor, role: who.role, action, target: idOf(req), details, address: addressOf(req) })
  }

  router.put('/devices/:id/endpoint', allow('devices.manage'), doc({ summary: 'Set how probes reach an RTSP/ONVIF camera (the password is write-only)', body: EndpointInput, answer: AnyObject }), (req, res) => {
    const view = deps.cameraEndpoints.set(idOf(req), req.body)
    record(req, 'device.endpoint_set', withoutPassword(req.body))
    res.json(view)
  })

  router.get('/devices/:id/endpoint', allow('devices.manage'), doc({ summary: 'A camera\'s endpoint and what its last probe found', answer: AnyObject }), (req, res) => {
    const view = deps.cameraEndpoints.view(idOf(req))
    if (!view) throw new GatewayError('NOT_FOUND', `${idOf(req)} has no camera endpoint`)
    res.json({ ...view, lastProbe: deps.lastProbe(idOf(req)) ?? null })
  })

  router.delete('/devices/:id/endpoint', allow('devices.manage'), doc({ summary: 'Remove a camera\'s endpoint' }), (req, res) => {
    deps.cameraEndpoints.remove(idOf(req))
    record(req, 'device.endpoint_remove')
    res.status(204).end()
  })

  return router
}
