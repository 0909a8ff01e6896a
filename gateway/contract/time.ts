// Device clocks in the countryside drift, reset to 1970 or 2000 after a power cut, or
// run ahead after a bad NTP answer. A reading is never dropped for its clock: its value
// is real. What changes is the time it is filed under.
import { z } from 'zod'

/** Milliseconds since the Unix epoch (UTC), as an integer. Year 2100 is the sanity ceiling. */
export const Timestamp = z.number().int().min(0).max(4_102_444_800_000)

export interface ClockTolerance {
  /** A device time further ahead than this is not believed. */
  futureMs: number
  /**
   * A device time further behind than this is not believed. Devices may legitimately
   * send readings buffered during an uplink outage, so this is generous (days).
   */
  pastMs: number
}

/** Why a reading is filed under the time it is. */
export type ClockVerdict = 'device' | 'missing' | 'future' | 'past'

export interface FiledTime {
  ts: number
  clock: ClockVerdict
}

/**
 * The time a reading is filed under:
 * - the device's own time when it has one within tolerance (buffered readings keep their
 *   real time);
 * - otherwise the gateway's receive time, with the verdict saying why, so the dashboard
 *   can show "device clock wrong" and the count of restamped readings is a metric.
 */
export function fileTime (deviceTs: number | undefined, receivedAt: number, tolerance: ClockTolerance): FiledTime {
  if (deviceTs === undefined) return { ts: receivedAt, clock: 'missing' }
  if (deviceTs - receivedAt > tolerance.futureMs) return { ts: receivedAt, clock: 'future' }
  if (receivedAt - deviceTs > tolerance.pastMs) return { ts: receivedAt, clock: 'past' }
  return { ts: deviceTs, clock: 'device' }
}
