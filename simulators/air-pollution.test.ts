// The simulated air: rush hours, still nights, afternoon ozone, and a straw-smoke evening
// whose hourly VN_AQI (computed by the gateway's own module) goes into Xấu and Rất xấu and back.
import { describe, expect, it } from 'vitest'
import { hourlyAqi } from '../gateway/aqi/hourly.js'
import { airAt, ozoneUgm3, smokePm25, stagnation, STRAW_SMOKE, trafficFactor } from './air-pollution.js'

const hours = Array.from({ length: 96 }, (_, i) => i / 4)
const peakHour = (f: (h: number) => number, from: number, to: number): number => {
  const inRange = hours.filter((h) => h >= from && h <= to)
  return inRange.reduce((best, h) => (f(h) > f(best) ? h : best), from)
}

/** The hourly index at each hour, from the hourly means of a function of the hour (newest first into the NowCast). */
function hourlyIndex (pm25At: (h: number) => number, pm10At: (h: number) => number, hoursCount: number): Array<number | null> {
  const pm25: number[] = []
  const pm10: number[] = []
  const out: Array<number | null> = []
  for (let h = 0; h < hoursCount; h++) {
    // The mean of the hour from readings every five minutes.
    const mean = (f: (x: number) => number): number => Array.from({ length: 12 }, (_, i) => f(h + i / 12)).reduce((a, b) => a + b, 0) / 12
    pm25.unshift(mean(pm25At))
    pm10.unshift(mean(pm10At))
    out.push(hourlyAqi({ pm25, pm10 })?.aqi ?? null)
  }
  return out
}

describe('simulated air', () => {
  it('has a morning and an evening rush hour and a quiet night', () => {
    expect(peakHour(trafficFactor, 4, 11)).toBeCloseTo(7.25, 0)
    expect(peakHour(trafficFactor, 14, 22)).toBeCloseTo(17.75, 0)
    expect(trafficFactor(2)).toBeLessThan(0.1)
  })

  it('holds pollution near the ground at night and mixes it away in the afternoon', () => {
    expect(stagnation(4)).toBeCloseTo(1.4)
    expect(stagnation(16)).toBeCloseTo(0.6)
  })

  it('makes its ozone in the afternoon sun and none at night', () => {
    expect(peakHour(ozoneUgm3, 0, 24)).toBeGreaterThanOrEqual(13.5)
    expect(peakHour(ozoneUgm3, 0, 24)).toBeLessThanOrEqual(15.5)
    expect(ozoneUgm3(23)).toBeLessThan(20)
  })

  it('keeps an ordinary day out of the bad bands: the hourly index stays below Xấu (151)', () => {
    const index = hourlyIndex((h) => airAt(h % 24, 0).pm25, (h) => airAt(h % 24, 0).pm10, 48)
    const known = index.filter((v): v is number => v !== null)
    expect(known.length).toBeGreaterThan(40)
    expect(Math.max(...known)).toBeLessThan(151)
    expect(Math.max(...known)).toBeGreaterThan(50) // but the rush hours show
  })

  it('raises the hourly index through Xấu into Rất xấu with straw smoke, then lets it fall back below Xấu', () => {
    // The scenario starts at 17:00: fields lit at 17:15 and burning until 20:15, clearing after.
    const start = 17
    const smoke = (h: number): number => (h < start ? 0 : smokePm25(h - start))
    const index = hourlyIndex((h) => airAt(h % 24, smoke(h)).pm25, (h) => airAt(h % 24, smoke(h)).pm10, 36)
    const during = index.slice(start, start + 6).filter((v): v is number => v !== null)
    expect(Math.max(...during)).toBeGreaterThanOrEqual(201)
    expect(during.some((v) => v >= 151 && v <= 200)).toBe(true)
    // Eight hours after the fires are out, the air is back below Xấu.
    const after = index[start + Math.ceil(STRAW_SMOKE.litAtH + STRAW_SMOKE.burnH) + 8]
    expect(after).not.toBeNull()
    expect(after!).toBeLessThan(151)
  })

  it('never reports a negative concentration', () => {
    for (const h of hours) {
      for (const v of Object.values(airAt(h, smokePm25(h)))) expect(v).toBeGreaterThanOrEqual(0)
    }
  })
})
