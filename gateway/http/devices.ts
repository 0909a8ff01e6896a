// /api/devices and /api/commands: the registry, each device's live state, history, events,
// presence transitions, outages and commands. Every role sees only the kinds it watches.
import express, { Router, type Request } from 'express'
import { z } from 'zod'
import { DeviceKind, fieldsOf, isNumeric } from '../contract/index.js'
import { acceptedCommands, requireAccepted } from '../commands/accepted.js'
import type { CommandDispatcher } from '../commands/dispatcher.js'
import type { CameraEndpoints } from '../registry/camera-endpoints.js'
import { GatewayError } from '../errors.js'
import type { DeviceViews } from '../live/device-view.js'
import type { Presence } from '../presence/presence.js'
import type { Device } from '../registry/device.js'
import { formatOf, parseInventory } from '../registry/inventory.js'
import type { Registry } from '../registry/registry.js'
import type { TelemetryStore } from '../store/telemetry-store.js'
import type { AuditLog } from '../users/audit.js'
import { allow, auditor, kindsOf, principalOf, requireSees } from './access.js'
import { overview } from '../live/overview.js'
import { historyCsv, historyFileName } from './history-csv.js'
import { outagesFrom } from './outages.js'
import { parse } from './parse.js'
import { doc } from './describe.js'
import { CommandAnswer, DeviceDetailAnswer, DeviceViewAnswer, EventsAnswer, HistoryAnswer, ImportAnswer, OutagesAnswer, OverviewAnswer, PresenceAnswer } from './answers.js'

export const INVENTORY_MEDIA_TYPES = ['text/csv', 'application/yaml', 'text/yaml', 'application/x-yaml']

export interface DeviceRouteDeps {
  registry: Registry
  presence: Presence
  views: DeviceViews
  store: TelemetryStore
  commands: CommandDispatcher
  audit: AuditLog
  cameraEndpoints: CameraEndpoints
}

const DAY_MS = 86_400_000
const ListQuery = z.strictObject({
  kind: DeviceKind.optional(),
  village: z.string().min(1).optional(),
  online: z.enum(['true', 'false']).transform((v) => v === 'true').optional()
})
/** Times as epoch milliseconds or ISO 8601. */
const Time = z.union([z.coerce.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])
/** The ranges the dashboard offers; from/to give any other. */
export const HISTORY_RANGES = { '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '1y': 365 * 86_400_000 } as const
const HistoryQuery = z.strictObject({
  field: z.string().min(1),
  range: z.enum(Object.keys(HISTORY_RANGES) as [keyof typeof HISTORY_RANGES]).optional(),
  from: Time.optional(),
  to: Time.optional(),
  points: z.coerce.number().int().min(1).max(2000).default(500),
  format: z.enum(['json', 'csv']).default('json'),
  lang: z.enum(['vi', 'en']).default('vi')
})
const RangeQuery = z.strictObject({ from: Time.optional(), to: Time.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
const LimitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) })
const CommandBody = z.strictObject({ name: z.string().min(1), params: z.record(z.string(), z.unknown()).optional(), ttlS: z.number().positive().max(7 * 86400).optional() })

/** The :id of the route (express types lose it once a middleware sits before the handler). */
const idOf = (req: Request): string => String(req.params.id)

export function deviceRoutes (deps: DeviceRouteDeps): Router {
  const router = Router()
  const { registry, presence, views, store, commands, audit } = deps

  /** The device of the :id, if the requester's role watches its kind. */
  const visible = (req: Request): Device => {
    const device = registry.require(idOf(req))
    requireSees(req, device.kind)
    return device
  }
  const record = auditor(audit)
  /** A camera reached over RTSP/ONVIF only: probed by the gateway, no MQTT command channel. */
  const probedOnly = (device: Device): boolean => device.kind === 'camera' && deps.cameraEndpoints.view(device.id) !== null

  router.get('/devices', allow('devices.read'), doc({ summary: 'Devices of the kinds the caller watches, with online state and latest values', query: ListQuery, answer: z.array(DeviceViewAnswer), stable: true }), (req, res) => {
    const query = parse(ListQuery, req.query, 'query')
    if (query.kind) requireSees(req, query.kind)
    const kinds = kindsOf(req)
    const devices = registry.list({ kind: query.kind, village: query.village }).filter((d) => kinds.includes(d.kind)).map((d) => views.view(d))
    res.json(query.online === undefined ? devices : devices.filter((d) => d.online === query.online))
  })

  // The overview a duty officer opens first: counts per kind and village, and what needs attention.
  router.get('/live', allow('devices.read'), doc({ summary: 'How many devices of each kind and village are online, and what needs attention', answer: OverviewAnswer, stable: true }), (req, res) => {
    res.json(overview(registry.list(), views, kindsOf(req)))
  })

  // The inventory text is read only here, after the guard: an admin's file, up to 5 MB.
  router.post('/devices/import', allow('devices.manage'), doc({ summary: 'Register devices from a CSV or YAML inventory (format: gateway/registry/inventory.ts)', bodyMedia: INVENTORY_MEDIA_TYPES, answers: [{ status: 201, json: ImportAnswer }, { status: 200, json: ImportAnswer, description: 'nothing new' }] }), express.text({ type: INVENTORY_MEDIA_TYPES, limit: '5mb' }), (req, res) => {
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
    record(req, 'device.import', format, { created: result.created.map((c) => c.device.id), skipped: result.skipped })
    res.status(result.created.length > 0 ? 201 : 200).json(result)
  })

  // One device, with the commands it can receive (the dashboard offers only those).
  router.get('/devices/:id', allow('devices.read'), doc({ summary: 'One device, with online state, latest values and the commands it can receive', answer: DeviceDetailAnswer, stable: true }), (req, res) => {
    const device = visible(req)
    res.json({ ...views.view(device), commands: acceptedCommands(device, probedOnly(device)) })
  })

  router.get('/devices/:id/history', allow('devices.read'), doc({ summary: 'A numeric field\'s history, downsampled; format=csv for a spreadsheet', query: HistoryQuery, answers: [{ status: 200, json: HistoryAnswer, media: 'text/csv' }], stable: true }), async (req, res) => {
    const device = visible(req)
    const query = parse(HistoryQuery, req.query, 'query')
    const spec = fieldsOf(device.kind)[query.field]
    if (!spec || !isNumeric(spec)) {
      throw new GatewayError('VALIDATION', `${query.field} is not a numeric field of a ${device.kind}`, {
        numericFields: Object.entries(fieldsOf(device.kind)).filter(([, s]) => isNumeric(s)).map(([name]) => name)
      })
    }
    const to = query.to ?? Date.now()
    const from = query.from ?? to - (query.range ? HISTORY_RANGES[query.range] : DAY_MS)
    if (from >= to) throw new GatewayError('VALIDATION', '"from" must be before "to"')
    const buckets = await store.history({ deviceId: device.id, kind: device.kind, field: query.field, from, to, maxPoints: query.points })
    if (query.format === 'csv') {
      return res.type('text/csv; charset=utf-8').attachment(`${historyFileName(device, query.field, from)}.csv`).send(historyCsv(device, spec, buckets, query.lang))
    }
    res.json({ deviceId: device.id, field: query.field, unit: spec.unit ?? null, from, to, buckets })
  })

  router.get('/devices/:id/events', allow('devices.read'), doc({ summary: 'The device\'s events (stream lost, tamper, faults ...), newest first', query: RangeQuery, answer: EventsAnswer, stable: true }), async (req, res) => {
    const device = visible(req)
    const query = parse(RangeQuery, req.query, 'query')
    const to = query.to ?? Date.now() + 1
    const from = query.from ?? to - 30 * DAY_MS
    res.json(await store.events({ deviceId: device.id, from, to, limit: query.limit }))
  })

  router.get('/devices/:id/presence', allow('devices.read'), doc({ summary: 'Online state and its latest transitions', query: LimitQuery, answer: PresenceAnswer, stable: true }), (req, res) => {
    const device = visible(req)
    res.json({ ...presence.get(device.id), transitions: presence.history(device.id, parse(LimitQuery, req.query, 'query').limit) })
  })

  // Outages with start and end, newest first: what the police ask of a camera.
  router.get('/devices/:id/outages', allow('devices.read'), doc({ summary: 'Outages with start and end, newest first', query: LimitQuery, answer: OutagesAnswer, stable: true }), (req, res) => {
    const device = visible(req)
    const { limit } = parse(LimitQuery, req.query, 'query')
    res.json(outagesFrom(presence.history(device.id, limit * 2 + 1)).slice(0, limit))
  })

  router.post('/devices/:id/commands', allow('devices.command'), doc({ summary: 'Send a command (not play: bulletins go through /api/broadcasts)', body: CommandBody, answers: [{ status: 202, json: CommandAnswer }] }), async (req, res) => {
    const device = visible(req)
    const body = parse(CommandBody, req.body, 'command')
    // A bulletin needs its audio, targets and approval: only the broadcast service plays one.
    if (body.name === 'play') throw new GatewayError('VALIDATION', 'bulletins are sent through /api/broadcasts, which keeps their approval and proof of play')
    requireAccepted(device, probedOnly(device), body.name)
    const sent = await commands.send(device.id, body, body.ttlS === undefined ? undefined : body.ttlS * 1000)
    record(req, 'command.send', device.id, { id: sent.id, name: body.name, params: body.params })
    res.status(202).json(sent)
  })

  router.get('/devices/:id/commands', allow('devices.read'), doc({ summary: 'The device\'s latest commands', query: LimitQuery, answer: z.array(CommandAnswer) }), (req, res) => {
    const device = visible(req)
    res.json(commands.list(device.id, parse(LimitQuery, req.query, 'query').limit))
  })

  router.get('/commands/:id', allow('devices.read'), doc({ summary: 'One command and its status', answer: CommandAnswer }), (req, res) => {
    const command = commands.require(idOf(req))
    const device = registry.get(command.deviceId)
    // A removed device's commands are the admin's business only.
    if (device) requireSees(req, device.kind)
    else if (principalOf(req).role !== 'admin') throw new GatewayError('FORBIDDEN', 'the device of this command is gone')
    res.json(command)
  })

  return router
}
