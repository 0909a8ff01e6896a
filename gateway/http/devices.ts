// /api/devices and /api/commands: the registry, each device's live state, history, events,
// presence transitions and commands.
import { Router, type Request, type RequestHandler } from 'express'
import { z } from 'zod'
import { DeviceKind, fieldsOf, isNumeric } from '../contract/index.js'
import type { CommandDispatcher } from '../commands/dispatcher.js'
import { GatewayError } from '../errors.js'
import type { LiveState } from '../live/live-state.js'
import type { Presence } from '../presence/presence.js'
import type { Device } from '../registry/device.js'
import { formatOf, parseInventory } from '../registry/inventory.js'
import type { Registry } from '../registry/registry.js'
import type { TelemetryStore } from '../store/telemetry-store.js'
import { parse } from './server.js'

export interface DeviceRouteDeps {
  registry: Registry
  presence: Presence
  live: LiveState
  store: TelemetryStore
  commands: CommandDispatcher
}

const DAY_MS = 86_400_000
const ListQuery = z.strictObject({
  kind: DeviceKind.optional(),
  village: z.string().min(1).optional(),
  online: z.enum(['true', 'false']).transform((v) => v === 'true').optional()
})
/** Times as epoch milliseconds or ISO 8601. */
const Time = z.union([z.coerce.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])
const HistoryQuery = z.strictObject({
  field: z.string().min(1),
  from: Time.optional(),
  to: Time.optional(),
  points: z.coerce.number().int().min(1).max(2000).default(500)
})
const RangeQuery = z.strictObject({ from: Time.optional(), to: Time.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
const LimitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) })
const CommandBody = z.strictObject({ name: z.string().min(1), params: z.record(z.string(), z.unknown()).optional(), ttlS: z.number().positive().max(7 * 86400).optional() })

/** The :id of the route (express types lose it once a middleware sits before the handler). */
const idOf = (req: Request): string => String(req.params.id)

export function deviceRoutes (deps: DeviceRouteDeps, admin: RequestHandler): Router {
  const router = Router()
  const { registry, presence, live, store, commands } = deps

  const view = (device: Device) => ({ ...device, ...presence.get(device.id), latest: live.get(device.id) })

  router.get('/devices', (req, res) => {
    const query = parse(ListQuery, req.query, 'query')
    const devices = registry.list({ kind: query.kind, village: query.village }).map(view)
    res.json(query.online === undefined ? devices : devices.filter((d) => d.online === query.online))
  })

  // The overview a duty officer opens first: how many of each kind, per village, are online.
  router.get('/live', (_req, res) => {
    const count = () => ({ total: 0, online: 0 })
    const byKind: Record<string, { total: number; online: number }> = {}
    const byVillage: Record<string, { total: number; online: number }> = {}
    const total = count()
    for (const device of registry.list()) {
      const online = presence.get(device.id).online ? 1 : 0
      for (const bucket of [total, (byKind[device.kind] ??= count()), (byVillage[device.village] ??= count())]) {
        bucket.total++
        bucket.online += online
      }
    }
    res.json({ at: Date.now(), ...total, byKind, byVillage })
  })

  router.post('/devices', admin, (req, res) => {
    res.status(201).json(registry.create(req.body))
  })

  router.post('/devices/import', admin, (req, res) => {
    const format = formatOf(req.get('content-type') ?? '')
    if (!format || typeof req.body !== 'string') {
      throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'send the inventory as text/csv or application/yaml')
    }
    let entries: unknown[]
    try {
      entries = parseInventory(req.body, format)
    } catch (err) {
      throw new GatewayError('VALIDATION', `unreadable ${format} inventory: ${(err as Error).message}`)
    }
    const result = registry.importMany(entries)
    res.status(result.created.length > 0 ? 201 : 200).json(result)
  })

  router.get('/devices/:id', (req, res) => {
    res.json(view(registry.require(idOf(req))))
  })

  router.patch('/devices/:id', admin, (req, res) => {
    res.json(view(registry.update(idOf(req), req.body)))
  })

  router.delete('/devices/:id', admin, (req, res) => {
    registry.remove(idOf(req))
    presence.forget(idOf(req))
    live.forget(idOf(req))
    res.status(204).end()
  })

  router.post('/devices/:id/credentials', admin, (req, res) => {
    res.json(registry.rotateSecret(idOf(req)))
  })

  router.get('/devices/:id/history', async (req, res) => {
    const device = registry.require(idOf(req))
    const query = parse(HistoryQuery, req.query, 'query')
    const spec = fieldsOf(device.kind)[query.field]
    if (!spec || !isNumeric(spec)) {
      throw new GatewayError('VALIDATION', `${query.field} is not a numeric field of a ${device.kind}`, {
        numericFields: Object.entries(fieldsOf(device.kind)).filter(([, s]) => isNumeric(s)).map(([name]) => name)
      })
    }
    const to = query.to ?? Date.now()
    const from = query.from ?? to - DAY_MS
    if (from >= to) throw new GatewayError('VALIDATION', '"from" must be before "to"')
    const buckets = await store.history({ deviceId: device.id, kind: device.kind, field: query.field, from, to, maxPoints: query.points })
    res.json({ deviceId: device.id, field: query.field, unit: spec.unit ?? null, from, to, buckets })
  })

  router.get('/devices/:id/events', async (req, res) => {
    const device = registry.require(idOf(req))
    const query = parse(RangeQuery, req.query, 'query')
    const to = query.to ?? Date.now() + 1
    const from = query.from ?? to - 30 * DAY_MS
    res.json(await store.events({ deviceId: device.id, from, to, limit: query.limit }))
  })

  router.get('/devices/:id/presence', (req, res) => {
    const device = registry.require(idOf(req))
    res.json({ ...presence.get(device.id), transitions: presence.history(device.id, parse(LimitQuery, req.query, 'query').limit) })
  })

  router.post('/devices/:id/commands', admin, async (req, res) => {
    const body = parse(CommandBody, req.body, 'command')
    const record = await commands.send(idOf(req), body, body.ttlS === undefined ? undefined : body.ttlS * 1000)
    res.status(202).json(record)
  })

  router.get('/devices/:id/commands', (req, res) => {
    registry.require(idOf(req))
    res.json(commands.list(idOf(req), parse(LimitQuery, req.query, 'query').limit))
  })

  router.get('/commands/:id', (req, res) => {
    res.json(commands.require(idOf(req)))
  })

  return router
}
