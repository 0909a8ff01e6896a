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
  commune_silent: 'Xã mất liên lạc (không có nhịp tim)', communes_dark: 'Nhiều xã mất liên lạc cùng lúc', basin_level_3: 'Nhiều trạm trên một lưu vực vượt báo động III', flood_warning_unplayed: 'Thôn chưa phát trọn vẹn cảnh báo lũ', escalation: 'Mức leo thang',
  lastEscalated: 'leo thang lần cuối lúc', notEscalated: 'chưa leo thang',
  status: 'Trạng thái', priority: 'Ưu tiên', time: 'Thời gian', name: 'Tên', kind: 'Loại',
  bulletins: 'Bản tin của tỉnh', compose: 'Soạn bản tin', bTitle: 'Tiêu đề', speechText: 'Nội dung đọc (tiếng Việt, xã tự đọc bằng giọng máy)',
  orFile: 'Hoặc tệp âm thanh (MP3, WAV)', targets: 'Gửi đến', t_all: 'Tất cả các xã', t_list: 'Các xã được chọn', t_basin: 'Các xã của một lưu vực sông',
  villagesHint: 'Thôn (cách nhau bởi dấu phẩy; để trống: cả xã)', ttlMin: 'Hiệu lực (phút)', submitForApproval: 'Gửi duyệt', sendNow: 'Phát khẩn cấp ngay (không chờ duyệt)',
  p_routine: 'Thông thường', p_priority: 'Ưu tiên', p_emergency: 'Khẩn cấp', st_draft: 'Nháp', st_pending: 'Chờ duyệt', st_rejected: 'Bị từ chối', st_sent: 'Đã gửi',
  clusters: 'cụm loa', author: 'Người soạn', approver: 'Người duyệt', answered: 'Xã đã trả lời', notWarned: 'Chưa cảnh báo được', why: 'Lý do',
  approve: 'Phê duyệt', reject: 'Từ chối', rejectWhy: 'Lý do từ chối (người soạn sẽ đọc)', playedInFull: 'phát trọn vẹn', autoFlood: 'Cảnh báo lũ tự động',
  co_waiting: 'Chờ xã trả lời', co_not_warned: 'Chưa cảnh báo được (không liên lạc được với xã)', co_airing: 'Đang phát', co_played: 'Đã phát trọn vẹn',
  co_partly_played: 'Chỉ phát được một phần', co_not_played: 'Không phát được',
  pictures: 'Ảnh camera', askPicture: 'Yêu cầu ảnh một camera', camera: 'Camera', pictureReason: 'Lý do (số vụ việc)', picture: 'Ảnh',
  picturePrivacy: 'Ảnh chỉ rời máy chủ của xã khi tỉnh yêu cầu đích danh một camera, có lý do; xã và tỉnh đều ghi nhật ký, mỗi lần xem ảnh đều được ghi lại (Luật 91/2025/QH15).',
  showPicture: 'Xem ảnh', takenAt: 'Chụp lúc', picturePruned: 'Ảnh đã xóa (hết thời hạn lưu)',
  ps_pending: 'Chờ xã gửi ảnh', ps_received: 'Đã nhận ảnh', ps_no_picture: 'Không có ảnh', ps_expired: 'Quá hạn, xã không trả lời',
  basinMap: 'Bản đồ lưu vực', addStation: 'Thêm trạm vào bản đồ lưu vực', editStation: 'Sửa trạm', stationId: 'Mã trạm', stationName: 'Tên trạm',
  reservoir: 'Hồ chứa', basin: 'Lưu vực', downstream: 'Thôn hạ du được cảnh báo', downstreamHint: 'Các thôn hạ du của xã này, cách nhau bởi dấu phẩy (để trống: không có)',
  basinNote: 'Khi trạm vượt báo động III, tỉnh tự động phát cảnh báo lũ khẩn cấp đến các thôn hạ du của các xã khác ghi ở đây (xã có trạm tự cảnh báo thôn của mình). Mỗi thay đổi được gửi ngay xuống các xã.',
  noDownstream: 'Cần ít nhất một thôn hạ du của một xã khác: tỉnh chỉ cảnh báo các xã khác.', saveStation: 'Lưu trạm', edit: 'Sửa', remove: 'Xóa',
  confirmRemove: 'Xóa khỏi bản đồ (các thôn hạ du sẽ không còn được tỉnh cảnh báo)'
}
const EN: typeof VI = {
  title: 'Provincial monitoring centre', signIn: 'Sign in', username: 'Username', password: 'Password', signOut: 'Sign out',
  communes: 'Communes', alarms: 'Alarms', broadcasts: 'Broadcast log', map: 'Map', list: 'List',
  box: 'Commune box', online: 'Online', offline: 'Disconnected', lag: 'Uplink lag', rows: 'rows waiting',
  devicesOnline: 'Devices online', openAlarms: 'Open alarms', provinceAlarms: 'Province-wide alarms', communeAlarms: 'Communes\' alarms',
  acknowledge: 'Acknowledge', acknowledged: 'Acknowledged', none: 'None', back: '← Back', devices: 'Devices', history: 'Water level, 24 hours (provincial store)',
  downloadCsv: 'Download CSV', wrongLogin: 'Wrong username or password', language: 'Tiếng Việt', loading: 'Loading…', village: 'Village',
  commune_silent: 'Commune box silent (no heartbeat)', communes_dark: 'Many communes dark at once', basin_level_3: 'Several stations of one basin above level III', flood_warning_unplayed: 'A village did not play the flood warning in full', escalation: 'Escalation level',
  lastEscalated: 'last escalated at', notEscalated: 'not escalated yet',
  status: 'Status', priority: 'Priority', time: 'Time', name: 'Name', kind: 'Kind',
  bulletins: 'Provincial bulletins', compose: 'Compose a bulletin', bTitle: 'Title', speechText: 'Text to read (Vietnamese, spoken by each commune\'s box)',
  orFile: 'Or an audio file (MP3, WAV)', targets: 'Send to', t_all: 'All communes', t_list: 'Chosen communes', t_basin: 'The communes of a river basin',
  villagesHint: 'Villages (comma-separated; empty: the whole commune)', ttlMin: 'Time-to-live (minutes)', submitForApproval: 'Submit for approval', sendNow: 'Send emergency now (no approval wait)',
  p_routine: 'Routine', p_priority: 'Priority', p_emergency: 'Emergency', st_draft: 'Draft', st_pending: 'Waiting for approval', st_rejected: 'Rejected', st_sent: 'Sent',
  clusters: 'clusters', author: 'Author', approver: 'Approved by', answered: 'Communes that answered', notWarned: 'Not warned', why: 'Why',
  approve: 'Approve', reject: 'Reject', rejectWhy: 'Why it is rejected (the author reads it)', playedInFull: 'played in full', autoFlood: 'Automatic flood warning',
  co_waiting: 'Waiting for the commune', co_not_warned: 'Not warned (the commune cannot be reached)', co_airing: 'On air', co_played: 'Played in full',
  co_partly_played: 'Partly played', co_not_played: 'Not played',
  pictures: 'Camera pictures', askPicture: 'Ask for one camera\'s picture', camera: 'Camera', pictureReason: 'Reason (incident number)', picture: 'Picture',
  picturePrivacy: 'A picture leaves a commune\'s box only when the province names one camera with a reason; the commune and the province both audit it, and every view of a picture is recorded (Law 91/2025/QH15).',
  showPicture: 'Show the picture', takenAt: 'Taken at', picturePruned: 'Picture removed (retention over)',
  ps_pending: 'Waiting for the commune', ps_received: 'Picture received', ps_no_picture: 'No picture', ps_expired: 'Expired, the commune did not answer',
  basinMap: 'Basin map', addStation: 'Add a station to the basin map', editStation: 'Edit station', stationId: 'Station id', stationName: 'Station name',
  reservoir: 'Reservoir', basin: 'Basin', downstream: 'Villages downstream warned', downstreamHint: 'This commune\'s villages downstream, comma-separated (empty: none)',
  basinNote: 'When the station rises above alarm level III, the province sends the emergency flood warning to the villages downstream in the other communes listed here (the station\'s own box warns its own villages). Each change goes to the boxes at once.',
  noDownstream: 'At least one village downstream in another commune: the province warns only other communes.', saveStation: 'Save station', edit: 'Edit', remove: 'Remove',
  confirmRemove: 'Remove from the map (the villages downstream will no longer be warned by the province)'
}

export type Word = keyof typeof VI
export const w = (key: Word): string => (language() === 'vi' ? VI : EN)[key]
export const ruleName = (rule: string): string => (rule in VI ? w(rule as Word) : rule)
