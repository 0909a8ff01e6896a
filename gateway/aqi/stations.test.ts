// Stations' windows by device and what the page shows of them: the last hour's index, the
// trend of the day, yesterday's index, and nothing of a removed station.
import { describe, expect, it } from 'vitest'
import { airOutlook } from './outlook.js'
import { AirIndexes } from './stations.js'

const MIN = 60_000
const HOUR = 60 * MIN
// 30/11/2026 00:00 in Vietnam (UTC+7).
const day = Date.UTC(2026, 10, 29, 17)

function feed (indexes: AirIndexes, id: string, from: number, hours: number, pm25: (h: number) => number): void {
  for (let t = from; t < from + hours * HOUR; t += 5 * MIN) indexes.observe(id, t, { pm25: pm25((t - from) / HOUR), no2: 30 })
}

describe('air-quality stations', () => {
  it('shows the index of the last hour that ended, not of the hour in progress', () => {
    const indexes = new AirIndexes()
    feed(indexes, 'aq-1', day, 12, () => 40)
    // At 12:10 the last hour that ended is 11:00-12:00. PM2.5 NowCast 40: 50 + 50/25 × 15 = 80.
    const o = airOutlook(indexes, 'aq-1', day + 12 * HOUR + 10 * MIN)
    expect(o.hourly).toMatchObject({ hourStart: day + 11 * HOUR, aqi: 80, band: 'moderate', dominant: 'pm25' })
    expect(o.trend).toHaveLength(24)
    expect(o.trend.at(-1)).toEqual({ hourStart: day + 11 * HOUR, aqi: 80 })
    expect(o.trend[0]?.aqi).toBeNull() // 12 hours before the first reading
  })

  it('says the air is getting worse when the index rose more than five points in the hour', () => {
    const indexes = new AirIndexes()
    feed(indexes, 'aq-1', day, 12, (h) => (h < 11 ? 20 : 150))
    const o = airOutlook(indexes, 'aq-1', day + 12 * HOUR)
    expect(o.direction).toBe('up')
    expect(airOutlook(indexes, 'aq-1', day + 11 * HOUR).direction).toBe('steady')
  })

  it('gives yesterday\'s daily index once the day is over', () => {
    const indexes = new AirIndexes()
    feed(indexes, 'aq-1', day, 24, () => 60)
    // 24-hour mean 60: 100 + 50/30 × 10 = 116.67 → 117, Kém.
    expect(airOutlook(indexes, 'aq-1', day + 25 * HOUR).yesterday).toEqual({ dayStart: day, aqi: 117, band: 'poor', dominant: 'pm25' })
    expect(airOutlook(indexes, 'aq-1', day + 23 * HOUR).yesterday).toBeNull()
  })

  it('forgets a removed station', () => {
    const indexes = new AirIndexes()
    feed(indexes, 'aq-1', day, 12, () => 40)
    indexes.forget('aq-1')
    expect(airOutlook(indexes, 'aq-1', day + 12 * HOUR)).toMatchObject({ hourly: null, direction: null, yesterday: null })
  })

  it('drops a station whose readings are all too old to matter', () => {
    const indexes = new AirIndexes()
    feed(indexes, 'aq-1', day, 2, () => 40)
    indexes.prune(day + 72 * HOUR)
    expect(indexes.trend('aq-1', day + 3 * HOUR).every((p) => p.index === null)).toBe(true)
  })
})
