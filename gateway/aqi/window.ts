// A station's readings of the last day and a half, kept by hour, from which its hourly and
// daily VN_AQI are computed at any time. Clock-free: every method takes the instant it is
// about, so a test (or the gateway restoring the window from the store after a restart)
// feeds readings of any age.
//
// A 1-hour mean comes from the readings time-stamped inside the hour. The guideline asks for
// 1-hour means but not how many readings make one; ours: readings in at least three of the
// hour's four quarters, so twenty minutes of data never stand for the hour.
import { POLLUTANTS, type Pollutant } from './breakpoints.js'
import { dailyAqi, type DailyResult } from './daily.js'
import { hourlyAqi, type HourlyResult } from './hourly.js'
import { NOWCAST_HOURS } from './nowcast.js'
import { checkConcentration } from './sub-index.js'

export const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** Vietnam keeps UTC+7 all year; whole hours, so local and UTC hours share their boundaries. */
const VIETNAM_OFFSET_MS = 7 * HOUR_MS
export const MIN_QUARTERS = 3

export const hourStartOf = (ts: number): number => Math.floor(ts / HOUR_MS) * HOUR_MS
/** Local midnight (UTC+7) that starts the day holding `ts`. */
export const localDayStartOf = (ts: number): number => Math.floor((ts + VIETNAM_OFFSET_MS) / DAY_MS) * DAY_MS - VIETNAM_OFFSET_MS

interface Entry { value: number; weight: number }

/** The first hour the window needs at `now`: yesterday's daily index reaches 7 hours before yesterday. */
export const oldestNeeded = (now: number): number => localDayStartOf(now) - DAY_MS - 7 * HOUR_MS

export class AirWindow {
  /**
   * pollutant → hour start → reading time → value and weight; keyed by time, so a reading
   * sent twice counts once. The weight is 1 for a reading, the count for a stored bucket.
   */
  private readonly hours = new Map<Pollutant, Map<number, Map<number, Entry>>>()

  /**
   * Adds one reading, or (`weight` > 1) the mean of that many readings at `ts` as a store's
   * history gives them back after a restart. A negative or absurd concentration throws and
   * leaves the window as it was.
   */
  add (pollutant: Pollutant, ts: number, value: number, weight = 1): void {
    checkConcentration(pollutant, value)
    if (!Number.isFinite(ts)) throw new RangeError(`reading time must be a number of ms, got ${ts}`)
    if (!(weight > 0)) throw new RangeError(`weight must be above 0, got ${weight}`)
    let byHour = this.hours.get(pollutant)
    if (byHour === undefined) this.hours.set(pollutant, byHour = new Map<number, Map<number, Entry>>())
    const start = hourStartOf(ts)
    let readings = byHour.get(start)
    if (readings === undefined) byHour.set(start, readings = new Map<number, Entry>())
    readings.set(ts, { value, weight })
  }

  /** Adds every pollutant a reading carries (fields named as the pollutants). */
  addReading (ts: number, values: Partial<Record<Pollutant, number>>): void {
    for (const p of POLLUTANTS) {
      const v = values[p]
      if (v !== undefined) this.add(p, ts, v)
    }
  }

  /** The 1-hour mean of the hour starting at `hourStart`, or null with too little data in it. */
  hourMean (pollutant: Pollutant, hourStart: number): number | null {
    const readings = this.hours.get(pollutant)?.get(hourStart)
    if (readings === undefined) return null
    const quarters = new Set<number>()
    let sum = 0
    let weights = 0
    for (const [ts, { value, weight }] of readings) {
      quarters.add(Math.floor((ts - hourStart) / (HOUR_MS / 4)))
      sum += value * weight
      weights += weight
    }
    return quarters.size >= MIN_QUARTERS ? sum / weights : null
  }

  /** `count` 1-hour means ending with the hour starting at `lastHourStart`, newest first. */
  private series (pollutant: Pollutant, lastHourStart: number, count: number): Array<number | null> {
    return Array.from({ length: count }, (_, i) => this.hourMean(pollutant, lastHourStart - i * HOUR_MS))
  }

  /** AQI^h of the hour starting at `hourStart` (published when it ends). */
  hourly (hourStart: number): HourlyResult | null {
    const series: Partial<Record<Pollutant, Array<number | null>>> = {}
    for (const p of POLLUTANTS) series[p] = this.series(p, hourStart, NOWCAST_HOURS)
    return hourlyAqi(series)
  }

  /** AQI^d of the local day starting at `dayStart` (a local midnight). */
  daily (dayStart: number): DailyResult | null {
    const hours: Partial<Record<Pollutant, Array<number | null>>> = {}
    for (const p of POLLUTANTS) hours[p] = this.series(p, dayStart + 23 * HOUR_MS, 24).reverse()
    const o3Before = this.series('o3', dayStart - HOUR_MS, 7).reverse()
    return dailyAqi({ hours, o3Before })
  }

  /** Whether any reading is kept (a station the window can forget). */
  get empty (): boolean {
    return [...this.hours.values()].every((byHour) => byHour.size === 0)
  }

  /** Forgets the hours that no index of today or yesterday can use any more. */
  prune (now: number): void {
    const oldest = oldestNeeded(now)
    for (const byHour of this.hours.values()) {
      for (const start of byHour.keys()) if (start < oldest) byHour.delete(start)
    }
  }
}
