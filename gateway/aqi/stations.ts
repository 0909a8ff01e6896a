// Every air-quality station's window, by device id: the readings go in as they are
// journaled, the indices come out whenever asked (the alarm rule, the dashboard). After a
// restart the windows are filled again from the telemetry store's history, in quarter-hour
// buckets, so the first hourly index after a restart is as good as the one before it.
import type { Pollutant } from './breakpoints.js'
import { POLLUTANT_FIELDS } from './fields.js'
import type { DailyResult } from './daily.js'
import type { HourlyResult } from './hourly.js'
import { AirWindow, HOUR_MS, hourStartOf, localDayStartOf, oldestNeeded } from './window.js'

/** A store's history of one field in buckets (TelemetryStore.history, narrowed to what is needed). */
export type HistoryOf = (deviceId: string, field: string, from: number, to: number, maxPoints: number) =>
  Promise<ReadonlyArray<{ t: number; mean: number; count: number }>>

export interface HourlyPoint {
  /** Start of the hour; the index is published when it ends. */
  hourStart: number
  index: HourlyResult | null
}

export class AirIndexes {
  private readonly windows = new Map<string, AirWindow>()

  private windowOf (deviceId: string): AirWindow {
    let w = this.windows.get(deviceId)
    if (w === undefined) this.windows.set(deviceId, w = new AirWindow())
    return w
  }

  /** One reading's pollutants (already checked by the contract). */
  observe (deviceId: string, ts: number, values: Partial<Record<Pollutant, number>>): void {
    this.windowOf(deviceId).addReading(ts, values)
  }

  /** The index of the last hour that has ended at `now`. */
  lastHour (deviceId: string, now: number): HourlyPoint {
    const hourStart = hourStartOf(now) - HOUR_MS
    return { hourStart, index: this.windows.get(deviceId)?.hourly(hourStart) ?? null }
  }

  /** The hourly indices of the `hours` hours that ended last, oldest first (the page's trend). */
  trend (deviceId: string, now: number, hours = 24): HourlyPoint[] {
    const w = this.windows.get(deviceId)
    const last = hourStartOf(now) - HOUR_MS
    return Array.from({ length: hours }, (_, i) => {
      const hourStart = last - (hours - 1 - i) * HOUR_MS
      return { hourStart, index: w?.hourly(hourStart) ?? null }
    })
  }

  /** Today's index so far is not a daily index: this is yesterday's (the last whole local day). */
  yesterday (deviceId: string, now: number): { dayStart: number; index: DailyResult | null } {
    const dayStart = localDayStartOf(now) - 24 * HOUR_MS
    return { dayStart, index: this.windows.get(deviceId)?.daily(dayStart) ?? null }
  }

  forget (deviceId: string): void {
    this.windows.delete(deviceId)
  }

  /** Drops the hours no index needs any more; run now and then (the hourly sweep). */
  prune (now: number): void {
    for (const [id, w] of this.windows) {
      w.prune(now)
      if (w.empty) this.windows.delete(id)
    }
  }

  /** Refills the stations' windows from the store: everything from the oldest hour still needed to `now`. */
  async restore (deviceIds: readonly string[], history: HistoryOf, now: number): Promise<void> {
    const from = oldestNeeded(now)
    const to = hourStartOf(now) + HOUR_MS
    const quarters = (to - from) / (HOUR_MS / 4)
    for (const id of deviceIds) {
      for (const [p, field] of Object.entries(POLLUTANT_FIELDS) as Array<[Pollutant, string]>) {
        for (const b of await history(id, field, from, to, quarters)) {
          if (b.count > 0) this.windowOf(id).add(p, b.t, b.mean, b.count)
        }
      }
    }
  }
}
