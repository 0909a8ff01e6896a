// Every device kind the gateway understands, one definition each (plain data, bundled by the
// dashboard too). Everything that lists kinds is derived from KINDS: the contract's schemas,
// who watches what, who is told first, id prefixes, heartbeats, threshold scopes, the
// dashboard's pages and map, the docs' tables. Adding a kind: docs/architecture.md, "Adding a
// device kind" — the compiler leads from here to every other place (every list typed
// `satisfies Record<DeviceKind, …>`).
import { airQuality } from './air-quality.js'
import { camera } from './camera.js'
import type { FieldSpec, KindDefinition } from './definition.js'
import { speaker } from './speaker.js'
import { waterSensor } from './water-sensor.js'

// In the order pages, tabs and lists show them.
export const KINDS = {
  camera,
  speaker,
  water_sensor: waterSensor,
  air_quality: airQuality
} as const satisfies Record<string, KindDefinition>

/** A device kind; also the InfluxDB measurement of its readings. */
export type DeviceKind = keyof typeof KINDS
export type KindOf<K extends DeviceKind> = (typeof KINDS)[K]

/** The kinds in the order pages, lists and documents show them. */
export const DEVICE_KINDS = Object.keys(KINDS) as [DeviceKind, ...DeviceKind[]]

export const isDeviceKind = (value: unknown): value is DeviceKind => typeof value === 'string' && Object.hasOwn(KINDS, value)

/** The field declarations of a kind, by name. */
export function fieldsOf (kind: DeviceKind): Readonly<Record<string, FieldSpec>> {
  return KINDS[kind].fields
}

/** A table with one entry per kind, made from each kind's definition. */
export function perKind<T> (of: (kind: DeviceKind) => T): Record<DeviceKind, T> {
  return Object.fromEntries(DEVICE_KINDS.map((kind) => [kind, of(kind)])) as Record<DeviceKind, T>
}

/** The kinds with their definitions, for the places that walk them all. */
export const kindEntries = (): Array<[DeviceKind, KindDefinition]> => DEVICE_KINDS.map((kind) => [kind, KINDS[kind]])

export * from './definition.js'
export { PRIORITIES, type Priority } from './speaker.js'
