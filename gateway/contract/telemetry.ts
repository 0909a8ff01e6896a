// What each kind of device reports on its telemetry topic. Field names are the wire
// names and the stored field names; units are in the name where a reader would guess wrong.
import { z } from 'zod'
import { SPEAKER_FIELDS, CAMERA_FIELDS, WATER_SENSOR_FIELDS, type FieldTable } from './catalog.js'
import { fieldShape } from './fields.js'
import type { DeviceKind } from './kinds.js'
import { Timestamp } from './time.js'

// [contract] A telemetry message is one JSON object: an optional "ts" and the measured
// fields. Unknown fields are refused (strict), so a misspelt field name is reported to the
// device maker instead of being silently lost.
function telemetrySchema<T extends FieldTable>(table: T) {
  return z.strictObject({ ts: Timestamp.optional(), ...fieldShape(table) })
    .refine((msg) => Object.keys(msg).some((k) => k !== 'ts'), { message: 'telemetry carries no measured field' })
}

export const SpeakerTelemetry = telemetrySchema(SPEAKER_FIELDS)
export const CameraTelemetry = telemetrySchema(CAMERA_FIELDS)
export const WaterSensorTelemetry = telemetrySchema(WATER_SENSOR_FIELDS)
export type SpeakerTelemetry = z.infer<typeof SpeakerTelemetry>
export type CameraTelemetry = z.infer<typeof CameraTelemetry>
export type WaterSensorTelemetry = z.infer<typeof WaterSensorTelemetry>

export const TELEMETRY = {
  speaker: SpeakerTelemetry,
  camera: CameraTelemetry,
  water_sensor: WaterSensorTelemetry
} as const satisfies Record<DeviceKind, z.ZodType>

export type TelemetryOf<K extends DeviceKind> = z.infer<(typeof TELEMETRY)[K]>

