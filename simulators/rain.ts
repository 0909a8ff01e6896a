// Rainfall over the reservoirs for each scenario, in mm/h at a simulated instant. Central
// Vietnam's autumn floods come from days of heavy rain (Huế has seen several hundred mm in a
// day); the heavy-rain scenario compresses one such storm into a few hours.
import { localHour } from './patterns.js'

const HOUR_MS = 3_600_000

/** An ordinary day: a light afternoon shower between about 14:00 and 16:30 local time. */
export function showerMmPerH (simMs: number): number {
  const h = localHour(simMs)
  if (h < 14 || h > 16.5) return 0
  return 3 * Math.sin(Math.PI * (h - 14) / 2.5)
}

export interface StormShape {
  /** Hours after the scenario starts before the first drop. */
  startH: number
  /** Hours to build up to the peak. */
  rampH: number
  /** Hours at the peak. */
  holdH: number
  /** Hours to die away. */
  fadeH: number
  peakMmPerH: number
}

export const HEAVY_RAIN: StormShape = { startH: 0.25, rampH: 1, holdH: 4, fadeH: 2, peakMmPerH: 60 }

/** A storm as a trapezoid in time: ramp, hold at the peak, fade. */
export function stormMmPerH (hoursSinceStart: number, s: StormShape = HEAVY_RAIN): number {
  const t = hoursSinceStart - s.startH
  if (t <= 0) return 0
  if (t < s.rampH) return s.peakMmPerH * t / s.rampH
  if (t < s.rampH + s.holdH) return s.peakMmPerH
  const fading = t - s.rampH - s.holdH
  return fading < s.fadeH ? s.peakMmPerH * (1 - fading / s.fadeH) : 0
}

export type RainScenario = 'normal' | 'heavy-rain'

/** The rain function of a scenario that starts at `simStart`. */
export function rainfall (scenario: RainScenario, simStart: number): (simMs: number) => number {
  switch (scenario) {
    case 'normal': return showerMmPerH
    case 'heavy-rain': return (simMs) => stormMmPerH((simMs - simStart) / HOUR_MS)
  }
}
