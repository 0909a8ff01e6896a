// VN_AQI against examples worked by hand from Quyết định 1459/QĐ-TCMT: its formula
//   AQI_x = (I_{i+1} − I_i) / (BP_{i+1} − BP_i) × (C_x − BP_i) + I_i
// on Bảng 2, the NowCast of §2.2.1 a, and its own worked examples of §2.3.
import { describe, expect, it } from 'vitest'
import { AQI_BANDS, bandOf } from './bands.js'
import { dailyAqi } from './daily.js'
import { hourlyAqi } from './hourly.js'
import { nowcast } from './nowcast.js'
import { ConcentrationError, roundIndex, subIndex } from './sub-index.js'

const idx = (scale: Parameters<typeof subIndex>[0], c: number): number => roundIndex(subIndex(scale, c)!.value)

describe('one pollutant, one concentration', () => {
  it('gives the table index exactly at every breakpoint of Bảng 2', () => {
    // PM2.5: 0→0, 25→50, 50→100, 80→150, 150→200, 250→300, 350→400, 500→500.
    expect([0, 25, 50, 80, 150, 250, 350, 500].map((c) => idx('pm25', c))).toEqual([0, 50, 100, 150, 200, 300, 400, 500])
    expect([50, 150, 250, 350, 420, 500, 600].map((c) => idx('pm10', c))).toEqual([50, 100, 150, 200, 300, 400, 500])
    expect([10_000, 30_000, 45_000, 60_000, 90_000, 120_000, 150_000].map((c) => idx('co', c))).toEqual([50, 100, 150, 200, 300, 400, 500])
    expect([125, 350, 550, 800, 1600, 2100, 2630].map((c) => idx('so2', c))).toEqual([50, 100, 150, 200, 300, 400, 500])
    expect([100, 200, 700, 1200, 2350, 3100, 3850].map((c) => idx('no2', c))).toEqual([50, 100, 150, 200, 300, 400, 500])
    expect([160, 200, 300, 400, 800, 1000, 1200].map((c) => idx('o3', c))).toEqual([50, 100, 150, 200, 300, 400, 500])
    expect([100, 120, 170, 210, 400].map((c) => idx('o3_8h', c))).toEqual([50, 100, 150, 200, 300])
  })

  it('interpolates linearly inside a band', () => {
    // PM10 100 µg/m³: (100 − 50)/(150 − 50) × (100 − 50) + 50 = 0.5 × 50 + 50 = 75.
    expect(subIndex('pm10', 100).value).toBe(75)
    // SO2 450: (150 − 100)/(550 − 350) × (450 − 350) + 100 = 0.25 × 100 + 100 = 125.
    expect(subIndex('so2', 450).value).toBe(125)
    // CO 20 000 µg/m³ (20 mg/m³): (100 − 50)/(30 000 − 10 000) × 10 000 + 50 = 75.
    expect(subIndex('co', 20_000).value).toBe(75)
  })

  it('stops at 500 above the last breakpoint and says the true index may be higher', () => {
    expect(subIndex('pm25', 500)).toEqual({ value: 500, beyond: true })
    expect(subIndex('pm25', 900)).toEqual({ value: 500, beyond: true })
    expect(subIndex('pm25', 499).beyond).toBe(false)
  })

  it('has no 8-hour ozone index above 400 µg/m³, as the guideline says', () => {
    expect(subIndex('o3_8h', 400)).toEqual({ value: 300, beyond: false })
    expect(subIndex('o3_8h', 400.1)).toBeNull()
  })

  it('refuses negative, non-numeric and absurd concentrations with the reason', () => {
    expect(() => subIndex('pm25', -1)).toThrow(ConcentrationError)
    expect(() => subIndex('pm25', -1)).toThrow(/negative/)
    expect(() => subIndex('no2', Number.NaN)).toThrow(/not a number/)
    expect(() => subIndex('pm10', Number.POSITIVE_INFINITY)).toThrow(/not a number/)
    expect(() => subIndex('pm25', 5001)).toThrow(/faulty sensor/)
  })

  it('rounds halves up, including halves that binary arithmetic puts a hair below', () => {
    expect(roundIndex(109.5)).toBe(110)
    expect(roundIndex(109.49999999999999)).toBe(110)
    expect(roundIndex(59.35)).toBe(59)
  })
})

describe('bands', () => {
  it('puts the published whole number into the guideline six bands with their RGB colours', () => {
    expect([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500].map((a) => bandOf(a).name.vi))
      .toEqual(['Tốt', 'Tốt', 'Trung bình', 'Trung bình', 'Kém', 'Kém', 'Xấu', 'Xấu', 'Rất xấu', 'Rất xấu', 'Nguy hại', 'Nguy hại'])
    expect(AQI_BANDS.map((b) => b.rgb.join(';'))).toEqual(['0;228;0', '255;255;0', '255;126;0', '255;0;0', '143;63;151', '126;0;35'])
    for (const b of AQI_BANDS) {
      expect(b.hex).toBe(`#${b.rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`)
    }
  })

  it('rounds a fractional index before choosing the band: 150.4 is Kém, 150.5 is Xấu', () => {
    // PM2.5 80.7: 150 + (200 − 150)/(150 − 80) × 0.7 = 150 + 0.5 = 150.5 → 151.
    expect(bandOf(subIndex('pm25', 80.7).value).id).toBe('bad')
    // PM2.5 80.56: 150 + 50/70 × 0.56 = 150.4 → 150.
    expect(bandOf(subIndex('pm25', 80.56).value).id).toBe('poor')
  })
})

describe('NowCast of PM2.5 and PM10', () => {
  it('matches the guideline worked example: 20.3 µg/m³', () => {
    // §2.3 a, 09:00 … 20:00, newest first: c1 = 20.6 (20:00) … c12 = 26.9 (09:00).
    // w* = C_min/C_max = 16.5/26.9 = 0.6134 > 1/2, so w = 0.6134.
    // Σ w^(i−1) c_i = 20.6 + 12.022 + 8.428 + 4.685 + 2.336 + 1.650 + 0.879 + 0.637 + 0.471 + 0.252 + 0.186 + 0.124 = 52.269
    // Σ w^(i−1)     = 1 + 0.6134 + 0.3762 + 0.2308 + 0.1416 + 0.0868 + 0.0533 + 0.0327 + 0.0200 + 0.0123 + 0.0075 + 0.0046 = 2.5792
    // NowCast = 52.269 / 2.5792 = 20.27 (the guideline prints 20.3).
    const c = [20.6, 19.6, 22.4, 20.3, 16.5, 19.0, 16.5, 19.5, 23.5, 20.5, 24.7, 26.9]
    expect(nowcast('pm25', c)).toBeCloseTo(20.27, 2)
  })

  it('weighs a varied half-day at one half and agrees with the short form the guideline prints for it', () => {
    // c1 = 100 then eleven hours of 10: w* = 0.1 ≤ 1/2, so w = 1/2.
    // Guideline short form: 100/2 + 10 × (1/4 + … + 1/4096) = 50 + 10 × (1/2 − 1/4096) = 54.9976.
    // Normalised: (100 + 10 × (1 − 2^−11)) / (2 × (1 − 2^−12)) = 109.9951 / 1.99951 = 55.0110.
    // They differ by the factor (1 − 2^−12) only.
    const c = [100, ...Array<number>(11).fill(10)]
    const short = 100 / 2 + c.slice(1).reduce((s, v, i) => s + v / 2 ** (i + 2), 0)
    expect(short).toBeCloseTo(54.9976, 4)
    expect(nowcast('pm25', c)).toBeCloseTo(55.011, 3)
    expect(short / nowcast('pm25', c)!).toBeCloseTo(1 - 2 ** -12, 10)
  })

  it('gives no value unless two of the last three hours have one', () => {
    expect(nowcast('pm25', [null, null, 30, 30, 30])).toBeNull()
    expect(nowcast('pm10', [40, null, null, 40, 40])).toBeNull()
    expect(nowcast('pm25', [])).toBeNull()
  })

  it('gives a missing hour no weight instead of counting it as clean air', () => {
    // c1 missing, c2 = 60, c3 = 30: w* = 30/60 = 1/2, so w = 1/2.
    // (0.5 × 60 + 0.25 × 30) / (0.5 + 0.25) = 37.5 / 0.75 = 50 µg/m³ → PM2.5 index 100.
    expect(nowcast('pm25', [null, 60, 30])).toBe(50)
    expect(nowcast('pm25', [null, 40, 40, ...Array<number>(9).fill(40)])).toBe(40)
  })

  it('uses only the last twelve hours', () => {
    expect(nowcast('pm25', [...Array<number>(12).fill(30), 999])).toBe(30)
  })

  it('refuses a negative hour rather than averaging it in', () => {
    expect(() => nowcast('pm25', [30, -4, 30])).toThrow(/negative/)
  })
})

describe('hourly index', () => {
  const pm = [20.6, 19.6, 22.4, 20.3, 16.5, 19.0, 16.5, 19.5, 23.5, 20.5, 24.7, 26.9]

  it('matches the guideline worked example, except its rounding of NO2', () => {
    // §2.3 b: O3 = 136.1, NO2 = 118.7, NowCast PM2.5 = 20.27 (above).
    // O3:    (50 − 0)/(160 − 0) × 136.1 = 42.53 → 43
    // NO2:   (100 − 50)/(200 − 100) × (118.7 − 100) + 50 = 0.5 × 18.7 + 50 = 59.35 → 59
    //        (the guideline prints 60; no rounding rule gives 60 from 59.35 and 65 from 65.4 in its daily example)
    // PM2.5: (50 − 0)/(25 − 0) × 20.27 = 40.53 → 41
    // AQI^h = max = 59.35 → 59, named after NO2.
    const r = hourlyAqi({ o3: [136.1], no2: [118.7], pm25: pm })
    expect(r).toMatchObject({ aqi: 59, band: 'moderate', dominant: 'no2', subIndices: { o3: 43, no2: 59, pm25: 41 }, beyond: false })
    expect(r?.nowcast.pm25).toBeCloseTo(20.27, 2)
  })

  it('has no index without PM2.5 or PM10, however many gases are measured', () => {
    expect(hourlyAqi({ o3: [136.1], no2: [118.7], so2: [20], co: [900] })).toBeNull()
    expect(hourlyAqi({ o3: [136.1], pm25: [null, null, 20] })).toBeNull()
  })

  it('indexes a smoke plume of PM2.5 as Nguy hại when twelve hours stay at 300 µg/m³', () => {
    // NowCast = 300 (all equal, w = 1); (400 − 300)/(350 − 250) × (300 − 250) + 300 = 350.
    expect(hourlyAqi({ pm25: Array<number>(12).fill(300) })).toMatchObject({ aqi: 350, band: 'hazardous', dominant: 'pm25' })
  })

  it('skips a gas missing this hour instead of using an older hour', () => {
    // NO2 has only the hour before: not used. PM10 60 × 12: 50 + 0.5 × 10 = 55.
    expect(hourlyAqi({ pm10: Array<number>(12).fill(60), no2: [null, 900] })).toMatchObject({ aqi: 55, dominant: 'pm10', subIndices: { pm10: 55 } })
  })
})

describe('daily index', () => {
  const hours = (v: number): number[] => Array<number>(24).fill(v)

  it('matches the guideline worked example: 110, from PM2.5', () => {
    // §2.3 c: O3 8-h max 89.3, O3 1-h max 114.6, NO2 1-h max 130.8, PM2.5 24-h mean 55.7.
    // O3 8h: 50/100 × 89.3 = 44.65 → 45;  O3 1h: 50/160 × 114.6 = 35.81 → 36; O3's index is the larger, 44.65
    // NO2:  0.5 × (130.8 − 100) + 50 = 65.4 → 65
    // PM2.5: (150 − 100)/(80 − 50) × (55.7 − 50) + 100 = 1.6667 × 5.7 + 100 = 109.5 → 110
    // The eight O3 hours 10:00-18:00 sum to 114.6 + 6 × 85.6 + 86.2 = 714.4, mean 89.3; the rest are 20.
    const o3 = hours(20)
    o3.splice(10, 8, 114.6, 85.6, 85.6, 85.6, 85.6, 85.6, 85.6, 86.2)
    const no2 = hours(40)
    no2[8] = 130.8
    const r = dailyAqi({ hours: { pm25: hours(55.7), no2, o3 }, o3Before: Array<number>(7).fill(20) })
    expect(r).toMatchObject({ aqi: 110, band: 'poor', dominant: 'pm25', subIndices: { pm25: 110, no2: 65, o3: 45 } })
    expect(r?.basis.o3_8h).toBeCloseTo(89.3, 6)
    expect(r?.basis.o3).toBe(114.6)
  })

  it('reads the guideline 8-hour example: the mean at 01:00 reaches back to 18:00 the evening before', () => {
    // Example of §2.2.2 a: 18:00-00:00 are 15.7, 14.2, 17.7, 18.9, 19.3, 15.7, 19.7 and 01:00 is 22.6:
    // (15.7 + 14.2 + 17.7 + 18.9 + 19.3 + 15.7 + 19.7 + 22.6)/8 = 143.8/8 = 17.975 (printed 18.0).
    // Its day, 01:00 … 00:00, has the largest 8-hour mean 74.4 (at 17:00).
    const before = [15.7, 14.2, 17.7, 18.9, 19.3, 15.7, 19.7]
    const day = [22.6, 27.1, 29.0, 31.9, 25.3, 34.7, 35.2, 41.6, 45.7, 49.2, 55.8, 69.6, 78.3, 91.5, 97.7, 81.2, 71.8, 43.5, 34.3, 21.5, 20.5, 19.4, 20.4, 21.3]
    const r = dailyAqi({ hours: { o3: day, pm10: hours(20) }, o3Before: before })
    // 17:00 window 10:00-17:00: (49.2 + 55.8 + 69.6 + 78.3 + 91.5 + 97.7 + 81.2 + 71.8)/8 = 595.1/8 = 74.3875 → 74.4.
    expect(r?.basis.o3_8h).toBeCloseTo(74.3875, 6)
    // O3: 8h 50/100 × 74.3875 = 37.19; 1h 50/160 × 97.7 = 30.53. PM10 20: 50/50 × 20 = 20. AQI^d = 37, from O3.
    expect(r).toMatchObject({ aqi: 37, dominant: 'o3' })
  })

  it('uses only the 1-hour ozone when the 8-hour mean is above 400 µg/m³', () => {
    // O3 450 all day: 8-h mean 450 > 400, so 1h only: 200 + (300 − 200)/(800 − 400) × 50 = 212.5 → 213.
    const r = dailyAqi({ hours: { o3: hours(450), pm25: hours(10) }, o3Before: Array<number>(7).fill(450) })
    expect(r).toMatchObject({ aqi: 213, band: 'very_bad', dominant: 'o3' })
    expect(r?.basis.o3_8h).toBe(450)
  })

  it('gives no daily value for a pollutant with fewer than 18 of the 24 hours', () => {
    const patchy = hours(200).map((v, i) => (i < 7 ? null : v)) // 17 hours
    expect(dailyAqi({ hours: { pm25: patchy } })).toBeNull()
    const enough = hours(200).map((v, i) => (i < 6 ? null : v)) // 18 hours: (250 − 150 → 200..300) 200 + 100/100 × 50 = 250
    expect(dailyAqi({ hours: { pm25: enough } })).toMatchObject({ aqi: 250, band: 'very_bad' })
  })

  it('refuses a day holding a negative hour rather than publishing a lower mean', () => {
    const bad = hours(30)
    bad[5] = -30
    expect(() => dailyAqi({ hours: { pm25: bad } })).toThrow(/negative/)
  })
})
