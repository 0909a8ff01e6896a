// What each kind of device reports on its telemetry topic, built from the kinds' field tables
// (gateway/kinds/). Field names are the wire names and the stored field names; units are in
// the name where a reader would guess wrong.
import { z } from 'zod'
import { KINDS, perKind, type DeviceKind, type FieldTable } from '../kinds/index.js'
import { fieldShape } from './fields.js'
import { Timestamp } from './time.js'

// [contract] A telemetry message is one JSON object: an optional "ts" and the measured
// fields. Unknown fields are refused (strict), so a misspelt field name is reported to the
// device maker instead of being silently lost.
function telemetrySchema<T extends FieldTable> (table: T) {
  return z.strictObject({ ts: Timestamp.optional(), ...fieldShape(table) })
    .refine((msg) => Object.keys(msg).some((k) => k !== 'ts'), { message: 'telemetry carries no measured field' })
}

type TelemetrySchemas = { [K in DeviceKind]: ReturnType<typeof telemetrySchema<(typeof KINDS)[K]['fields']>> }
export const TELEMETRY = perKind((kind) => telemetrySchema(KINDS[kind].fields)) as unknown as TelemetrySchemas

export type TelemetryOf<K extends DeviceKind> = z.infer<TelemetrySchemas[K]>
