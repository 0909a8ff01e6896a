// The air over a commune of the Red River delta, for simulated air-quality stations: what a
// station's analysers would read at a local hour, in µg/m³ for every pollutant (CO too), as
// VN_AQI (Quyết định 1459/QĐ-TCMT) takes them. Pure functions, so the shapes the demo shows
// (rush hours, a still night, an afternoon of ozone, an evening of straw smoke) are tested.
//
// Orders of magnitude, not measurements: a rural commune near a provincial road, dry season.
// On an ordinary day the hourly index stays within Tốt to Kém; only the smoke episode reaches
// Xấu and Rất xấu.
import type { Pollutant } from '../gateway/aqi/breakpoints.js'
import { clamp, daylight } from './patterns.js'

const HOUR_MS = 3_600_000
const bump = (hour: number, centre: number, width: number): number => Math.exp(-(((hour - centre) / width) ** 2))

/**
 * Road traffic, 0 to 1: motorbikes to work and school around 07:00, home around 17:30-18:00,
 * a steady daytime flow between, almost nothing at night.
 */
export function trafficFactor (hour: number): number {
  const day = hour >= 5.5 && hour <= 21.5 ? 0.25 : 0.04
  return clamp(day + 0.75 * bump(hour, 7.25, 1) + 0.7 * bump(hour, 17.75, 1.2), 0, 1)
}

/**
 * How much the night holds pollution near the ground: a shallow mixing layer before dawn
 * (about 1.4 × the daily mean at 04:00), a deep one in the early afternoon (about 0.6 ×).
 */
export function stagnation (hour: number): number {
  return 1 + 0.4 * Math.cos(2 * Math.PI * (hour - 4) / 24)
}

/** Ozone is made by sunlight from the morning's exhaust: low at night, highest mid-afternoon. */
export function ozoneUgm3 (hour: number): number {
  return 12 + 95 * daylight(hour) * bump(hour, 14.5, 3.2)
}

/**
 * Smoke over the commune as a box of air: while the fields burn, smoke is added faster than the
 * wind takes it away and the PM2.5 it adds climbs toward its plateau (time constant buildH);
 * once the fires are out it is carried away (time constant clearH).
 */
export interface SmokeEpisode {
  /** Simulated hours after the scenario starts when the fields are lit. */
  litAtH: number
  /** Hours the fields burn. */
  burnH: number
  buildH: number
  clearH: number
  /** PM2.5 the smoke would add if the fields burnt for ever, µg/m³. */
  plateauPm25: number
}

/**
 * Straw burnt on the harvested rice fields in the evening (common in the Red River delta after
 * each harvest): three hours of fires whose smoke takes the hourly index through Xấu into
 * Rất xấu, then clears over a few hours.
 */
export const STRAW_SMOKE: SmokeEpisode = { litAtH: 0.25, burnH: 3, buildH: 0.7, clearH: 1, plateauPm25: 240 }

/** PM2.5 the smoke adds, µg/m³, `hoursSinceStart` after the scenario began. */
export function smokePm25 (hoursSinceStart: number, e: SmokeEpisode = STRAW_SMOKE): number {
  const t = hoursSinceStart - e.litAtH
  if (t <= 0) return 0
  const built = (h: number): number => e.plateauPm25 * (1 - Math.exp(-h / e.buildH))
  return t < e.burnH ? built(t) : built(e.burnH) * Math.exp(-(t - e.burnH) / e.clearH)
}

export type SmokeScenario = 'none' | 'straw-smoke'

/** The extra PM2.5 of a scenario that starts at `simStart`, µg/m³ at a simulated instant. */
export function smokeOver (scenario: SmokeScenario, simStart: number): (simMs: number) => number {
  switch (scenario) {
    case 'none': return () => 0
    case 'straw-smoke': return (simMs) => smokePm25((simMs - simStart) / HOUR_MS)
  }
}

export type Concentrations = Record<Pollutant, number>

/**
 * The air at a local hour with `smoke` µg/m³ of extra PM2.5; `site` scales the traffic share
 * (a station by the road sees more of it than one by the school yard).
 */
export function airAt (hour: number, smoke: number, site = 1): Concentrations {
  const traffic = trafficFactor(hour) * site
  const still = stagnation(hour)
  const pm25 = 22 * still + 22 * traffic + smoke
  return {
    pm25,
    // Dust from the road adds coarse particles; smoke is mostly fine ones.
    pm10: 1.6 * (pm25 - smoke) + 12 * traffic + 1.15 * smoke,
    no2: 12 * still + 45 * traffic + 0.05 * smoke,
    // Exhaust and burnt straw both give CO: about 15 µg of CO per µg of smoke PM2.5.
    co: 700 * still + 1500 * traffic + 15 * smoke,
    so2: 8 * still + 4 * traffic,
    // Fresh exhaust eats ozone (NO + O3), so rush hours dent the afternoon curve.
    o3: Math.max(2, ozoneUgm3(hour) - 10 * traffic)
  }
}
