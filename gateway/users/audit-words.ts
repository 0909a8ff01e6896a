// Every audit action in words, Vietnamese and English (issue #15): the audit log page says
// "Xác nhận cảnh báo", not `alarm.acknowledge`. Plain data, bundled by the dashboard too. An
// action missing here still shows (as its code), and test/dashboard/dictionary.test.ts lists
// every action the gateway records to check this table has it.
export const AUDIT_ACTIONS = {
  'session.login': { vi: 'Đăng nhập', en: 'Signed in' },
  'session.login_failed': { vi: 'Đăng nhập sai', en: 'Failed sign-in' },
  'session.logout': { vi: 'Đăng xuất', en: 'Signed out' },
  'session.own': { vi: 'Đổi thông tin cá nhân', en: 'Changed own settings' },
  'session.password_changed': { vi: 'Đổi mật khẩu', en: 'Changed password' },
  'session.password_change_failed': { vi: 'Đổi mật khẩu không thành công', en: 'Password change failed' },
  'user.create': { vi: 'Tạo tài khoản', en: 'Created an account' },
  'user.update': { vi: 'Sửa tài khoản', en: 'Changed an account' },
  'user.reset_password': { vi: 'Đặt lại mật khẩu', en: 'Reset a password' },
  'user.remove': { vi: 'Xóa tài khoản', en: 'Removed an account' },
  'token.create': { vi: 'Tạo mã kết nối', en: 'Made an integration token' },
  'token.revoke': { vi: 'Thu hồi mã kết nối', en: 'Revoked an integration token' },
  'token.use': { vi: 'Hệ thống kết nối gọi API', en: 'Integration called the API' },
  'device.create': { vi: 'Thêm thiết bị', en: 'Added a device' },
  'device.import': { vi: 'Nhập danh sách thiết bị', en: 'Imported devices' },
  'device.update': { vi: 'Sửa thiết bị', en: 'Changed a device' },
  'device.remove': { vi: 'Xóa thiết bị', en: 'Removed a device' },
  'device.rotate_secret': { vi: 'Cấp mật khẩu thiết bị mới', en: 'Issued a new device secret' },
  'device.endpoint_set': { vi: 'Đặt địa chỉ camera', en: 'Set a camera endpoint' },
  'device.endpoint_remove': { vi: 'Xóa địa chỉ camera', en: 'Removed a camera endpoint' },
  'command.send': { vi: 'Gửi lệnh tới thiết bị', en: 'Sent a command' },
  'alarm.acknowledge': { vi: 'Xác nhận cảnh báo', en: 'Acknowledged an alarm' },
  'alarm.clear': { vi: 'Kết thúc cảnh báo', en: 'Cleared an alarm' },
  'alarm.comment': { vi: 'Ghi chú vào cảnh báo', en: 'Commented on an alarm' },
  'alarm.thresholds': { vi: 'Đổi ngưỡng cảnh báo', en: 'Changed alarm thresholds' },
  'audio.speech': { vi: 'Tạo giọng đọc', en: 'Made speech' },
  'audio.upload': { vi: 'Tải tệp âm thanh lên', en: 'Uploaded audio' },
  'broadcast.draft': { vi: 'Lưu nháp bản tin', en: 'Saved a draft bulletin' },
  'broadcast.submit': { vi: 'Gửi duyệt bản tin', en: 'Submitted a bulletin' },
  'broadcast.approve': { vi: 'Duyệt bản tin', en: 'Approved a bulletin' },
  'broadcast.reject': { vi: 'Từ chối bản tin', en: 'Rejected a bulletin' },
  'broadcast.cancel': { vi: 'Hủy bản tin', en: 'Cancelled a bulletin' },
  'broadcast.resend': { vi: 'Phát lại bản tin cho cụm loa chưa phát', en: 'Sent a bulletin again' },
  'broadcast.send_emergency': { vi: 'Phát khẩn cấp ngay', en: 'Sent an emergency at once' },
  'broadcast.warning': { vi: 'Cảnh báo lũ tự động', en: 'Automatic flood warning' },
  'speaker_group.set': { vi: 'Lưu nhóm loa', en: 'Saved a speaker group' },
  'speaker_group.remove': { vi: 'Xóa nhóm loa', en: 'Removed a speaker group' },
  'live.start': { vi: 'Bắt đầu phát trực tiếp', en: 'Started a live session' },
  'live.stop': { vi: 'Kết thúc phát trực tiếp', en: 'Ended a live session' },
  'relay.create': { vi: 'Lên lịch tiếp sóng', en: 'Scheduled a relay' },
  'relay.cancel': { vi: 'Hủy tiếp sóng', en: 'Cancelled a relay' },
  'picture.view': { vi: 'Xem ảnh camera', en: 'Viewed a camera picture' },
  'picture.reference_set': { vi: 'Đặt ảnh chuẩn của camera', en: 'Set a camera\'s reference picture' },
  'picture.province_request': { vi: 'Tỉnh yêu cầu ảnh camera', en: 'The province asked for a camera picture' }
} as const satisfies Record<string, { vi: string; en: string }>

/** Words for the keys of an action's details (the rest shown as they are). */
export const DETAIL_WORDS: Record<string, { vi: string; en: string }> = {
  comment: { vi: 'ghi chú', en: 'comment' }, type: { vi: 'loại', en: 'type' }, subject: { vi: 'đối tượng', en: 'subject' },
  via: { vi: 'qua', en: 'via' }, enabled: { vi: 'hoạt động', en: 'enabled' }, role: { vi: 'vai trò', en: 'role' },
  name: { vi: 'tên', en: 'name' }, village: { vi: 'thôn', en: 'village' }, devices: { vi: 'thiết bị', en: 'devices' },
  created: { vi: 'đã thêm', en: 'created' }, skipped: { vi: 'bỏ qua', en: 'skipped' }, username: { vi: 'tên đăng nhập', en: 'username' },
  firstStart: { vi: 'lần chạy đầu', en: 'first start' }, title: { vi: 'tiêu đề', en: 'title' }, reason: { vi: 'lý do', en: 'reason' },
  kind: { vi: 'loại', en: 'kind' }, site: { vi: 'vị trí', en: 'site' }, lat: { vi: 'vĩ độ', en: 'latitude' }, lon: { vi: 'kinh độ', en: 'longitude' },
  newVillage: { vi: 'thôn mới', en: 'new village' }, typed: { vi: 'mật khẩu do quản trị tự đặt', en: 'typed by the admin' },
  request: { vi: 'mã yêu cầu', en: 'request' }, outcome: { vi: 'kết quả', en: 'outcome' }, picture: { vi: 'ảnh lúc', en: 'picture of' }
}

/** What a box answered the province's request for a camera's picture (its audit's outcome; the no-picture answer's words). */
export const PICTURE_OUTCOMES = {
  sent: { vi: 'Đã gửi ảnh mới nhất', en: 'latest picture sent' },
  no_picture: { vi: 'Camera chưa có ảnh nào được lưu', en: 'the camera has no snapshot kept' },
  no_camera: { vi: 'Xã không có camera này', en: 'no such camera at this commune' },
  too_large: { vi: 'Ảnh quá lớn để gửi', en: 'the picture is too large to send' },
  expired: { vi: 'Yêu cầu đã quá hạn, không gửi', en: 'the request expired, nothing sent' }
} as const satisfies Record<string, { vi: string; en: string }>

/** Words for some details' coded values, by key. */
export const DETAIL_VALUES: Record<string, Record<string, { vi: string; en: string }>> = { outcome: PICTURE_OUTCOMES }
