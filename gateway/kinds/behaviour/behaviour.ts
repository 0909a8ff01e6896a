// What the gateway does with a kind, beside its plain definition (../<kind>.ts): the alarm
// conditions of a reading, the clock-driven checks, what lies ahead. One module per kind,
// collected in ./index.ts against the kind union, so a new kind does not compile without one.
import type { AlarmType, Severity } from '../../alarms/catalog.js'
import type { Condition, Fields } from '../../alarms/rules.js'
import type { Thresholds } from '../../alarms/thresholds.js'
import type { PresenceState } from '../../presence/presence.js'
import type { Device } from '../../registry/device.js'
import type { LatestValue, TelemetryStore } from '../../store/telemetry-store.js'
import type { AirOutlook } from '../../aqi/outlook.js'

export type Latest = Readonly<Record<string, LatestValue>>

export interface ReadingInput {
  device: Device
  fields: Fields
  ts: number
  /** The device's effective thresholds: its overrides, its village's, its kind's, the defaults. */
  th: Thresholds
  /** Whether the device has an active alarm of this type (for hysteresis). */
  isActive: (type: AlarmType) => boolean
  /** The details of the device's active alarm of this type (a level alarm's stage), or null. */
  activeDetails: (type: AlarmType) => Readonly<Record<string, unknown>> | null
  /** The rate of change of the kind's trend field, cm/h (live/trend.ts); null when unknown. */
  trendPerH: number | null
  /** What the kind remembers of the device between readings; forgotten with the device. */
  memory: Record<string, unknown>
}

export interface ClockInput {
  device: Device
  latest: Latest
  presence: PresenceState
  th: Thresholds
  now: number
  /** Whether its village is not dark (then a device's own outage alarms). */
  alone: boolean
  /** Whether a condition since then has lasted the grace period (counted again from the village's last darkness). */
  pastGrace: (since: number | null) => since is number
    }

/** A station's level and the next line above it, for the device page and the alarm. */
export interface LevelOutlook {
  cmPerHour: number | null
  /** The next alarm or reference level above the current level, and when it is reached at this rate. */
  next: NextLine | null
}
export interface NextLine { name: 'level1M' | 'level2M' | 'level3M' | 'designFloodM' | 'checkFloodM'; stage: number | null; levelM: number; hours: number | null }
/** What lies ahead as a kind sees it: a station's next line, or the air's index and its trend. */
export type Outlook = LevelOutlook | AirOutlook

/** A store's history, as a kind's restore reads it. */
export type HistoryOf = TelemetryStore['history']

export interface KindBehaviour {
  /**
   * What a reading adds to the kind's memory of the device before its conditions are read (the
   * air's window of hours). Only the alarm engine calls it, once per reading; `reading` then
   * reads the memory, so "needs attention" asks the same conditions without adding anything.
   */
  observe?: (input: ReadingInput) => void
  /** The alarm conditions one reading shows (also what "needs attention" reads off the latest values). */
  reading (input: ReadingInput): Condition[]
  /** Alarm types whose condition still holds of an offline device's last values (others are stale then). */
  keptOffline: readonly AlarmType[]
  /** The clock's conditions of one device, beside `offline` (every kind's): no data, on battery ... */
  clock (input: ClockInput): Condition[]
  /** Since when an online device counts as dark with its village (a loudspeaker on battery); null: it does not. */
  darkSince (latest: Latest, presence: PresenceState): number | null
  /** How bad its being offline since then is. */
  offlineSeverity (offlineSince: number | null, th: Thresholds): Severity
  /** The field whose rate of rise is followed (live/trend.ts), or null. */
  trendField: string | null
  /**
   * What lies ahead (a station: the next line and when the water reaches it; the air: its
   * index and trend), from the latest values, the trend, what the kind remembers of the device
   * (ReadingInput.memory) and the time now; null for none.
   */
  outlook (device: Device, latest: Latest, trendPerH: number | null, memory: Record<string, unknown>, now: number): Outlook | null
  /** After a restart, refills what the kind remembers of a device from the store (the air's last day and a half). */
  restore?: (device: Device, memory: Record<string, unknown>, history: HistoryOf, now: number) => Promise<void>
}

/** A station's battery below `lowBatteryPct`, kept until 5 points above it (a battery hovering at the line is one alarm). */
export function lowBatteryCondition (type: AlarmType, batteryPct: number, th: Thresholds, isActive: (type: AlarmType) => boolean): Condition {
  return { type, active: batteryPct < th.lowBatteryPct || (isActive(type) && batteryPct < th.lowBatteryPct + 5), details: { batteryPct } }
}

/** A station that has sent nothing for `noDataS`: its readings stopped coming (Thông tư 17/2021 asks for this alarm). */
export function noDataCondition (type: AlarmType, latest: Latest, th: Thresholds, now: number): Condition {
  const times = Object.values(latest).map((v) => v.ts)
  const last = times.length > 0 ? Math.max(...times) : null
  return { type, active: last !== null && now - last >= th.noDataS * 1000, details: { lastReadingAt: last }, startedAt: last ?? now }
}

/** For the kinds whose clock has nothing to say beyond `offline`. */
export const NOTHING_MORE = { clock: () => [], darkSince: () => null, trendField: null, outlook: () => null } as const
