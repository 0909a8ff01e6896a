// The province's words, Vietnamese first. Dates, numbers and the language switch come from
// the commune dashboard's i18n, so both speak alike.
import { language } from '../../../dashboard/src/i18n.js'

const VI = {
  title: 'Trung tâm giám sát tỉnh', signIn: 'Đăng nhập', username: 'Tên đăng nhập', password: 'Mật khẩu', signOut: 'Đăng xuất',
  communes: 'Xã / phường', alarms: 'Cảnh báo', broadcasts: 'Nhật ký phát', map: 'Bản đồ', list: 'Danh sách',
  box: 'Thiết bị xã', online: 'Trực tuyến', offline: 'Mất kết nối', lag: 'Độ trễ đường truyền', rows: 'bản ghi chờ',
  devicesOnline: 'Thiết bị trực tuyến', openAlarms: 'Cảnh báo mở', provinceAlarms: 'Cảnh báo toàn tỉnh', communeAlarms: 'Cảnh báo của các xã',
  acknowledge: 'Xác nhận', acknowledged: 'Đã xác nhận', none: 'Không có', back: '← Quay lại', devices: 'Thiết bị', history: 'Mực nước 24 giờ (kho dữ liệu tỉnh)',
  downloadCsv: 'Tải CSV', wrongLogin: 'Sai tên đăng nhập hoặc mật khẩu', language: 'English', loading: 'Đang tải…', village: 'Thôn',
  commune_silent: 'Xã mất liên lạc (không có nhịp tim)', communes_dark: 'Nhiều xã mất liên lạc cùng lúc', basin_level_3: 'Nhiều trạm trên một lưu vực vượt báo động III',
  status: 'Trạng thái', priority: 'Ưu tiên', time: 'Thời gian', name: 'Tên', kind: 'Loại'
}
const EN: typeof VI = {
  title: 'Provincial monitoring centre', signIn: 'Sign in', username: 'Username', password: 'Password', signOut: 'Sign out',
  communes: 'Communes', alarms: 'Alarms', broadcasts: 'Broadcast log', map: 'Map', list: 'List',
  box: 'Commune box', online: 'Online', offline: 'Disconnected', lag: 'Uplink lag', rows: 'rows waiting',
  devicesOnline: 'Devices online', openAlarms: 'Open alarms', provinceAlarms: 'Province-wide alarms', communeAlarms: 'Communes\' alarms',
  acknowledge: 'Acknowledge', acknowledged: 'Acknowledged', none: 'None', back: '← Back', devices: 'Devices', history: 'Water level, 24 hours (provincial store)',
  downloadCsv: 'Download CSV', wrongLogin: 'Wrong username or password', language: 'Tiếng Việt', loading: 'Loading…', village: 'Village',
  commune_silent: 'Commune box silent (no heartbeat)', communes_dark: 'Many communes dark at once', basin_level_3: 'Several stations of one basin above level III',
  status: 'Status', priority: 'Priority', time: 'Time', name: 'Name', kind: 'Kind'
}

export type Word = keyof typeof VI
export const w = (key: Word): string => (language() === 'vi' ? VI : EN)[key]
export const ruleName = (rule: string): string => (rule in VI ? w(rule as Word) : rule)
