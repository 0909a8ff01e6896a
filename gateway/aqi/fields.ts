// The air-quality station's wire names for the six pollutants: µg/m³ in every name, because
// CO is often given in mg/m³ and the gases in ppb elsewhere, and a reader would guess wrong.
// Plain data (the kind's definition and the dashboard import it).
import type { Pollutant } from './breakpoints.js'

export const POLLUTANT_FIELDS = {
  pm25: 'pm25Ugm3',
  pm10: 'pm10Ugm3',
  o3: 'o3Ugm3',
  no2: 'no2Ugm3',
  so2: 'so2Ugm3',
  co: 'coUgm3'
} as const satisfies Record<Pollutant, string>

/** The pollutants a reading carries, by their wire names; other fields and non-numbers are left out. */
export function pollutantsOf (fields: Readonly<Record<string, unknown>>): Partial<Record<Pollutant, number>> {
  const out: Partial<Record<Pollutant, number>> = {}
  for (const [p, name] of Object.entries(POLLUTANT_FIELDS) as Array<[Pollutant, string]>) {
    const v = fields[name]
    if (typeof v === 'number') out[p] = v
  }
  return out
}
