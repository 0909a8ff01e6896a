// The admin's device pages (issue #15 point 7): add, edit, disable/enable, remove a device and
// issue it a new secret, through the registry's own checks. Secrets are made here, on the
// server, shown in the answer once and kept only as a salted hash. A village is one the
// registry knows, unless the request says `newVillage: true` (registry/villages.ts).
import { Router, type Request } from 'express'
import { GatewayError } from '../errors.js'
import { ID_PREFIX, type DeviceKind } from '../contract/index.js'
import type { Registry } from '../registry/registry.js'
import { checkVillage } from '../registry/villages.js'
import type { DeviceViews } from '../live/device-view.js'
import type { AuditLog } from '../users/audit.js'
import { z } from 'zod'
import { DeviceInput, DevicePatch } from '../registry/device.js'
import { allow, auditor } from './access.js'
import { DeviceViewAnswer, DeviceWithSecretAnswer } from './answers.js'
import { doc } from './describe.js'

export interface DeviceAdminDeps {
  registry: Registry
  views: DeviceViews
  audit: AuditLog
}

/** The confirmation a new village needs, beside the registry's own fields. */
const NewVillage = z.object({ newVillage: z.boolean().optional().describe('true: the village is new, not a misspelling of a known one') })

const idOf = (req: Request): string => String(req.params.id)

/** The body without its `newVillage` flag (the registry's schema is strict), and the flag. */
function withoutFlag (body: unknown): { input: Record<string, unknown>; newVillage: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { input: {}, newVillage: false }
  const { newVillage, ...input } = body as Record<string, unknown>
  if (newVillage !== undefined && typeof newVillage !== 'boolean') throw new GatewayError('VALIDATION', 'newVillage must be true or false')
  return { input, newVillage: newVillage === true }
}

/** An id given for a kind starts with the kind's prefix, as the demo's and the inventories' do. */
function requirePrefix (input: Record<string, unknown>): void {
  const prefix = ID_PREFIX[input.kind as DeviceKind] as string | undefined
  if (typeof input.id !== 'string' || !prefix || input.id.startsWith(`${prefix}-`)) return
  throw new GatewayError('VALIDATION', `Mã thiết bị loại này phải bắt đầu bằng "${prefix}-" (ví dụ ${prefix}-001). / a ${String(input.kind)} id starts with "${prefix}-" (e.g. ${prefix}-001)`,
    [`id: starts with ${prefix}-`])
}

export function deviceAdminRoutes (deps: DeviceAdminDeps): Router {
  const router = Router()
  const { registry, views } = deps
  const record = auditor(deps.audit)

  // The villages an admin picks from: every village a device stands in.
  router.get('/villages', allow('devices.manage'), doc({ summary: 'The villages the registry knows (a device is placed in one of them, or in a new one confirmed with newVillage: true)', answer: z.array(z.string()) }), (_req, res) => {
    res.json(registry.villages())
  })

  router.post('/devices', allow('devices.manage'), doc({ summary: 'Register a device: its secret is in this answer only; a new village needs newVillage: true', body: NewVillage.and(DeviceInput), answers: [{ status: 201, json: DeviceWithSecretAnswer }] }), (req, res) => {
    const { input, newVillage } = withoutFlag(req.body)
    requirePrefix(input)
    if (typeof input.village === 'string') checkVillage(input.village, registry.villages(), newVillage)
    const created = registry.create(input)
    const { device } = created
    record(req, 'device.create', device.id, { kind: device.kind, name: device.name, village: device.village, newVillage: newVillage || undefined })
    res.status(201).json(created)
  })

  // Name, village, site, position, enabled; thresholds and the reservoir stay as they are unless sent.
  router.patch('/devices/:id', allow('devices.manage'), doc({ summary: 'Change a device\'s name, place, reservoir levels, or enable/disable it; a new village needs newVillage: true', body: NewVillage.and(DevicePatch), answer: DeviceViewAnswer }), (req, res) => {
    const current = registry.require(idOf(req))
    const { input, newVillage } = withoutFlag(req.body)
    if (typeof input.village === 'string' && input.village.trim() !== current.village) checkVillage(input.village, registry.villages(), newVillage)
    const device = registry.update(current.id, input)
    record(req, 'device.update', device.id, { ...input, newVillage: newVillage || undefined })
    res.json(views.view(device))
  })

  router.delete('/devices/:id', allow('devices.manage'), doc({ summary: 'Remove a device (it is disconnected at once)' }), (req, res) => {
    const device = registry.require(idOf(req))
    registry.remove(device.id) // every part that remembers it forgets it on the change event (registry/forgetting.ts)
    record(req, 'device.remove', device.id, { name: device.name, village: device.village })
    res.status(204).end()
  })

  router.post('/devices/:id/credentials', allow('devices.manage'), doc({ summary: 'Give a device a new secret, in this answer only (the old one stops working)', answer: DeviceWithSecretAnswer }), (req, res) => {
    const rotated = registry.rotateSecret(idOf(req))
    record(req, 'device.rotate_secret', rotated.device.id, { name: rotated.device.name })
    res.json(rotated)
  })

  return router
}
