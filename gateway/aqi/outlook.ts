// What a station's page and the device view show of its air: the index of the last hour that
// ended, with its band, dominant pollutant and NowCasts; the 24 hourly indices before it (the
// trend); and yesterday's daily index. Plain data, sent as is over the API and the socket.
import type { BandId } from './bands.js'
import type { Pollutant } from './breakpoints.js'
import type { HourlyResult } from './hourly.js'
import type { AirIndexes } from './stations.js'

export interface AirOutlook {
  /** The last hour that has ended; null when its index cannot be computed (too little data). */
  hourly: (HourlyResult & { hourStart: number }) | null
  /** The hourly indices of the last 24 hours that ended, oldest first; null for an hour without one. */
  trend: Array<{ hourStart: number; aqi: number | null }>
  /** Against the hour before: up or down by more than STEADY_POINTS, else steady; null without both. */
  direction: 'up' | 'down' | 'steady' | null
  yesterday: { dayStart: number; aqi: number; band: BandId; dominant: Pollutant } | null
}

/** A change of the index within this many points an hour is "steady". */
export const STEADY_POINTS = 5

export function airOutlook (indexes: AirIndexes, deviceId: string, now: number): AirOutlook {
  const trend = indexes.trend(deviceId, now, 24)
  const last = indexes.lastHour(deviceId, now)
  const [before, latest] = trend.slice(-2).map((p) => p.index?.aqi ?? null)
  const direction = before === null || before === undefined || latest === null || latest === undefined
    ? null
    : latest - before > STEADY_POINTS ? 'up' : before - latest > STEADY_POINTS ? 'down' : 'steady'
  const y = indexes.yesterday(deviceId, now)
  return {
    hourly: last.index ? { ...last.index, hourStart: last.hourStart } : null,
    trend: trend.map((p) => ({ hourStart: p.hourStart, aqi: p.index?.aqi ?? null })),
    direction,
    yesterday: y.index ? { dayStart: y.dayStart, aqi: y.index.aqi, band: y.index.band, dominant: y.index.dominant } : null
  }
}
