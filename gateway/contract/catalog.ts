// The vocabulary of the contract as plain data: device kinds, their names and every
// telemetry field with its type, range, unit and Vietnamese and English label. No runtime
// schema library here, so the dashboard bundles this file without pulling zod in;
// fields.ts and telemetry.ts build the zod schemas from it.

/** The three device kinds the gateway understands. The kind is also the InfluxDB measurement. */
export const DEVICE_KINDS = ['speaker', 'camera', 'water_sensor'] as const
type Kind = (typeof DEVICE_KINDS)[number]

/** Ids of each kind begin with its prefix and a dash (cam-001, spk-cho, wl-ho-khe-ngang); made ids too. */
export const ID_PREFIX: Record<Kind, string> = { speaker: 'spk', camera: 'cam', water_sensor: 'wl' }

export const KIND_NAMES: Record<Kind, { vi: string; en: string }> = {
  speaker: { vi: 'Cụm loa truyền thanh', en: 'Loudspeaker cluster' },
  camera: { vi: 'Camera an ninh trật tự', en: 'Security camera' },
  water_sensor: { vi: 'Trạm đo mực nước', en: 'Water-level station' }
}

interface FieldText {
  /** Unit, SI where one exists ("m", "mm", "%", "dBm", "°C"). */
  unit?: string
  vi: string
  en: string
}
export type FloatField = FieldText & { type: 'float'; min: number; max: number }
export type IntField = FieldText & { type: 'int'; min: number; max: number }
export type BoolField = FieldText & { type: 'bool' }
export type EnumField = FieldText & { type: 'enum'; values: readonly [string, ...string[]] }
export type TextField = FieldText & { type: 'text'; maxLength: number }
export type FieldSpec = FloatField | IntField | BoolField | EnumField | TextField
export type FieldTable = Readonly<Record<string, FieldSpec>>

/** The storage type of a field: what InfluxDB line protocol and SQLite columns see. */
export type StoredType = 'float' | 'int' | 'bool' | 'string'
export type FieldValue = number | boolean | string

export function storedType(spec: FieldSpec): StoredType {
  switch (spec.type) {
    case 'float': return 'float'
    case 'int': return 'int'
    case 'bool': return 'bool'
    case 'enum':
    case 'text': return 'string'
  }
}

/** True for fields that have a min/mean/max history (numbers; not booleans or text). */
export function isNumeric(spec: FieldSpec): spec is FloatField | IntField {
  return spec.type === 'float' || spec.type === 'int'
}

export const PRIORITIES = ['routine', 'priority', 'emergency'] as const
export type Priority = (typeof PRIORITIES)[number]

const signalDbm = { type: 'int', min: -150, max: 0, unit: 'dBm', vi: 'cường độ sóng', en: 'signal' } as const
const temperatureC = { type: 'float', min: -40, max: 125, unit: '°C', vi: 'nhiệt độ', en: 'temperature' } as const
const uptimeS = { type: 'int', min: 0, max: 10 * 365 * 86400, unit: 's', vi: 'thời gian hoạt động', en: 'uptime' } as const
const batteryPct = { type: 'float', min: 0, max: 100, unit: '%', vi: 'pin', en: 'battery' } as const

export const SPEAKER_FIELDS = {
  volume: { type: 'int', min: 0, max: 100, unit: '%', vi: 'âm lượng', en: 'volume' },
  playing: { type: 'enum', values: ['none', 'bulletin', 'radio', 'live'], vi: 'đang phát', en: 'playing' },
  playingItem: { type: 'text', maxLength: 128, vi: 'nội dung đang phát', en: 'item playing' },
  playingPriority: { type: 'enum', values: PRIORITIES, vi: 'mức ưu tiên', en: 'priority' },
  amplifierFault: { type: 'bool', vi: 'lỗi âm ly', en: 'amplifier fault' },
  powerFault: { type: 'bool', vi: 'mất nguồn điện lưới', en: 'mains power lost' },
  batteryPct,
  signalDbm,
  temperatureC,
  uptimeS,
  lat: { type: 'float', min: -90, max: 90, unit: '°', vi: 'vĩ độ', en: 'latitude' },
  lon: { type: 'float', min: -180, max: 180, unit: '°', vi: 'kinh độ', en: 'longitude' }
} as const satisfies FieldTable

export const CAMERA_FIELDS = {
  streamAlive: { type: 'bool', vi: 'luồng hình hoạt động', en: 'stream alive' },
  fps: { type: 'float', min: 0, max: 240, unit: 'fps', vi: 'số khung hình/giây', en: 'frame rate' },
  bitrateKbps: { type: 'float', min: 0, max: 1_000_000, unit: 'kbit/s', vi: 'tốc độ bit', en: 'bitrate' },
  recording: { type: 'bool', vi: 'đang ghi hình', en: 'recording' },
  recordingGapS: { type: 'int', min: 0, max: 86400, unit: 's', vi: 'khoảng mất ghi hình', en: 'recording gap' },
  storageUsedPct: { type: 'float', min: 0, max: 100, unit: '%', vi: 'dung lượng lưu trữ đã dùng', en: 'storage used' },
  storageState: { type: 'enum', values: ['ok', 'degraded', 'failed', 'missing'], vi: 'tình trạng lưu trữ', en: 'storage health' },
  tamper: { type: 'bool', vi: 'che khuất / phá hoại camera', en: 'tampering' },
  defaultPassword: { type: 'bool', vi: 'mật khẩu mặc định', en: 'default password' },
  temperatureC,
  uptimeS,
  // What an edge probe measures of a camera that speaks only RTSP/ONVIF (issue #6).
  // Wide enough for a camera reset to 1970 after a power cut (no RTC battery): that is the
  // drift police most need to see, since its recordings are filed under the wrong date.
  clockDriftS: { type: 'float', min: -4_200_000_000, max: 4_200_000_000, unit: 's', vi: 'lệch đồng hồ camera', en: 'clock drift' },
  rtspResponseMs: { type: 'float', min: 0, max: 600_000, unit: 'ms', vi: 'thời gian phản hồi RTSP', en: 'RTSP response time' },
  codec: { type: 'text', maxLength: 16, vi: 'chuẩn nén hình', en: 'video codec' },
  resolution: { type: 'text', maxLength: 16, vi: 'độ phân giải', en: 'resolution' },
  snapshotOk: { type: 'bool', vi: 'ảnh chụp nhanh lấy được', en: 'snapshot works' },
  // What the gateway measured of a kept snapshot (issue #20, edge/camera-probe/picture.ts).
  pictureLuma: { type: 'float', min: 0, max: 255, vi: 'độ sáng ảnh', en: 'picture brightness' },
  pictureContrast: { type: 'float', min: 0, max: 255, vi: 'độ tương phản ảnh', en: 'picture contrast' },
  pictureBlur: { type: 'float', min: 0, max: 1000, vi: 'độ mờ ảnh', en: 'picture blur' },
  pictureSimilarity: { type: 'float', min: -1, max: 1, vi: 'độ giống hình chuẩn', en: 'similarity to the reference' },
  pictureRepeats: { type: 'int', min: 0, max: 1_000_000, vi: 'số lần ảnh chụp lặp lại', en: 'snapshot repeats' }
} as const satisfies FieldTable

export const WATER_SENSOR_FIELDS = {
  levelM: { type: 'float', min: -100, max: 10_000, unit: 'm', vi: 'mực nước', en: 'water level' },
  rainMm: { type: 'float', min: 0, max: 2000, unit: 'mm', vi: 'lượng mưa', en: 'rainfall' },
  batteryPct,
  batteryV: { type: 'float', min: 0, max: 60, unit: 'V', vi: 'điện áp pin', en: 'battery voltage' },
  signalDbm,
  temperatureC
} as const satisfies FieldTable

export const FIELDS = {
  speaker: SPEAKER_FIELDS,
  camera: CAMERA_FIELDS,
  water_sensor: WATER_SENSOR_FIELDS
} as const satisfies Record<Kind, FieldTable>

/** The field declarations of a kind, by name. */
export function fieldsOf (kind: Kind): Readonly<Record<string, FieldSpec>> {
  return FIELDS[kind]
}

/** Numeric fields of a kind: the ones with a min/mean/max history. */
export function numericFields (kind: Kind): string[] {
  return Object.entries(fieldsOf(kind)).filter(([, spec]) => isNumeric(spec)).map(([name]) => name)
}
