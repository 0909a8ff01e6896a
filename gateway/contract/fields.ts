// A telemetry field is declared once, in catalog.ts, and everything else is derived from the
// declaration: the runtime schema that checks device payloads, the TypeScript type,
// the explicit field type written to InfluxDB (float vs integer never flips), and the
// units shown in docs/contract.md and on the dashboard.
import { z } from 'zod'

import type { BoolField, FieldSpec, FieldTable, FloatField, IntField } from '../kinds/index.js'

type SchemaOf<S extends FieldSpec> =
  S extends FloatField | IntField ? z.ZodNumber
    : S extends BoolField ? z.ZodBoolean
    : S extends { type: 'enum'; values: infer V extends readonly [string, ...string[]] } ? z.ZodEnum<{ [K in V[number]]: K }>
    : z.ZodString

export type FieldShape<T extends FieldTable> = { [K in keyof T]: z.ZodOptional<SchemaOf<T[K]>> }

function schemaOf (spec: FieldSpec): z.ZodType {
  switch (spec.type) {
    case 'float': return z.number().min(spec.min).max(spec.max)
    case 'int': return z.number().int().min(spec.min).max(spec.max)
    case 'bool': return z.boolean()
    case 'enum': return z.enum(spec.values)
    case 'text': return z.string().max(spec.maxLength)
  }
}

/** Every field optional: a device sends what it measured; the envelope demands at least one. */
export function fieldShape<T extends FieldTable> (table: T): FieldShape<T> {
  const shape: Record<string, z.ZodType> = {}
  for (const [name, spec] of Object.entries(table)) shape[name] = schemaOf(spec).optional()
  return shape as FieldShape<T>
}
