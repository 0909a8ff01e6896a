// The words of a notification, Vietnamese then English, short enough for an SMS.
import { ALARM_TYPES, type Alarm } from '../alarms/catalog.js'

const SEVERITY = { critical: ['KHẨN CẤP', 'CRITICAL'], major: ['CAO', 'MAJOR'], minor: ['TRUNG BÌNH', 'MINOR'], warning: ['CẢNH BÁO', 'WARNING'] } as const
const STATE = { raised: ['', ''], updated: ['Cập nhật: ', 'Update: '], escalated: ['Chưa ai xác nhận: ', 'Not acknowledged: '], acknowledged: ['Đã xác nhận: ', 'Acknowledged: '], cleared: ['Đã hết: ', 'Cleared: '] } as const
const vn = (n: number, digits = 2): string => n.toLocaleString('vi-VN', { maximumFractionDigits: digits })
const time = (ms: number): string => new Date(ms).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit' })

export function alarmText (alarm: Alarm, subjectName: string, change: keyof typeof STATE): string {
  const type = ALARM_TYPES[alarm.type]
  const d = alarm.details
  const facts: string[] = []
  if (typeof d.levelM === 'number') facts.push(`mực nước ${vn(d.levelM)} m${typeof d.thresholdM === 'number' ? ` (ngưỡng ${vn(d.thresholdM)} m)` : ''}`)
  if (typeof d.cmPerHour === 'number') facts.push(`nước lên ${vn(d.cmPerHour, 1)} cm/h`)
  const next = d.next as { type: keyof typeof ALARM_TYPES; levelM: number; hours: number | null } | null | undefined
  if (next?.hours != null) facts.push(`tới ${ALARM_TYPES[next.type].vi.replace('Vượt ', '')} (${vn(next.levelM)} m) sau khoảng ${vn(next.hours, 1)} giờ`)
  if (typeof d.dark === 'number' && typeof d.total === 'number') facts.push(`${d.dark}/${d.total} thiết bị mất kết nối`)
  const where = alarm.deviceId ? `${subjectName} (${alarm.village})` : alarm.village
  return `[${SEVERITY[alarm.severity][0]}] ${STATE[change][0]}${type.vi} — ${where}${facts.length ? ': ' + facts.join(', ') : ''}. Từ ${time(alarm.startedAt)}.` +
    ` / ${STATE[change][1]}${type.en} — ${where}.`
}
