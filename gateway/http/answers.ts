// The shapes of the API's answers, as zod schemas: the OpenAPI document is made from them
// (openapi.ts) and the tests check every JSON answer against them (describe.ts). Fields listed
// here are the stable ones; more fields may come, and clients must ignore them (the document
// drops zod's additionalProperties: false from answers, openapi.ts). Each schema is pinned to the TypeScript type the code really returns (`Conforms`), so
// the compiler says when the two drift apart.
import { z } from 'zod'
import { BAND_IDS } from '../aqi/bands.js'
import { POLLUTANTS } from '../aqi/breakpoints.js'
import { ALARM_TYPES, SEVERITIES, type Alarm, type AlarmHistoryEntry } from '../alarms/catalog.js'
import { BROADCAST_STATUSES, DELIVERY_STATES, type Broadcast, type Delivery, type LogRow } from '../broadcasts/store.js'
import { Schedule } from '../broadcasts/schedule.js'
import type { Relay } from '../broadcasts/relay.js'
import { Targets } from '../broadcasts/targets.js'
import { COMMAND_STATUSES, type CommandRecord } from '../commands/dispatcher.js'
import { DeviceKind, PRIORITIES } from '../contract/index.js'
import type { DeviceView } from '../live/device-view.js'
import type { PresenceChange } from '../presence/presence.js'
import { Reservoir, type Device } from '../registry/device.js'
import type { HistoryBucket, StoredEvent } from '../store/telemetry-store.js'
import { GRANTS, type ApiToken, type Grant } from '../users/api-tokens.js'
import type { AuditEntry } from '../users/audit.js'
import { ROLES } from '../users/roles.js'
import { LANGUAGES, type User } from '../users/users.js'
import type { Outage } from './outages.js'
import type { Overview } from '../live/overview.js'

/** Compiles only when the type the code returns is one the schema accepts. */
type Conforms<Returned extends Schema, Schema> = Returned
const Ms = z.number().int().describe('milliseconds since 1970-01-01 UTC')
const MsOrNull = Ms.nullable()
const Role = z.enum(ROLES)

export const ErrorAnswer = z.object({
  statusCode: z.number().int(),
  code: z.string().describe('GW_ERR_* code, stable: branch on it, not on the message'),
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional()
})

export const DeviceAnswer = z.object({
  id: z.string(), kind: DeviceKind, name: z.string(), commune: z.string(), village: z.string(),
  site: z.string().nullable(), legacyDistrict: z.string().nullable(), lat: z.number().nullable(), lon: z.number().nullable(),
  reservoir: Reservoir.nullable(), enabled: z.boolean(), firmware: z.string().nullable(), model: z.string().nullable(),
  firmwareChangedAt: MsOrNull, createdAt: Ms, updatedAt: Ms
})
export type _Device = Conforms<Device, z.output<typeof DeviceAnswer>>

export const DeviceWithSecretAnswer = z.object({ device: DeviceAnswer, secret: z.string().describe('shown once: the gateway keeps only a hash') })
export const ImportAnswer = z.object({ created: z.array(DeviceWithSecretAnswer), skipped: z.array(z.string()) })

const FieldValue = z.union([z.number(), z.boolean(), z.string()])
const LevelOutlookAnswer = z.object({
  cmPerHour: z.number().nullable(),
  next: z.object({ name: z.string(), stage: z.number().nullable().describe('the level alarm stage this line starts (null: the check flood level)'), levelM: z.number(), hours: z.number().nullable() }).nullable()
}).describe('a water-level station')
const Pollutants = z.enum(POLLUTANTS)
const AirOutlookAnswer = z.object({
  hourly: z.object({
    hourStart: Ms.describe('the hour the index is of; published when it ends'),
    aqi: z.number().int().describe('VN_AQI (Quyết định 1459/QĐ-TCMT), 0-500'),
    band: z.enum(BAND_IDS),
    dominant: Pollutants,
    subIndices: z.partialRecord(Pollutants, z.number().int()),
    nowcast: z.partialRecord(z.enum(['pm25', 'pm10']), z.number()).describe('µg/m³'),
    beyond: z.boolean().describe('a concentration at or above its last breakpoint: the index stops at 500')
  }).nullable().describe('the last hour that ended; null without enough data'),
  trend: z.array(z.object({ hourStart: Ms, aqi: z.number().int().nullable() })).describe('the 24 hourly indices before, oldest first'),
  direction: z.enum(['up', 'down', 'steady']).nullable(),
  yesterday: z.object({ dayStart: Ms, aqi: z.number().int(), band: z.enum(BAND_IDS), dominant: Pollutants }).nullable().describe('the daily index of the last whole local day')
}).describe('an air-quality station (docs/air-quality.md)')
const Attention = z.object({ code: z.string(), severity: z.enum(SEVERITIES) })
export const DeviceViewAnswer = DeviceAnswer.extend({
  online: z.boolean(),
  since: MsOrNull.describe('since when the device is in this state (null: never seen)'),
  lastSeen: MsOrNull,
  latest: z.record(z.string(), z.object({ value: FieldValue, ts: Ms })).describe('each field\'s latest value (units: docs/contract.md)'),
  attention: z.array(Attention),
  outlook: z.union([LevelOutlookAnswer, AirOutlookAnswer]).nullable()
})
export type _DeviceView = Conforms<DeviceView, z.output<typeof DeviceViewAnswer>>
/** One device's page: its view and the commands it can receive (none for a camera reached over RTSP/ONVIF only). */
export const DeviceDetailAnswer = DeviceViewAnswer.extend({ commands: z.array(z.string()) })

const Counts = z.object({ total: z.number().int(), online: z.number().int() })
const CountsByKind = z.partialRecord(DeviceKind, Counts)
export const OverviewAnswer = z.object({
  at: Ms, total: z.number().int(), online: z.number().int(), byKind: CountsByKind,
  byVillage: z.record(z.string(), Counts.extend({ byKind: CountsByKind })),
  attention: z.array(z.object({ id: z.string(), kind: DeviceKind, name: z.string(), village: z.string(), since: MsOrNull, attention: z.array(Attention) }))
})
export type _Overview = Conforms<Overview, z.output<typeof OverviewAnswer>>

const Bucket = z.object({ t: Ms, min: z.number(), mean: z.number(), max: z.number(), count: z.number().int() })
export type _Bucket = Conforms<HistoryBucket, z.output<typeof Bucket>>
export const HistoryAnswer = z.object({
  deviceId: z.string(), field: z.string(), unit: z.string().nullable(), from: Ms, to: Ms,
  buckets: z.array(Bucket).describe('downsampled: each bucket covers [t, next t)')
})

const StoredEventAnswer = z.object({ ts: Ms, type: z.string(), message: z.string().optional() })
export type _Event = Conforms<StoredEvent, z.output<typeof StoredEventAnswer>>
export const EventsAnswer = z.array(StoredEventAnswer)

const PresenceChangeAnswer = z.object({ deviceId: z.string(), online: z.boolean(), at: Ms, reason: z.string() })
export type _PresenceChange = Conforms<PresenceChange, z.output<typeof PresenceChangeAnswer>>
export const PresenceAnswer = z.object({ online: z.boolean(), since: MsOrNull, lastSeen: MsOrNull, transitions: z.array(PresenceChangeAnswer) })
const OutageAnswer = z.object({ start: Ms, end: MsOrNull.describe('null while it lasts'), durationMs: z.number().nullable(), reason: z.string() })
export type _Outage = Conforms<Outage, z.output<typeof OutageAnswer>>
export const OutagesAnswer = z.array(OutageAnswer)

export const CommandAnswer = z.object({
  id: z.string(), deviceId: z.string(), name: z.string(), params: z.record(z.string(), z.unknown()), status: z.enum(COMMAND_STATUSES),
  reason: z.string().nullable(), createdAt: Ms, updatedAt: Ms, expiresAt: Ms, runMs: z.number()
})
export type _Command = Conforms<CommandRecord, z.output<typeof CommandAnswer>>

export const AlarmAnswer = z.object({
  id: z.number().int(), subject: z.string().describe('the device id, or "village:<name>"'), deviceId: z.string().nullable(), village: z.string(),
  kind: DeviceKind.nullable(), type: z.enum(Object.keys(ALARM_TYPES) as [keyof typeof ALARM_TYPES]), severity: z.enum(SEVERITIES),
  state: z.enum(['active', 'cleared']), acknowledged: z.boolean(), details: z.record(z.string(), z.unknown()),
  startedAt: Ms, raisedAt: Ms, updatedAt: Ms, clearedAt: MsOrNull, clearedBy: z.string().nullable(), ackedAt: MsOrNull, ackedBy: z.string().nullable(),
  escalationLevel: z.number().int(), nextEscalationAt: MsOrNull, deviceName: z.string().nullable()
})
export type _Alarm = Conforms<Alarm, z.output<typeof AlarmAnswer>>
const AlarmHistoryAnswer = z.object({ at: Ms, what: z.string(), actor: z.string().nullable(), comment: z.string().nullable(), details: z.record(z.string(), z.unknown()).nullable() })
export type _AlarmHistory = Conforms<AlarmHistoryEntry, z.output<typeof AlarmHistoryAnswer>>
export const AlarmWithHistoryAnswer = AlarmAnswer.extend({ history: z.array(AlarmHistoryAnswer) })

export const BroadcastAnswer = z.object({
  id: z.string(), title: z.string(), priority: z.string(), clipId: z.string(), durationMs: z.number(), repeat: z.number().int(), gapS: z.number(),
  targets: Targets, schedule: Schedule, ttlMs: z.number(), status: z.enum(BROADCAST_STATUSES), nextAt: MsOrNull,
  createdBy: z.string(), createdAt: Ms, submittedAt: MsOrNull, approvedBy: z.string().nullable(), approvedAt: MsOrNull,
  decisionComment: z.string().nullable(), alarmId: z.number().int().nullable(), live: z.boolean(), updatedAt: Ms
})
export type _Broadcast = Conforms<Broadcast, z.output<typeof BroadcastAnswer>>
const Summary = z.object({
  airingAt: MsOrNull, targeted: z.number().int(), outcome: z.string(),
  missed: z.array(z.object({ deviceId: z.string(), name: z.string().nullable(), village: z.string(), state: z.enum(DELIVERY_STATES), reason: z.string().nullable() }))
})
export const BroadcastWithSummaryAnswer = BroadcastAnswer.extend({ summary: Summary })
const DeliveryAnswer = z.object({
  broadcastId: z.string(), airingAt: Ms, deviceId: z.string(), village: z.string(), state: z.enum(DELIVERY_STATES), reason: z.string().nullable(),
  commandId: z.string().nullable(), attempts: z.number().int(), retryAt: MsOrNull, expiresAt: Ms, startedAt: MsOrNull, finishedAt: MsOrNull, updatedAt: Ms
})
export type _Delivery = Conforms<Delivery, z.output<typeof DeliveryAnswer>>
/** One line of the broadcast log (nhật ký phát, format=json): a cluster's part in one airing, with its bulletin. */
export const BroadcastLogRowAnswer = DeliveryAnswer.extend({
  title: z.string(), priority: z.enum(PRIORITIES), createdBy: z.string(), approvedBy: z.string().nullable(), durationMs: z.number(), deviceName: z.string().nullable()
})
export type _LogRow = Conforms<LogRow, z.output<typeof BroadcastLogRowAnswer>>
export const BroadcastLogAnswer = z.array(BroadcastLogRowAnswer)
export const BroadcastDetailAnswer = BroadcastWithSummaryAnswer.extend({
  deliveries: z.array(DeliveryAnswer),
  clip: z.object({ id: z.string(), source: z.string(), text: z.string().nullable(), durationMs: z.number(), contentType: z.string() }).nullable(),
  reach: z.record(z.string(), z.unknown())
})
export const ClipAnswer = z.object({ id: z.string(), source: z.string(), durationMs: z.number(), contentType: z.string(), bytes: z.number().int() })
export const RelayAnswer = z.object({
  id: z.string(), spec: z.record(z.string(), z.unknown()), status: z.enum(['scheduled', 'done', 'cancelled']), nextAt: MsOrNull, createdBy: z.string(), createdAt: Ms
})
export type _Relay = Conforms<Relay, z.output<typeof RelayAnswer>>
export const GroupAnswer = z.object({ name: z.string(), devices: z.array(z.string()) })

export const UserAnswer = z.object({
  id: z.number().int(), username: z.string(), displayName: z.string(), role: Role, language: z.enum(LANGUAGES),
  mustChangePassword: z.boolean(), enabled: z.boolean(), mayApprove: z.boolean(), createdAt: Ms, updatedAt: Ms
})
export type _User = Conforms<User, z.output<typeof UserAnswer>>
export const PasswordResetAnswer = z.object({ username: z.string(), oneTimePassword: z.string().optional().describe('shown once, when the gateway made the password') })
export const AuditEntryAnswer = z.object({
  id: z.number().int(), at: Ms, actor: z.string().describe('username, "api-token", "system", or "token:<name>"'), role: Role.nullable(),
  action: z.string(), target: z.string().nullable(), details: z.unknown(), address: z.string().nullable()
})
export type _Audit = Conforms<AuditEntry, z.output<typeof AuditEntryAnswer>>

export const SessionAnswer = z.object({
  username: z.string(), displayName: z.string(), role: Role, language: z.enum(LANGUAGES), mustChangePassword: z.boolean(),
  mayApprove: z.boolean(), csrfToken: z.string().nullable().describe('send it as x-csrf-token on writes made with the session cookie')
})

export const HealthAnswer = z.object({
  status: z.enum(['ok', 'degraded']),
  broker: z.object({ listening: z.boolean(), connectedDevices: z.number().int() }),
  disk: z.object({ full: z.boolean(), since: MsOrNull }),
  store: z.object({ name: z.string(), reachable: z.boolean() }),
  journal: z.object({ depth: z.number().int(), usedPct: z.number(), warning: z.boolean() }),
  uplink: z.unknown().optional()
})

export const ThresholdsAnswer = z.object({
  defaults: z.record(z.string(), z.unknown()),
  overrides: z.array(z.object({ scope: z.string(), values: z.record(z.string(), z.unknown()) }))
})

export const ApiTokenAnswer = z.object({
  id: z.number().int(), name: z.string(), grants: z.array(z.enum(Object.keys(GRANTS) as [Grant])), kinds: z.array(DeviceKind), note: z.string(),
  createdBy: z.string(), createdAt: Ms, expiresAt: Ms, lastUsedAt: MsOrNull, lastUsedAddress: z.string().nullable(), revokedAt: MsOrNull, revokedBy: z.string().nullable()
})
export type _ApiToken = Conforms<ApiToken, z.output<typeof ApiTokenAnswer>>

/** An answer this API gives for the dashboard and the admin, not promised field by field. */
export const AnyObject = z.record(z.string(), z.unknown())
export const AnyList = z.array(AnyObject)
