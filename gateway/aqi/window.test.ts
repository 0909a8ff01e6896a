// A station's rolling window: readings become 1-hour means, then hourly and daily indices,
// on Vietnamese local days.
import { describe, expect, it } from 'vitest'
import { AirWindow, HOUR_MS, hourStartOf, localDayStartOf } from './window.js'

const MIN = 60_000
// 30/11/2026 00:00 in Vietnam (UTC+7) is 29/11/2026 17:00 UTC.
const day = Date.UTC(2026, 10, 29, 17)

/** One reading every `everyMin` minutes from `from` for `hours` hours. */
function feed (w: AirWindow, pollutant: 'pm25' | 'pm10' | 'o3', from: number, hours: number, value: number, everyMin = 5): void {
  for (let t = from; t < from + hours * HOUR_MS; t += everyMin * MIN) w.add(pollutant, t, value)
}

describe('air-quality window', () => {
  it('starts the day at local midnight, seven hours before UTC midnight', () => {
    expect(localDayStartOf(day)).toBe(day)
    expect(localDayStartOf(day + 23.9 * HOUR_MS)).toBe(day)
    expect(localDayStartOf(day - 1)).toBe(day - 24 * HOUR_MS)
    expect(hourStartOf(day + 59 * MIN)).toBe(day)
  })

  it('makes a 1-hour mean only from readings in at least three quarters of the hour', () => {
    const w = new AirWindow()
    w.add('pm25', day, 10)
    w.add('pm25', day + 20 * MIN, 20)
    expect(w.hourMean('pm25', day)).toBeNull() // quarters 0 and 1
    w.add('pm25', day + 40 * MIN, 60)
    expect(w.hourMean('pm25', day)).toBe(30) // (10 + 20 + 60)/3, quarters 0, 1, 2
  })

  it('counts a reading sent twice once', () => {
    const w = new AirWindow()
    for (const m of [0, 20, 40, 40, 40]) w.add('pm10', day + m * MIN, m === 40 ? 90 : 30)
    expect(w.hourMean('pm10', day)).toBe(50) // (30 + 30 + 90)/3
  })

  it('refuses a negative reading and keeps the hour as it was', () => {
    const w = new AirWindow()
    feed(w, 'pm25', day, 1, 40)
    expect(() => w.add('pm25', day + 30 * MIN + 1, -5)).toThrow(/negative/)
    expect(w.hourMean('pm25', day)).toBe(40)
  })

  it('indexes the hour from its NowCast: twelve hours of 100 µg/m³ PM2.5 are Xấu', () => {
    const w = new AirWindow()
    feed(w, 'pm25', day, 12, 100)
    // NowCast 100; 150 + (200 − 150)/(150 − 80) × (100 − 80) = 150 + 14.29 = 164.29 → 164.
    expect(w.hourly(day + 11 * HOUR_MS)).toMatchObject({ aqi: 164, band: 'bad', dominant: 'pm25' })
  })

  it('has no hourly index once the station has been silent for two of the last three hours', () => {
    const w = new AirWindow()
    feed(w, 'pm25', day, 10, 100)
    expect(w.hourly(day + 10 * HOUR_MS)).not.toBeNull() // c1 missing, c2 and c3 there
    expect(w.hourly(day + 11 * HOUR_MS)).toBeNull() // c1 and c2 missing
  })

  it('indexes a local day from its 24 hours, and forgets what no index needs any more', () => {
    const w = new AirWindow()
    feed(w, 'pm25', day, 24, 35)
    // 24-hour mean 35: 50 + (100 − 50)/(50 − 25) × (35 − 25) = 70, Trung bình.
    expect(w.daily(day)).toMatchObject({ aqi: 70, band: 'moderate' })
    // Two days later, that day is neither today nor yesterday.
    w.prune(day + 49 * HOUR_MS)
    expect(w.hourMean('pm25', day + 12 * HOUR_MS)).toBeNull()
    expect(w.daily(day)).toBeNull()
  })

  it('keeps yesterday and the evening before it, which yesterday\'s ozone needs', () => {
    const w = new AirWindow()
    feed(w, 'o3', day - 7 * HOUR_MS, 31, 50)
    feed(w, 'pm25', day, 24, 10)
    w.prune(day + 30 * HOUR_MS)
    expect(w.hourMean('o3', day - 7 * HOUR_MS)).toBe(50)
    expect(w.daily(day)?.basis.o3_8h).toBe(50)
  })
})
