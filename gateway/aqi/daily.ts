// The daily index AQI^d (§2.2.2), all through Công thức 1:
//   PM2.5, PM10    the 24-hour mean of the day's 1-hour means
//   SO2, NO2, CO   the day's largest 1-hour mean
//   O3             the larger of the index of its largest 1-hour mean (1-hour column) and
//                  the index of its largest 8-hour mean (8-hour column); when that 8-hour mean
//                  is above 400 µg/m³ only the 1-hour one counts
// The day runs from the hour ending 01:00 to the hour ending 00:00 of the next day, local
// time. An 8-hour mean is the mean of eight consecutive 1-hour means ending at that hour, so
// the first ones of the day reach into the evening before (the guideline's example: the
// 8-hour mean at 01:00 is the mean of 18:00 … 01:00).
//
// How many hours must be there is not in the guideline. Ours: three in four, i.e. 18 of the
// day's 24 hours, 6 of an 8-hour mean's 8, 18 valid 8-hour means. With fewer, no value: a
// "largest hour of the day" from a morning's data would publish a clean day that was not.
import type { Pollutant } from './breakpoints.js'
import { stationIndex, type AqiResult } from './station-index.js'
import { checkConcentration, subIndex, type SubIndex } from './sub-index.js'

export const MIN_HOURS_OF_DAY = 18
export const MIN_HOURS_OF_8H = 6

type Hours = ReadonlyArray<number | null | undefined>

export interface DayHours {
  /**
   * Per pollutant, the day's 24 one-hour means oldest first: `[0]` is the hour 00:00-01:00
   * (the guideline's "01:00"), `[23]` the hour 23:00-24:00; null or missing for no valid mean.
   */
  hours: Partial<Record<Pollutant, Hours>>
  /** O3's seven 1-hour means before the day (17:00-24:00 of the day before), oldest first. */
  o3Before?: Hours
}

export interface DailyResult extends AqiResult {
  /** The concentrations each sub-index came from, µg/m³. */
  basis: Partial<Record<Pollutant | 'o3_8h', number>>
}

/** The hours that have a mean, each checked: a negative or absurd mean is refused, not averaged in. */
const present = (p: Pollutant, hours: Hours): number[] =>
  hours.filter((v): v is number => v !== null && v !== undefined).map((v) => checkConcentration(p, v))

function dayValues (p: Pollutant, hours: Hours | undefined): number[] | null {
  const values = present(p, (hours ?? []).slice(0, 24))
  return values.length >= MIN_HOURS_OF_DAY ? values : null
}

/** The day's largest 8-hour mean, or null with too few valid ones. */
export function max8hMean (day: Hours, before: Hours = []): number | null {
  const padded = [...Array<null>(Math.max(0, 7 - before.length)).fill(null), ...before.slice(-7), ...day.slice(0, 24)]
  const means: number[] = []
  for (let end = 7; end < padded.length; end++) {
    const window = present('o3', padded.slice(end - 7, end + 1))
    if (window.length >= MIN_HOURS_OF_8H) means.push(window.reduce((a, b) => a + b, 0) / window.length)
  }
  return means.length >= MIN_HOURS_OF_DAY ? Math.max(...means) : null
}

export function dailyAqi (day: DayHours): DailyResult | null {
  const subs: Partial<Record<Pollutant, SubIndex>> = {}
  const basis: DailyResult['basis'] = {}
  for (const p of ['pm25', 'pm10'] as const) {
    const values = dayValues(p, day.hours[p])
    if (values === null) continue
    basis[p] = values.reduce((a, b) => a + b, 0) / values.length
    subs[p] = subIndex(p, basis[p])
  }
  for (const p of ['so2', 'no2', 'co'] as const) {
    const values = dayValues(p, day.hours[p])
    if (values === null) continue
    basis[p] = Math.max(...values)
    subs[p] = subIndex(p, basis[p])
  }
  const o3 = ozone(day, basis)
  if (o3 !== null) subs.o3 = o3
  const result = stationIndex(subs)
  return result === null ? null : { ...result, basis }
}

function ozone (day: DayHours, basis: DailyResult['basis']): SubIndex | null {
  const values = dayValues('o3', day.hours.o3)
  const eight = max8hMean(day.hours.o3 ?? [], day.o3Before)
  const candidates: SubIndex[] = []
  if (values !== null) {
    basis.o3 = Math.max(...values)
    candidates.push(subIndex('o3', basis.o3))
  }
  if (eight !== null) {
    basis.o3_8h = eight
    const s = subIndex('o3_8h', eight)
    if (s !== null) candidates.push(s)
  }
  if (candidates.length === 0) return null
  return candidates.reduce((a, b) => (b.value > a.value ? b : a))
}
