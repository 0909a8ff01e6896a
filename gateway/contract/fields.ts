// A telemetry field is declared once, here, and everything else is derived from the
// declaration: the runtime schema that checks device payloads, the TypeScript type,
// the explicit field type written to InfluxDB (float vs integer never flips), and the
// units shown in docs/contract.md and on the dashboard.
import { z } from 'zod'

interface FieldText {
  /** Unit, SI where one exists ("m", "mm", "%", "dBm", "°C"). */
  unit?: string
  vi: string
  en: string
}
export type FloatField = FieldText & { type: 'float'; min: number; max: number }
export type IntField = FieldText & { type: 'int'; min: number; max: number }
export type BoolField = FieldText & { type: 'bool' }
export type EnumField = FieldText & { type: 'enum'; values: readonly [string, ...string[]] }
export type TextField = FieldText & { type: 'text'; maxLength: number }
export type FieldSpec = FloatField | IntField | BoolField | EnumField | TextField
export type FieldTable = Readonly<Record<string, FieldSpec>>

/** The storage type of a field: what InfluxDB line protocol and SQLite columns see. */
export type StoredType = 'float' | 'int' | 'bool' | 'string'
export type FieldValue = number | boolean | string

export function storedType(spec: FieldSpec): StoredType {
  switch (spec.type) {
    case 'float': return 'float'
    case 'int': return 'int'
    case 'bool': return 'bool'
    case 'enum':
    case 'text': return 'string'
  }
}

/** True for fields that have a min/mean/max history (numbers; not booleans or text). */
export function isNumeric(spec: FieldSpec): spec is FloatField | IntField {
  return spec.type === 'float' || spec.type === 'int'
}

type SchemaOf<S extends FieldSpec> =
  S extends FloatField | IntField ? z.ZodNumber
    : S extends BoolField ? z.ZodBoolean
      : S extends { type: 'enum'; values: infer V extends readonly [string, ...string[]] } ? z.ZodEnum<{ [K in V[number]]: K }>
        : z.ZodString

export type FieldShape<T extends FieldTable> = { [K in keyof T]: z.ZodOptional<SchemaOf<T[K]>> }

function schemaOf(spec: FieldSpec): z.ZodType {
  switch (spec.type) {
    case 'float': return z.number().min(spec.min).max(spec.max)
    case 'int': return z.number().int().min(spec.min).max(spec.max)
    case 'bool': return z.boolean()
    case 'enum': return z.enum(spec.values)
    case 'text': return z.string().max(spec.maxLength)
  }
}

/** Every field optional: a device sends what it measured; the envelope demands at least one. */
export function fieldShape<T extends FieldTable>(table: T): FieldShape<T> {
  const shape: Record<string, z.ZodType> = {}
  for (const [name, spec] of Object.entries(table)) shape[name] = schemaOf(spec).optional()
  return shape as FieldShape<T>
}
