// Every alarm type, once: which kind of device raises it, its usual severity and its name in
// Vietnamese and English. A kind's own alarm types are in its definition (gateway/kinds/);
// the ones of any device, a village or the box are here. Plain data, so the dashboard bundles it too.
import { DEVICE_KINDS, KINDS, type AlarmTypeSpec, type DeviceKind } from '../kinds/index.js'
import { LEVEL_STAGES } from '../kinds/water-sensor.js'
import type { Severity } from './severity.js'

export { SEVERITIES, rank, worse, type Severity } from './severity.js'
export { LEVEL_STAGES, type LevelStage } from '../kinds/water-sensor.js'

type KindAlarm<K extends DeviceKind> = { [T in keyof (typeof KINDS)[K]['alarms']]: (typeof KINDS)[K]['alarms'][T] & { kind: K } }
type KindAlarms = { [K in DeviceKind]: KindAlarm<K> }[DeviceKind]
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never

/** Alarm types that belong to no kind: any device, a whole village, the box itself. */
const GENERAL_ALARMS = {
  offline: { kind: null, severity: 'major', vi: 'Mất kết nối', en: 'Offline' },
  village_outage: { kind: null, severity: 'major', vi: 'Cả thôn mất kết nối / mất điện', en: 'Village dark (likely a power cut)' },
  // Broadcasts: clusters of a village did not play an emergency bulletin in full
  broadcast_unconfirmed: { kind: null, severity: 'critical', vi: 'Loa không xác nhận phát bản tin khẩn cấp', en: 'Emergency bulletin not confirmed by clusters' },
  // The box itself: alarm changes waiting too long for the province (edge/uplink)
  uplink_stalled: { kind: null, severity: 'major', vi: 'Cảnh báo chưa gửi được lên tỉnh', en: 'Alarms not reaching the province' },
  // A relayed station went silent or dead for longer than its programme allows
  relay_source_lost: { kind: null, severity: 'major', vi: 'Mất nguồn tiếp sóng', en: 'Relayed station lost' }
} as const satisfies Record<string, AlarmTypeSpec & { kind: null }>

// Two kinds naming one alarm type would make one silently win: tsc cannot see it, a test does
// (test/gateway/kinds.test.ts).
export const ALARM_TYPES = Object.assign({},
  ...DEVICE_KINDS.map((kind) => Object.fromEntries(Object.entries(KINDS[kind].alarms).map(([type, spec]) => [type, { ...spec, kind }]))),
  GENERAL_ALARMS
) as UnionToIntersection<KindAlarms> & typeof GENERAL_ALARMS

export type AlarmSpec = AlarmTypeSpec & { kind: DeviceKind | null; severity: Severity }
export type AlarmType = keyof typeof ALARM_TYPES

export interface Alarm {
  id: number
  /** The device id, or "village:<name>" for a village alarm. */
  subject: string
  deviceId: string | null
  village: string
  kind: DeviceKind | null
  type: AlarmType
  severity: Severity
  state: 'active' | 'cleared'
  acknowledged: boolean
  details: Record<string, unknown>
  /** When the condition began (an outage's start), not when it was noticed. */
  startedAt: number
  raisedAt: number
  updatedAt: number
  clearedAt: number | null
  clearedBy: string | null
  ackedAt: number | null
  ackedBy: string | null
  escalationLevel: number
  nextEscalationAt: number | null
  /** The device's name as it is called everywhere else (null for a village, or a device since removed). */
  deviceName: string | null
}

export interface AlarmHistoryEntry {
  at: number
  what: 'raised' | 'updated' | 'severity_raised' | 'stage_changed' | 'commented' | 'acknowledged' | 'cleared' | 'escalated'
  actor: string | null
  comment: string | null
  details: Record<string, unknown> | null
}

/** An alarm's name: a level alarm says which line the water is above now. */
export function alarmTypeName (alarm: Pick<Alarm, 'type' | 'details'>, lang: 'vi' | 'en'): string {
  const stage = alarm.type === 'water_level' ? LEVEL_STAGES.find((s) => s.stage === alarm.details.stage) : undefined
  return (stage ?? ALARM_TYPES[alarm.type])[lang]
}
