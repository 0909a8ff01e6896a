// What a device kind is, as plain data: the shape every file of gateway/kinds/ fills in. No
// runtime schema library and no node module here, so the dashboard bundles the definitions;
// contract/ builds the zod schemas from them, kinds/behaviour/ adds what the gateway does
// with a kind (its alarm conditions, clock-driven checks, outlook).
import type { Severity } from '../alarms/severity.js'
import type { Role } from '../users/role-list.js'

export interface Words { vi: string; en: string }

interface FieldText extends Words {
  /** Unit, SI where one exists ("m", "mm", "%", "dBm", "°C"), or as the devices report it (µg/m³). */
  unit?: string
}
export type FloatField = FieldText & { type: 'float'; min: number; max: number }
export type IntField = FieldText & { type: 'int'; min: number; max: number }
export type BoolField = FieldText & { type: 'bool' }
export type EnumField = FieldText & { type: 'enum'; values: readonly [string, ...string[]] }
export type TextField = FieldText & { type: 'text'; maxLength: number }
export type FieldSpec = FloatField | IntField | BoolField | EnumField | TextField
export type FieldTable = Readonly<Record<string, FieldSpec>>

/** Every command the contract knows; a kind lists the ones it accepts (their schemas: contract/messages.ts). */
export const COMMAND_NAMES = ['reboot', 'set_volume', 'stop', 'play', 'snapshot'] as const
export type CommandName = (typeof COMMAND_NAMES)[number]

/** An alarm type a kind raises: its usual severity and its name. */
export interface AlarmTypeSpec extends Words {
  severity: Severity
  /** What the person told should do about it, shown with the alarm (the police asked "and now?"). */
  todo?: Words
  /** Raised no more, kept so the history of before still reads. */
  retired?: true
}

/** How a device of the kind is drawn on the map (an outline, so it reads without colour). */
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'hexagon'

export interface KindDefinition {
  /** One device of the kind, as people call it. */
  names: Words
  /** Ids of the kind begin with this and a dash (cam-001); ids the gateway makes too. */
  idPrefix: string
  /** What the device reports on its telemetry topic; the kind is also the InfluxDB measurement. */
  fields: FieldTable
  /** What it reports on its event topic, with what each event means. */
  events: Readonly<Record<string, Words>>
  /** The commands it accepts. */
  commands: readonly CommandName[]
  /**
   * Silent this long, it is offline (GATEWAY_HEARTBEAT_<KIND>_S overrides it). Longer than the
   * interval the devices send at, with room for one lost message.
   */
  heartbeatS: number
  /** The roles that watch (see and command) it, besides the admin, who sees every kind. */
  watchers: readonly Exclude<Role, 'admin'>[]
  /** Who is told first of its alarms (escalation then goes to the officials, then the admins). */
  toldFirst: readonly Role[]
  /** The alarm types its behaviour raises (offline, village outage ... are every kind's: alarms/catalog.ts). */
  alarms: Readonly<Record<string, AlarmTypeSpec>>
  /** Its page on the dashboard (#/path), the page's title, and its marker on the map. */
  page: { path: string; title: Words; marker: MarkerShape }
}

/** The storage type of a field: what InfluxDB line protocol and SQLite columns see. */
export type StoredType = 'float' | 'int' | 'bool' | 'string'
export type FieldValue = number | boolean | string

export function storedType (spec: FieldSpec): StoredType {
  switch (spec.type) {
    case 'float': return 'float'
    case 'int': return 'int'
    case 'bool': return 'bool'
    case 'enum':
    case 'text': return 'string'
  }
}

/** True for fields that have a min/mean/max history (numbers; not booleans or text). */
export function isNumeric (spec: FieldSpec): spec is FloatField | IntField {
  return spec.type === 'float' || spec.type === 'int'
}

/** Fields several kinds report, declared once so their ranges and words agree. */
export const COMMON_FIELDS = {
  signalDbm: { type: 'int', min: -150, max: 0, unit: 'dBm', vi: 'cường độ sóng', en: 'signal' },
  temperatureC: { type: 'float', min: -40, max: 125, unit: '°C', vi: 'nhiệt độ', en: 'temperature' },
  uptimeS: { type: 'int', min: 0, max: 10 * 365 * 86400, unit: 's', vi: 'thời gian hoạt động', en: 'uptime' },
  batteryPct: { type: 'float', min: 0, max: 100, unit: '%', vi: 'pin', en: 'battery' }
} as const satisfies FieldTable

export const REBOOTED: Words = { vi: 'Khởi động lại', en: 'Rebooted' }
