// The hourly index AQI^h (§2.2.1): PM2.5 and PM10 through their NowCast of the last twelve
// hours (Công thức 2), O3, NO2, SO2 and CO through this hour's 1-hour mean on their 1-hour
// columns (Công thức 1), then the largest.
import type { Pollutant } from './breakpoints.js'
import { nowcast } from './nowcast.js'
import { stationIndex, type AqiResult } from './station-index.js'
import { subIndex, type SubIndex } from './sub-index.js'

/**
 * Per pollutant, the 1-hour means newest first: `[0]` is the hour being indexed, `[1]` the
 * hour before… null or missing for an hour without a valid mean. The gases use `[0]` only.
 */
export type HourSeries = Partial<Record<Pollutant, ReadonlyArray<number | null | undefined>>>

export interface HourlyResult extends AqiResult {
  /** The NowCasts the particle indices came from, µg/m³ (shown beside the index). */
  nowcast: Partial<Record<'pm25' | 'pm10', number>>
}

export function hourlyAqi (series: HourSeries): HourlyResult | null {
  const subs: Partial<Record<Pollutant, SubIndex>> = {}
  const casts: HourlyResult['nowcast'] = {}
  for (const p of ['pm25', 'pm10'] as const) {
    const cast = nowcast(p, series[p] ?? [])
    if (cast === null) continue
    casts[p] = cast
    subs[p] = subIndex(p, cast)
  }
  for (const p of ['o3', 'no2', 'so2', 'co'] as const) {
    const c = series[p]?.[0]
    if (c === null || c === undefined) continue
    subs[p] = subIndex(p, c)
  }
  const result = stationIndex(subs)
  return result === null ? null : { ...result, nowcast: casts }
}
