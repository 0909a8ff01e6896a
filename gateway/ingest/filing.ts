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

/**
 * One series' last WINDOW filed readings, in a ring of parallel arrays: a reading costs a
 * scan of 16 numbers and no object or map entry (issue #18).
 */
class SeriesTimes {
  /** The last time given to a restamped reading. */
  lastStamped = -Infinity
  private readonly filedAt = new Float64Array(WINDOW).fill(NaN)
  /** The time each came with, its clock verdict and its fields. */
  private readonly sentAt = new Float64Array(WINDOW)
  private readonly clocks: Array<ClockVerdict | null> = new Array<ClockVerdict | null>(WINDOW).fill(null)
  private readonly fields: Array<Fields | null> = new Array<Fields | null>(WINDOW).fill(null)
  private next = 0

  /** Where time `t` was filed among the recent readings; -1 when it is free. */
  find (t: number): number {
    return this.filedAt.indexOf(t)
  }

  /** The reading filed at `i` came with this device time and these fields. */
  isSame (i: number, ts: number, fields: Fields): boolean {
    return this.clocks[i] === 'device' && this.sentAt[i] === ts && sameFields(this.fields[i]!, fields)
  }

  keep (t: number, ts: number, clock: ClockVerdict, fields: Fields): void {
    const i = this.next
    this.filedAt[i] = t
    this.sentAt[i] = ts
    this.clocks[i] = clock
    this.fields[i] = fields
    this.next = (i + 1) % WINDOW
  }
}

export class ReadingTimes {
  private readonly devices = new Map<string, { telemetry?: SeriesTimes; event?: SeriesTimes }>()

  /** The time (ms) to file this reading under, never one another reading of its series has. */
  file (deviceId: string, measurement: 'telemetry' | 'event', ts: number, clock: ClockVerdict, fields: Fields): number {
    let device = this.devices.get(deviceId)
    if (!device) this.devices.set(deviceId, device = {})
    const series = device[measurement] ??= new SeriesTimes()
    let t = clock === 'device' ? ts : Math.max(ts, series.lastStamped + 1)
    for (let taken = series.find(t); taken >= 0; taken = series.find(++t)) {
      if (clock === 'device' && series.isSame(taken, ts, fields)) return t
    }
    if (clock !== 'device') series.lastStamped = t
    series.keep(t, ts, clock, fields)
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
