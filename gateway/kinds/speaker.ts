// Smart loudspeaker clusters on village poles (hệ thống truyền thanh cơ sở): they play the
// commune's bulletins and report what they play and the state of their amplifier and power.
import { COMMON_FIELDS, REBOOTED, type KindDefinition } from './definition.js'

export const PRIORITIES = ['routine', 'priority', 'emergency'] as const
export type Priority = (typeof PRIORITIES)[number]

export const speaker = {
  names: { vi: 'Cụm loa truyền thanh', en: 'Loudspeaker cluster' },
  idPrefix: 'spk',
  fields: {
    volume: { type: 'int', min: 0, max: 100, unit: '%', vi: 'âm lượng', en: 'volume' },
    playing: { type: 'enum', values: ['none', 'bulletin', 'radio', 'live'], vi: 'đang phát', en: 'playing' },
    playingItem: { type: 'text', maxLength: 128, vi: 'nội dung đang phát', en: 'item playing' },
    playingPriority: { type: 'enum', values: PRIORITIES, vi: 'mức ưu tiên', en: 'priority' },
    amplifierFault: { type: 'bool', vi: 'lỗi âm ly', en: 'amplifier fault' },
    powerFault: { type: 'bool', vi: 'mất nguồn điện lưới', en: 'mains power lost' },
    batteryPct: COMMON_FIELDS.batteryPct,
    signalDbm: COMMON_FIELDS.signalDbm,
    temperatureC: COMMON_FIELDS.temperatureC,
    uptimeS: COMMON_FIELDS.uptimeS,
    lat: { type: 'float', min: -90, max: 90, unit: '°', vi: 'vĩ độ', en: 'latitude' },
    lon: { type: 'float', min: -180, max: 180, unit: '°', vi: 'kinh độ', en: 'longitude' }
  },
  events: {
    amplifier_fault: { vi: 'Lỗi âm ly', en: 'Amplifier fault' }, amplifier_restored: { vi: 'Âm ly hoạt động lại', en: 'Amplifier restored' },
    power_lost: { vi: 'Mất điện lưới', en: 'Mains lost' }, power_restored: { vi: 'Có điện lưới trở lại', en: 'Mains back' },
    overheat: { vi: 'Quá nhiệt', en: 'Overheating' }, reboot: REBOOTED
  },
  commands: ['set_volume', 'stop', 'play', 'reboot'],
  heartbeatS: 180,
  // Officials run the loudspeakers: what the commune says is the People's Committee's.
  watchers: ['official'],
  toldFirst: ['official'],
  alarms: {
    amplifier_fault: { severity: 'major', vi: 'Lỗi âm ly', en: 'Amplifier fault' },
    power_fault: { severity: 'minor', vi: 'Mất điện lưới (chạy pin)', en: 'Mains lost (on battery)' },
    overheating: { severity: 'minor', vi: 'Quá nhiệt', en: 'Overheating' }
  },
  page: { path: 'speakers', title: { vi: 'Loa truyền thanh', en: 'Loudspeakers' }, marker: 'square' }
} as const satisfies KindDefinition
