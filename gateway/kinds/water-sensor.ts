// Reservoir water-level stations (trạm đo mực nước hồ chứa; Thông tư 17/2021/TT-BTNMT, alarm
// levels QĐ 05/2020/QĐ-TTg): the level, the rain, the battery of a station on solar power.
import type { Severity } from '../alarms/severity.js'
import { COMMON_FIELDS, REBOOTED, type KindDefinition, type Words } from './definition.js'

export const waterSensor = {
  names: { vi: 'Trạm đo mực nước', en: 'Water-level station' },
  idPrefix: 'wl',
  fields: {
    levelM: { type: 'float', min: -100, max: 10_000, unit: 'm', vi: 'mực nước', en: 'water level' },
    rainMm: { type: 'float', min: 0, max: 2000, unit: 'mm', vi: 'lượng mưa', en: 'rainfall' },
    batteryPct: COMMON_FIELDS.batteryPct,
    batteryV: { type: 'float', min: 0, max: 60, unit: 'V', vi: 'điện áp pin', en: 'battery voltage' },
    signalDbm: COMMON_FIELDS.signalDbm,
    temperatureC: COMMON_FIELDS.temperatureC
  },
  events: {
    sensor_fault: { vi: 'Lỗi cảm biến', en: 'Sensor fault' }, low_battery: { vi: 'Pin yếu', en: 'Low battery' }, reboot: REBOOTED
  },
  commands: ['reboot'],
  // Stations send at least hourly.
  heartbeatS: 3900,
  // Operators watch the reservoirs; officials too, since a flood warning is theirs to broadcast.
  watchers: ['official', 'operator'],
  toldFirst: ['operator'],
  alarms: {
    // One level alarm per station moves through the stages I, II, III and the design flood as
    // the water does (issue #15); level_1 ... design_flood are the separate alarms of before,
    // kept so their history still reads.
    water_level: { severity: 'minor', vi: 'Vượt mức báo động', en: 'Above an alarm level' },
    level_1: { severity: 'minor', vi: 'Vượt báo động I', en: 'Above alarm level 1', retired: true },
    level_2: { severity: 'major', vi: 'Vượt báo động II', en: 'Above alarm level 2', retired: true },
    level_3: { severity: 'critical', vi: 'Vượt báo động III', en: 'Above alarm level 3', retired: true },
    design_flood: { severity: 'critical', vi: 'Vượt mực nước lũ thiết kế', en: 'Above the design flood level', retired: true },
    rapid_rise: { severity: 'major', vi: 'Nước lên nhanh', en: 'Water rising fast' },
    no_data: { severity: 'major', vi: 'Không nhận được số liệu', en: 'No data received' },
    sensor_flat: { severity: 'minor', vi: 'Cảm biến đứng số (nghi hỏng)', en: 'Sensor reading flat (suspect fault)' },
    sensor_jump: { severity: 'minor', vi: 'Số đo nhảy bất thường', en: 'Impossible jump in readings' },
    low_battery: { severity: 'warning', vi: 'Pin yếu', en: 'Low battery' }
  },
  page: { path: 'water', title: { vi: 'Mực nước hồ', en: 'Water levels' }, marker: 'triangle' }
} as const satisfies KindDefinition

/** The stages of a station's level alarm, lowest first, with the line and the severity of each. */
export const LEVEL_STAGES = [
  { stage: 1, line: 'level1M', severity: 'minor', vi: 'Vượt báo động I', en: 'Above alarm level 1' },
  { stage: 2, line: 'level2M', severity: 'major', vi: 'Vượt báo động II', en: 'Above alarm level 2' },
  { stage: 3, line: 'level3M', severity: 'critical', vi: 'Vượt báo động III', en: 'Above alarm level 3' },
  { stage: 4, line: 'designFloodM', severity: 'critical', vi: 'Vượt mực nước lũ thiết kế', en: 'Above the design flood level' }
] as const satisfies ReadonlyArray<{ stage: number; line: string; severity: Severity } & Words>
export type LevelStage = (typeof LEVEL_STAGES)[number]['stage']
