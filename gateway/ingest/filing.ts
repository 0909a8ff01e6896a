// The time a reading is stored under is its key in both stores: InfluxDB keeps one point per
// series and time (a second write replaces or merges into the first), the SQLite store one row
// per field and time. So two readings of one device filed at the same millisecond would become
// one, and the device was acknowledged for both. This happens when a station flushes its buffer
// after a power cut without times (all restamped at receive time, many in one millisecond), or
// sends two readings with the same time.
//
// The rule (docs/contract.md, "Times"): within one device and measurement, every accepted
// reading gets its own millisecond. A reading whose time is taken moves to the next free one.
// Restamped readings never go back in time. A reading with the device's own time whose time and
// fields equal one already filed is the same reading sent again (a QoS 1 re-send) and keeps its
// key, so storing it again changes nothing.
import type { ClockVerdict, FieldValue } from '../contract/index.js'

type Fields = Readonly<Record<string, FieldValue>>

/** How many recent times per series are remembered to find a collision (readings a few apart collide; the window covers a reconnect's re-sends). */
const WINDOW = 16

interface Filed { ts: number; clock: ClockVerdict; fields: Fields }

interface SeriesTimes {
  /** The last time given to a restamped reading. */
  lastStamped: number
  /** Recently filed times and what was filed there (with the time it came with), oldest first. */
  recent: Map<number, Filed>
}

export class ReadingTimes {
  private readonly devices = new Map<string, { telemetry?: SeriesTimes; event?: SeriesTimes }>()

  /** The time (ms) to file this reading under, never one another reading of its series has. */
  file (deviceId: string, measurement: 'telemetry' | 'event', ts: number, clock: ClockVerdict, fields: Fields): number {
    let device = this.devices.get(deviceId)
    if (!device) this.devices.set(deviceId, device = {})
    const series: SeriesTimes = device[measurement] ??= { lastStamped: -Infinity, recent: new Map<number, Filed>() }
    let t = clock === 'device' ? ts : Math.max(ts, series.lastStamped + 1)
    for (;;) {
      const taken = series.recent.get(t)
      if (taken === undefined) break
      if (clock === 'device' && taken.clock === 'device' && taken.ts === ts && sameFields(taken.fields, fields)) return t
      t++
    }
    if (clock !== 'device') series.lastStamped = t
    series.recent.set(t, { ts, clock, fields })
    if (series.recent.size > WINDOW) series.recent.delete(series.recent.keys().next().value as number)
    return t
  }

  /** The device was removed. */
  forget (deviceId: string): void {
    this.devices.delete(deviceId)
  }
}

function sameFields (a: Fields, b: Fields): boolean {
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((k) => a[k] === b[k])
}
