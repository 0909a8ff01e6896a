// The guideline's NowCast for PM2.5 and PM10 (§2.2.1 a): a weighted mean of the last twelve
// 1-hour means, the newest weighing most, so the hourly index follows a smoke plume within
// hours yet does not jump on one dusty hour.
//
//   w* = C_min / C_max over the twelve hours;  w = 1/2 if w* ≤ 1/2, else w = w*
//   NowCast = Σ w^(i−1) c_i / Σ w^(i−1),  i = 1 (this hour) … 12 (eleven hours earlier)
//
// Its rules for gaps: a missing c_i weighs nothing (w^(i−1) = 0), and without at least two
// of c1, c2, c3 there is no NowCast ("không có dữ liệu").
//
// For w = 1/2 the guideline prints the short form Σ (1/2)^i c_i. With all twelve hours that is
// the formula above times (1 − 2^−12), i.e. within 0.025 %; with a gap it would count the
// missing hour as clean air (c1 missing halves the result), which contradicts its own
// "w^(i−1) = 0" rule. So the normalised form is used for every w (docs/air-quality.md).
import type { Pollutant } from './breakpoints.js'
import { checkConcentration } from './sub-index.js'

export const NOWCAST_HOURS = 12

/**
 * `hours[0]` is this hour's mean (c1), `hours[1]` the hour before (c2), and so on; null or
 * undefined for an hour without a valid mean. Entries past the twelfth are ignored.
 */
export function nowcast (pollutant: Extract<Pollutant, 'pm25' | 'pm10'>, hours: ReadonlyArray<number | null | undefined>): number | null {
  const c = hours.slice(0, NOWCAST_HOURS).map((v) => (v === null || v === undefined ? null : checkConcentration(pollutant, v)))
  const recent = c.slice(0, 3).filter((v) => v !== null).length
  if (recent < 2) return null
  const present = c.filter((v): v is number => v !== null)
  const max = Math.max(...present)
  if (max === 0) return 0
  const w = Math.max(Math.min(...present) / max, 0.5)
  let sum = 0
  let weights = 0
  c.forEach((v, i) => {
    if (v === null) return
    sum += w ** i * v
    weights += w ** i
  })
  return sum / weights
}
