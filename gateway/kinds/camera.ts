// Public-security cameras (camera an ninh trật tự), over MQTT or probed over RTSP/ONVIF by the
// gateway (edge/camera-probe): is the stream alive, is it recording, is it covered, and what
// its snapshots show (issue #20).
import { COMMON_FIELDS, REBOOTED, type KindDefinition } from './definition.js'

export const camera = {
  names: { vi: 'Camera an ninh trật tự', en: 'Security camera' },
  idPrefix: 'cam',
  fields: {
    streamAlive: { type: 'bool', vi: 'luồng hình hoạt động', en: 'stream alive' },
    fps: { type: 'float', min: 0, max: 240, unit: 'fps', vi: 'số khung hình/giây', en: 'frame rate' },
    bitrateKbps: { type: 'float', min: 0, max: 1_000_000, unit: 'kbit/s', vi: 'tốc độ bit', en: 'bitrate' },
    recording: { type: 'bool', vi: 'đang ghi hình', en: 'recording' },
    recordingGapS: { type: 'int', min: 0, max: 86400, unit: 's', vi: 'khoảng mất ghi hình', en: 'recording gap' },
    storageUsedPct: { type: 'float', min: 0, max: 100, unit: '%', vi: 'dung lượng lưu trữ đã dùng', en: 'storage used' },
    storageState: { type: 'enum', values: ['ok', 'degraded', 'failed', 'missing'], vi: 'tình trạng lưu trữ', en: 'storage health' },
    tamper: { type: 'bool', vi: 'che khuất / phá hoại camera', en: 'tampering' },
    defaultPassword: { type: 'bool', vi: 'mật khẩu mặc định', en: 'default password' },
    temperatureC: COMMON_FIELDS.temperatureC,
    uptimeS: COMMON_FIELDS.uptimeS,
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
  },
  events: {
    tamper: { vi: 'Bị che khuất / phá hoại', en: 'Tampered with' }, tamper_cleared: { vi: 'Hết che khuất', en: 'Tamper cleared' },
    stream_lost: { vi: 'Mất luồng hình', en: 'Stream lost' }, stream_restored: { vi: 'Có luồng hình trở lại', en: 'Stream restored' },
    recording_stopped: { vi: 'Ngừng ghi hình', en: 'Recording stopped' }, recording_started: { vi: 'Ghi hình trở lại', en: 'Recording started' },
    storage_error: { vi: 'Lỗi bộ nhớ', en: 'Storage error' }, reboot: REBOOTED,
    // auth_failed and unreachable come from edge probes: the camera refuses the gateway's
    // credentials (changed behind our back?), or does not answer at all.
    auth_failed: { vi: 'Camera từ chối mật khẩu của cổng', en: 'Camera refused the gateway\'s credentials' },
    unreachable: { vi: 'Không liên lạc được với camera', en: 'Camera unreachable' }
  },
  commands: ['snapshot', 'reboot'],
  heartbeatS: 180,
  // Pictures of people in the street: the police's, and only theirs (and the admin's).
  watchers: ['police'],
  toldFirst: ['police'],
  alarms: {
    stream_dead: { severity: 'major', vi: 'Mất luồng hình', en: 'Stream not advancing' },
    not_recording: { severity: 'major', vi: 'Ngừng ghi hình', en: 'Recording stopped' },
    storage: { severity: 'minor', vi: 'Lỗi hoặc đầy bộ nhớ', en: 'Storage failed or nearly full' },
    tamper: { severity: 'critical', vi: 'Camera bị che khuất / phá hoại', en: 'Camera tampered with' },
    default_password: { severity: 'warning', vi: 'Còn mật khẩu mặc định', en: 'Factory default password' },
    // What a camera's snapshot shows (issue #20; kinds/behaviour/camera-pictures.ts)
    picture_covered: { severity: 'critical', vi: 'Hình tối đen hoặc phẳng (bị che, xịt sơn, nắp ống kính)', en: 'Picture black or flat (covered, sprayed, lens cap)' },
    picture_blurred: { severity: 'major', vi: 'Hình mờ (mất nét, đọng sương)', en: 'Picture blurred (out of focus, fogged)' },
    scene_changed: { severity: 'major', vi: 'Khung hình khác hình chuẩn (bị xoay, dịch chuyển)', en: 'Scene differs from the reference (turned or moved)' },
    night_ir_failed: { severity: 'major', vi: 'Ban đêm hình đen (hỏng hồng ngoại)', en: 'Black at night (infrared failed)' },
    snapshot_frozen: { severity: 'major', vi: 'Ảnh chụp đứng yên dù luồng hình vẫn chạy', en: 'Snapshot unchanged while the stream advances' }
  },
  page: { path: 'cameras', title: { vi: 'Camera', en: 'Cameras' }, marker: 'circle' }
} as const satisfies KindDefinition
