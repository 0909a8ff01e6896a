// Every alarm type, once: which kind of device raises it, its usual severity and its name in
// Vietnamese and English. Plain data, so the dashboard bundles it too.
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Lower is worse: critical 0 ... warning 3. */
export const rank = (s: Severity): number => SEVERITIES.indexOf(s)
export const worse = (a: Severity, b: Severity): Severity => (rank(a) <= rank(b) ? a : b)

export const ALARM_TYPES = {
  // Water-level stations (Thông tư 17/2021/TT-BTNMT; alarm levels QĐ 05/2020/QĐ-TTg). One
  // level alarm per station moves through the stages I, II, III and the design flood as the
  // water does (issue #15); level_1 ... design_flood are the separate alarms of before, kept so
  // their history still reads.
  water_level: { kind: 'water_sensor', severity: 'minor', vi: 'Vượt mức báo động', en: 'Above an alarm level' },
  level_1: { kind: 'water_sensor', severity: 'minor', vi: 'Vượt báo động I', en: 'Above alarm level 1' },
  level_2: { kind: 'water_sensor', severity: 'major', vi: 'Vượt báo động II', en: 'Above alarm level 2' },
  level_3: { kind: 'water_sensor', severity: 'critical', vi: 'Vượt báo động III', en: 'Above alarm level 3' },
  design_flood: { kind: 'water_sensor', severity: 'critical', vi: 'Vượt mực nước lũ thiết kế', en: 'Above the design flood level' },
  rapid_rise: { kind: 'water_sensor', severity: 'major', vi: 'Nước lên nhanh', en: 'Water rising fast' },
  no_data: { kind: 'water_sensor', severity: 'major', vi: 'Không nhận được số liệu', en: 'No data received' },
  sensor_flat: { kind: 'water_sensor', severity: 'minor', vi: 'Cảm biến đứng số (nghi hỏng)', en: 'Sensor reading flat (suspect fault)' },
  sensor_jump: { kind: 'water_sensor', severity: 'minor', vi: 'Số đo nhảy bất thường', en: 'Impossible jump in readings' },
  low_battery: { kind: 'water_sensor', severity: 'warning', vi: 'Pin yếu', en: 'Low battery' },
  // Cameras
  stream_dead: { kind: 'camera', severity: 'major', vi: 'Mất luồng hình', en: 'Stream not advancing' },
  not_recording: { kind: 'camera', severity: 'major', vi: 'Ngừng ghi hình', en: 'Recording stopped' },
  storage: { kind: 'camera', severity: 'minor', vi: 'Lỗi hoặc đầy bộ nhớ', en: 'Storage failed or nearly full' },
  tamper: { kind: 'camera', severity: 'critical', vi: 'Camera bị che khuất / phá hoại', en: 'Camera tampered with' },
  default_password: { kind: 'camera', severity: 'warning', vi: 'Còn mật khẩu mặc định', en: 'Factory default password' },
  // What a camera's snapshot shows (issue #20; alarms/picture-rules.ts)
  picture_covered: { kind: 'camera', severity: 'critical', vi: 'Hình tối đen hoặc phẳng (bị che, xịt sơn, nắp ống kính)', en: 'Picture black or flat (covered, sprayed, lens cap)' },
  picture_blurred: { kind: 'camera', severity: 'major', vi: 'Hình mờ (mất nét, đọng sương)', en: 'Picture blurred (out of focus, fogged)' },
  scene_changed: { kind: 'camera', severity: 'major', vi: 'Khung hình khác hình chuẩn (bị xoay, dịch chuyển)', en: 'Scene differs from the reference (turned or moved)' },
  night_ir_failed: { kind: 'camera', severity: 'major', vi: 'Ban đêm hình đen (hỏng hồng ngoại)', en: 'Black at night (infrared failed)' },
  snapshot_frozen: { kind: 'camera', severity: 'major', vi: 'Ảnh chụp đứng yên dù luồng hình vẫn chạy', en: 'Snapshot unchanged while the stream advances' },
  // Loudspeakers
  amplifier_fault: { kind: 'speaker', severity: 'major', vi: 'Lỗi âm ly', en: 'Amplifier fault' },
  power_fault: { kind: 'speaker', severity: 'minor', vi: 'Mất điện lưới (chạy pin)', en: 'Mains lost (on battery)' },
  overheating: { kind: 'speaker', severity: 'minor', vi: 'Quá nhiệt', en: 'Overheating' },
  // Any device, and a whole village
  offline: { kind: null, severity: 'major', vi: 'Mất kết nối', en: 'Offline' },
  village_outage: { kind: null, severity: 'major', vi: 'Cả thôn mất kết nối / mất điện', en: 'Village dark (likely a power cut)' },
  // Broadcasts: clusters of a village did not play an emergency bulletin in full
  broadcast_unconfirmed: { kind: null, severity: 'critical', vi: 'Loa không xác nhận phát bản tin khẩn cấp', en: 'Emergency bulletin not confirmed by clusters' },
  // The box itself: alarm changes waiting too long for the province (edge/uplink)
  uplink_stalled: { kind: null, severity: 'major', vi: 'Cảnh báo chưa gửi được lên tỉnh', en: 'Alarms not reaching the province' },
  // A relayed station went silent or dead for longer than its programme allows
  relay_source_lost: { kind: null, severity: 'major', vi: 'Mất nguồn tiếp sóng', en: 'Relayed station lost' }
} as const satisfies Record<string, { kind: 'speaker' | 'camera' | 'water_sensor' | null; severity: Severity; vi: string; en: string }>

export type AlarmType = keyof typeof ALARM_TYPES

export interface Alarm {
  id: number
  /** The device id, or "village:<name>" for a village alarm. */
  subject: string
  deviceId: string | null
  village: string
  kind: 'speaker' | 'camera' | 'water_sensor' | null
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

/** The stages of a station's level alarm, lowest first, with the severity each one has. */
export const LEVEL_STAGES = [
  { stage: 1, line: 'level1M', severity: 'minor', vi: 'Vượt báo động I', en: 'Above alarm level 1' },
  { stage: 2, line: 'level2M', severity: 'major', vi: 'Vượt báo động II', en: 'Above alarm level 2' },
  { stage: 3, line: 'level3M', severity: 'critical', vi: 'Vượt báo động III', en: 'Above alarm level 3' },
  { stage: 4, line: 'designFloodM', severity: 'critical', vi: 'Vượt mực nước lũ thiết kế', en: 'Above the design flood level' }
] as const satisfies ReadonlyArray<{ stage: number; line: string; severity: Severity; vi: string; en: string }>
export type LevelStage = (typeof LEVEL_STAGES)[number]['stage']

/** An alarm's name: a level alarm says which line the water is above now. */
export function alarmTypeName (alarm: Pick<Alarm, 'type' | 'details'>, lang: 'vi' | 'en'): string {
  const stage = alarm.type === 'water_level' ? LEVEL_STAGES.find((s) => s.stage === alarm.details.stage) : undefined
  return (stage ?? ALARM_TYPES[alarm.type])[lang]
}
