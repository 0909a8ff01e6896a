// When the air is an alarm: the hourly index entering Xấu (151) is a major alarm, entering
// Rất xấu (201) or Nguy hại (301) a critical one; Kém and better raise nothing (only sensitive
// people are affected: the page shows it with its advice). One alarm per station whose
// severity follows the band up and down, as a water station's level alarm follows the water.
//
// Why these severities: Xấu is the first band in which the guideline says ordinary people are
// affected (Bảng 4), so the officials are told (major reaches those who chose "from Cao");
// Rất xấu is its "health warning" and Nguy hại its "health emergency", and straw smoke comes
// in the evening, so they are critical, which quiet hours do not hold back.
//
// A band is left only when the index falls HYSTERESIS below it: an index that goes 152, 149,
// 153 hour after hour is one alarm, not three.
import { AQI_BANDS, type BandId } from './bands.js'

export type AirSeverity = 'major' | 'critical'

export const ALARM_BANDS = [
  { stage: 1, band: 'bad', severity: 'major' },
  { stage: 2, band: 'very_bad', severity: 'critical' },
  { stage: 3, band: 'hazardous', severity: 'critical' }
] as const satisfies ReadonlyArray<{ stage: number; band: BandId; severity: AirSeverity }>

export const HYSTERESIS = 10

const lowest = (band: BandId): number => AQI_BANDS.find((b) => b.id === band)?.min ?? 0

/** The alarm stage of an hourly index given the stage the station is in now; 0 is no alarm. */
export function airStage (aqi: number, stageNow: number): number {
  let stage = 0
  for (const s of ALARM_BANDS) {
    const line = lowest(s.band)
    if (aqi >= line || (s.stage <= stageNow && aqi > line - HYSTERESIS)) stage = s.stage
  }
  return stage
}

export function stageSeverity (stage: number): AirSeverity | null {
  return ALARM_BANDS.find((s) => s.stage === stage)?.severity ?? null
}
