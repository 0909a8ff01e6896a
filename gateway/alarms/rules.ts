// The rules that read one reading: water levels against the reservoir's levels (with
// hysteresis), rate of rise, a stuck or jumping sensor, battery; a camera's stream,
// recording, storage, tamper and password; a loudspeaker's amplifier and temperature.
// Pure functions: the engine keeps the state and decides what to raise or clear.
// Offline devices, power and village outages, and missing data are the sweep's (sweep.ts).
import type { FieldValue } from '../contract/index.js'
import type { Device } from '../registry/device.js'
import { LEVEL_STAGES, type AlarmType, type Severity } from './catalog.js'
import type { Thresholds } from './thresholds.js'
import { hoursUntil } from '../live/trend.js'

type LevelLine = (typeof LEVEL_STAGES)[number]['line']

/** What a rule says of one alarm type now: raise or keep (active), or clear. */
export interface Condition {
  type: AlarmType
  active: boolean
  severity?: Severity
  details?: Record<string, unknown>
  /** When the condition began, if not now (an outage's start). */
  startedAt?: number
  /** The severity goes down as well as up with the condition (a level alarm follows the water). */
  followSeverity?: boolean
}

type Fields = Readonly<Record<string, FieldValue>>
const num = (v: FieldValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined)

/** What a station remembers between readings, for the sensor-fault rules. */
export interface StationMemory {
  lastLevel?: { value: number; ts: number }
  unchangedSince?: number
}

/** Two readings further apart than this say nothing about a jump. */
const JUMP_WINDOW_MS = 30 * 60_000

/**
 * The stage of the water against the station's lines: the highest line it reached, or a line
 * it was above and is still within the hysteresis band of (so a level hovering at a line does
 * not flap). 0 below every line.
 */
export function levelStage (levelM: number, lines: Readonly<Partial<Record<LevelLine, number>>>, stageNow: number, hysteresisM: number): number {
  let stage = 0
  for (const s of LEVEL_STAGES) {
    const line = lines[s.line]
    if (line === undefined) continue
    if (levelM >= line || (s.stage <= stageNow && levelM > line - hysteresisM)) stage = s.stage
  }
  return stage
}

export function waterRules (
  device: Device, fields: Fields, ts: number, th: Thresholds, isActive: (type: AlarmType) => boolean,
  trendCmPerH: number | null, memory: StationMemory, stageNow = 0
): Condition[] {
  const out: Condition[] = []
  const level = num(fields.levelM)
  if (level !== undefined) {
    const r = device.reservoir
    const lines: Partial<Record<LevelLine, number>> = {
      level1M: r?.alarmLevels.level1M, level2M: r?.alarmLevels.level2M, level3M: r?.alarmLevels.level3M, designFloodM: r?.referenceLevels.designFloodM
    }
    // The next line above the water, and when it is reached at this rate: shown with the alarm.
    const ahead = LEVEL_STAGES.map((s) => ({ stage: s.stage, levelM: lines[s.line] })).find((l) => l.levelM !== undefined && l.levelM > level)
    const next = ahead ? { stage: ahead.stage, levelM: ahead.levelM, hours: hoursUntil(level, ahead.levelM!, trendCmPerH) } : null
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
  if (battery !== undefined) {
    const active = battery < th.lowBatteryPct || (isActive('low_battery') && battery < th.lowBatteryPct + 5)
    out.push({ type: 'low_battery', active, details: { batteryPct: battery } })
  }
  return out
}

export function cameraRules (fields: Fields, th: Thresholds): Condition[] {
  const out: Condition[] = []
  const flag = (field: string, type: AlarmType, bad: boolean) => {
    if (typeof fields[field] === 'boolean') out.push({ type, active: fields[field] === bad })
  }
  flag('streamAlive', 'stream_dead', false)
  flag('recording', 'not_recording', false)
  flag('tamper', 'tamper', true)
  flag('defaultPassword', 'default_password', true)
  const state = fields.storageState
  const used = num(fields.storageUsedPct)
  if (state !== undefined || used !== undefined) {
    const failed = state === 'failed' || state === 'missing'
    const full = used !== undefined && used >= th.storageFullPct
    out.push({ type: 'storage', active: failed || full, severity: failed ? 'major' : 'minor', details: { storageState: state ?? null, storageUsedPct: used ?? null } })
  }
  return out
}

export function speakerRules (fields: Fields, th: Thresholds, isActive: (type: AlarmType) => boolean): Condition[] {
  const out: Condition[] = []
  if (typeof fields.amplifierFault === 'boolean') out.push({ type: 'amplifier_fault', active: fields.amplifierFault })
  const t = num(fields.temperatureC)
  if (t !== undefined) out.push({ type: 'overheating', active: t >= th.overheatC || (isActive('overheating') && t >= th.overheatC - 5), details: { temperatureC: t } })
  return out
}
