// One pollutant's index from one concentration: the guideline's Công thức 1 (a 1-hour value
// or a daily value) and Công thức 2 (the same formula on a NowCast), i.e. linear
// interpolation inside the band of Bảng 2 that holds the concentration:
//
//   AQI_x = (I_{i+1} − I_i) / (BP_{i+1} − BP_i) × (C_x − BP_i) + I_i
//
// Concentrations the formula must not see are refused here, with the reason, so a broken
// sensor never becomes a published index.
import { BREAKPOINTS, INDEX_STEPS, POLLUTANT_INFO, type Pollutant, type Scale } from './breakpoints.js'

export class ConcentrationError extends RangeError {
  constructor (readonly pollutant: Pollutant, readonly value: unknown, reason: string) {
    super(`${POLLUTANT_INFO[pollutant].label}: ${reason} (got ${String(value)})`)
    this.name = 'ConcentrationError'
  }
}

export function pollutantOf (scale: Scale): Pollutant {
  return scale === 'o3_8h' ? 'o3' : scale
}

/** A concentration in µg/m³ the index may use: a finite number from 0 to the pollutant's plausible maximum. */
export function checkConcentration (pollutant: Pollutant, c: unknown): number {
  if (typeof c !== 'number' || !Number.isFinite(c)) throw new ConcentrationError(pollutant, c, 'not a number')
  if (c < 0) throw new ConcentrationError(pollutant, c, 'a concentration cannot be negative')
  const max = POLLUTANT_INFO[pollutant].plausibleMax
  if (c > max) throw new ConcentrationError(pollutant, c, `above ${max} µg/m³, no ambient air holds that: a faulty sensor`)
  return c
}

export interface SubIndex {
  /** Not rounded: the guideline rounds the station's index, and the max of rounded values is the rounded max. */
  value: number
  /** The concentration is at or above the last breakpoint: the index stops at 500 ("≥" in Bảng 2). */
  beyond: boolean
}

/**
 * The index of a concentration on one column of Bảng 2, or null where the guideline says
 * the column does not apply: O3's 8-hour column above 400 µg/m³ (the 1-hour column is used then).
 */
export function subIndex (scale: Pollutant, c: number): SubIndex
export function subIndex (scale: Scale, c: number): SubIndex | null
export function subIndex (scale: Scale, c: number): SubIndex | null {
  checkConcentration(pollutantOf(scale), c)
  const points = BREAKPOINTS[scale].map((bp, i) => ({ bp, index: INDEX_STEPS[i] ?? 500 }))
  const last = points[points.length - 1] ?? { bp: 0, index: 0 }
  if (c > last.bp && scale === 'o3_8h') return null
  if (c >= last.bp) return { value: last.index, beyond: last.index === 500 }
  // The segment [BP_i, BP_{i+1}) holding c; at a breakpoint both segments give the same index.
  const upper = points.findIndex((p) => c < p.bp)
  const hi = points[upper] ?? last
  const lo = points[upper - 1] ?? points[0] ?? last
  return { value: (hi.index - lo.index) / (hi.bp - lo.bp) * (c - lo.bp) + lo.index, beyond: false }
}

/**
 * The guideline's "làm tròn thành số nguyên": to the nearest whole number, halves up
 * (its worked example rounds 109.5 to 110). Twelve significant digits first, so a value
 * that is 109.5 on paper but 109.49999999999999 in binary is not rounded down.
 */
export function roundIndex (x: number): number {
  return Math.round(Number(x.toPrecision(12)))
}
