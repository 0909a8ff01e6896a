// A water-level station's behaviour: its level against the reservoir's lines (with
// hysteresis), the rate of rise, a stuck or jumping sensor and its battery per reading; no
// data by the clock; the next line ahead as its outlook.
import type { AlarmType } from '../../alarms/catalog.js'
import { num, type Condition, type Fields } from '../../alarms/rules.js'
import type { Thresholds } from '../../alarms/thresholds.js'
import type { Device } from '../../registry/device.js'
import { LEVEL_STAGES } from '../water-sensor.js'
import { lowBatteryCondition, noDataCondition, type KindBehaviour } from './behaviour.js'
import { levelStage, linesOf, nextLine } from './water-levels.js'

/** What a station remembers between readings, for the sensor-fault rules. */
export interface StationMemory {
  lastLevel?: { value: number; ts: number }
  unchangedSince?: number
}

/** Two readings further apart than this say nothing about a jump. */
const JUMP_WINDOW_MS = 30 * 60_000

export function waterRules (
  device: Device, fields: Fields, ts: number, th: Thresholds, isActive: (type: AlarmType) => boolean,
  trendCmPerH: number | null, memory: StationMemory, stageNow = 0
): Condition[] {
  const out: Condition[] = []
  const level = num(fields.levelM)
  if (level !== undefined) {
    const lines = linesOf(device.reservoir)
    // The next line above the water, and when it is reached at this rate: shown with the alarm.
    const next = nextLine(level, lines, trendCmPerH)
    const stage = levelStage(level, lines, stageNow, th.levelHysteresisM)
    const risingFast = trendCmPerH !== null && (trendCmPerH >= th.riseCmPerH || (isActive('rapid_rise') && trendCmPerH >= th.riseCmPerH / 2))
    // One alarm per station: its severity follows the stage up and down, the rate of rise is a detail of it.
    const s = LEVEL_STAGES.find((x) => x.stage === stage)
    out.push(s
      ? { type: 'water_level', active: true, severity: s.severity, followSeverity: true, details: { stage, levelM: level, thresholdM: lines[s.line], cmPerHour: trendCmPerH, risingFast, next } }
      : { type: 'water_level', active: false, details: { levelM: level } })
    // Rising fast is an alarm of its own only while no line is crossed (then it is part of the level alarm).
    if (trendCmPerH !== null || stage > 0) {
      out.push({ type: 'rapid_rise', active: risingFast && stage === 0, details: { levelM: level, cmPerHour: trendCmPerH, thresholdCmPerH: th.riseCmPerH, next } })
    }
    const last = memory.lastLevel
    if (last && ts > last.ts) {
      const jump = Math.abs(level - last.value)
      if (ts - last.ts <= JUMP_WINDOW_MS) out.push({ type: 'sensor_jump', active: jump > th.jumpM, details: { fromM: last.value, toM: level, minutes: Math.round((ts - last.ts) / 60_000) } })
      if (jump > 0) memory.unchangedSince = ts
      memory.unchangedSince ??= ts
      const flatMs = ts - memory.unchangedSince
      out.push({ type: 'sensor_flat', active: flatMs >= th.flatLineS * 1000, details: { levelM: level, hours: Math.round(flatMs / 360_000) / 10 } })
    }
    if (!last || ts >= last.ts) memory.lastLevel = { value: level, ts }
    memory.unchangedSince ??= ts
  }
  const battery = num(fields.batteryPct)
  if (battery !== undefined) out.push(lowBatteryCondition('low_battery', battery, th, isActive))
  return out
}

export const waterSensorBehaviour: KindBehaviour = {
  reading: ({ device, fields, ts, th, isActive, activeDetails, trendPerH, memory }) => {
    const stageNow = activeDetails('water_level')?.stage
    return [
      ...waterRules(device, fields, ts, th, isActive, trendPerH, memory, typeof stageNow === 'number' ? stageNow : 0),
      // A reading is data: whatever "no data" alarm there was is over.
      { type: 'no_data', active: false }
    ]
  },
  // The water does not go down because the station went quiet: its last level still counts.
  keptOffline: ['water_level', 'low_battery'],
  // Stations send at least hourly: silent past noDataS, the reservoir is unwatched.
  clock: ({ latest, th, now }) => [noDataCondition('no_data', latest, th, now)],
  darkSince: () => null,
  offlineSeverity: () => 'major',
  trendField: 'levelM',
  outlook: (device, latest, cmPerHour) => {
    const level = latest.levelM?.value
    if (typeof level !== 'number' || !device.reservoir) return { cmPerHour, next: null }
    return { cmPerHour, next: nextLine(level, linesOf(device.reservoir), cmPerHour) }
  }
}
