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
    stream_dead: { severity: 'major', vi: 'Mất luồng hình', en: 'Stream not advancing', todo: { vi: 'Xem ảnh mới nhất; nếu hình đứng yên, khởi động lại camera hoặc đầu ghi, rồi kiểm tra dây mạng và nguồn.', en: 'Look at the latest picture; if it is frozen, restart the camera or recorder, then check its cable and power.' } },
    not_recording: { severity: 'major', vi: 'Ngừng ghi hình', en: 'Recording stopped', todo: { vi: 'Kiểm tra lịch ghi và thẻ nhớ / ổ cứng của đầu ghi; hình trực tiếp không chứng minh đang ghi.', en: 'Check the recording schedule and the recorder\'s card or disk; a live picture does not prove recording.' } },
    storage: { severity: 'minor', vi: 'Lỗi hoặc đầy bộ nhớ', en: 'Storage failed or nearly full', todo: { vi: 'Thay thẻ nhớ / ổ cứng hỏng, hoặc giảm thời gian lưu để có chỗ trống.', en: 'Replace the failed card or disk, or shorten the retention to free space.' } },
    tamper: { severity: 'critical', vi: 'Camera bị che khuất / phá hoại', en: 'Camera tampered with', todo: { vi: 'Cử người đến ngay kiểm tra tại chỗ; xem ảnh trước đó để biết thời điểm và người tác động.', en: 'Send someone to the spot now; earlier pictures show when it happened and who did it.' } },
    default_password: { severity: 'warning', vi: 'Còn mật khẩu mặc định', en: 'Factory default password', todo: { vi: 'Đặt mật khẩu riêng cho camera này (QCVN 135:2024); camera cổng dò qua RTSP/ONVIF thì báo quản trị viên nhập mật khẩu mới vào cổng.', en: 'Give this camera its own password (QCVN 135:2024); for a camera the gateway probes over RTSP/ONVIF, have the admin enter the new one in the gateway.' } },
    // What a camera's snapshot shows (issue #20; kinds/behaviour/camera-pictures.ts)
    picture_covered: { severity: 'critical', vi: 'Hình tối đen hoặc phẳng (bị che, xịt sơn, nắp ống kính)', en: 'Picture black or flat (covered, sprayed, lens cap)', todo: { vi: 'Cử người đến ngay: gỡ vật che, lau sơn; xem ảnh trước đó để biết thời điểm bị che.', en: 'Send someone now: remove the cover, clean off the paint; earlier pictures show when it was covered.' } },
    picture_blurred: { severity: 'major', vi: 'Hình mờ (mất nét, đọng sương)', en: 'Picture blurred (out of focus, fogged)', todo: { vi: 'Lau kính và vỏ che camera, chỉnh lại nét; nếu đọng sương bên trong, thay gioăng hoặc gói hút ẩm.', en: 'Clean the lens and housing and refocus; if fogged inside, replace the seal or the desiccant.' } },
    scene_changed: { severity: 'major', vi: 'Khung hình khác hình chuẩn (bị xoay, dịch chuyển)', en: 'Scene differs from the reference (turned or moved)', todo: { vi: 'So sánh với ảnh chuẩn, xoay camera về đúng hướng; nếu cảnh thay đổi hợp lý, đánh dấu ảnh mới nhất là ảnh chuẩn.', en: 'Compare with the reference and turn the camera back; if the scene changed for good, mark the latest picture as the reference.' } },
    night_ir_failed: { severity: 'major', vi: 'Ban đêm hình đen (hỏng hồng ngoại)', en: 'Black at night (infrared failed)', todo: { vi: 'Kiểm tra đèn hồng ngoại và chế độ ngày/đêm của camera; thay camera nếu đèn đã hỏng.', en: 'Check the infrared lights and the camera\'s day/night mode; replace the camera if the lights are dead.' } },
    snapshot_frozen: { severity: 'major', vi: 'Ảnh chụp đứng yên dù luồng hình vẫn chạy', en: 'Snapshot unchanged while the stream advances', todo: { vi: 'Khởi động lại camera; nếu vẫn lặp ảnh cũ, kiểm tra phần mềm camera.', en: 'Restart the camera; if it still repeats the old picture, check its firmware.' } }
  },
  page: { path: 'cameras', title: { vi: 'Camera', en: 'Cameras' }, marker: 'circle' }
} as const satisfies KindDefinition
