// The station's index from its pollutants' indices (§2.2.1 c and §2.2.2 c): the largest
// sub-index, rounded to a whole number, named after the pollutant that gave it. Without
// PM2.5 or PM10 there is no index at all (§2.1 b: at least one of the two is required).
import { bandOf, type BandId } from './bands.js'
import { POLLUTANTS, type Pollutant } from './breakpoints.js'
import { roundIndex, type SubIndex } from './sub-index.js'

export interface AqiResult {
  /** The published index, 0-500. */
  aqi: number
  band: BandId
  /** The pollutant with the largest sub-index (Bảng 3 asks it to be named). */
  dominant: Pollutant
  /** Each pollutant's index that could be computed, rounded. */
  subIndices: Partial<Record<Pollutant, number>>
  /** Some concentration was at or above its last breakpoint: the true index may be higher than 500. */
  beyond: boolean
}

export function stationIndex (subs: Partial<Record<Pollutant, SubIndex>>): AqiResult | null {
  if (subs.pm25 === undefined && subs.pm10 === undefined) return null
  let dominant: Pollutant | null = null
  let top = -1
  let beyond = false
  const subIndices: Partial<Record<Pollutant, number>> = {}
  // POLLUTANTS lists the particles first: on a tie the particle is named, the usual culprit.
  for (const p of POLLUTANTS) {
    const s = subs[p]
    if (s === undefined) continue
    subIndices[p] = roundIndex(s.value)
    beyond ||= s.beyond
    if (s.value > top) { top = s.value; dominant = p }
  }
  if (dominant === null) return null
  const aqi = roundIndex(top)
  return { aqi, band: bandOf(aqi).id, dominant, subIndices, beyond }
}
