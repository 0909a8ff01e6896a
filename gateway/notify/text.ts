// The words of a notification, Vietnamese then English, short enough for an SMS.
import { alarmTypeName, LEVEL_STAGES, type Alarm } from '../alarms/catalog.js'
import { inWords, trendWords } from '../alarms/time-words.js'

const SEVERITY = { critical: ['KHẨN CẤP', 'CRITICAL'], major: ['CAO', 'MAJOR'], minor: ['TRUNG BÌNH', 'MINOR'], warning: ['CẢNH BÁO', 'WARNING'] } as const
const STATE = { raised: ['', ''], updated: ['Cập nhật: ', 'Update: '], worsened: ['Lên mức: ', 'Now: '], escalated: ['Chưa ai xác nhận: ', 'Not acknowledged: '], acknowledged: ['Đã xác nhận: ', 'Acknowledged: '], cleared: ['Đã hết: ', 'Cleared: '] } as const
// Formatters made once: toLocaleString builds a new one on every call, which the soak of
// issue #18 measured at most of a notice's cost.
const numberFormats = new Map<number, Intl.NumberFormat>()
/** A number as Vietnamese write it (a decimal comma), with at most `digits` decimals. */
export function vn (n: number, digits = 2): string {
  let format = numberFormats.get(digits)
  if (!format) numberFormats.set(digits, (format = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits })))
  return format.format(n)
}
const timeFormat = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit' })
const time = (ms: number): string => timeFormat.format(ms)

export function alarmText (alarm: Alarm, subjectName: string, change: keyof typeof STATE): string {
  const d = alarm.details
  const facts: string[] = []
  if (typeof d.levelM === 'number') facts.push(`mực nước ${vn(d.levelM)} m${typeof d.thresholdM === 'number' ? ` (ngưỡng ${vn(d.thresholdM)} m)` : ''}`)
  const trend = trendWords(typeof d.cmPerHour === 'number' ? d.cmPerHour : null)
  if (trend && trend.direction !== 'steady') facts.push(`nước ${trend.word}`)
  const next = d.next as { stage: number; levelM: number; hours: number | null } | null | undefined
  const nextStage = LEVEL_STAGES.find((s) => s.stage === next?.stage)
  if (next?.hours != null && nextStage) facts.push(`tới ${nextStage.vi.replace('Vượt ', '')} (${vn(next.levelM)} m) ${inWords(next.hours)}`)
  if (typeof d.dark === 'number' && typeof d.total === 'number') facts.push(`${d.dark}/${d.total} thiết bị mất kết nối`)
  // A bulletin's alarm names the bulletin (and who issued it, when the province did): an official
  // told only "a village did not confirm" cannot tell a flood warning from a routine notice.
  if (typeof d.title === 'string') facts.push(`bản tin «${d.title}»${typeof d.issuer === 'string' ? ` (${d.issuer})` : ''}`)
  if (alarm.type === 'broadcast_unconfirmed' && Array.isArray(d.devices) && d.devices.length > 0) facts.push(`${d.devices.length} cụm loa chưa phát trọn vẹn`)
  const where = alarm.deviceId ? `${subjectName} (${alarm.village})` : alarm.village
  return `[${SEVERITY[alarm.severity][0]}] ${STATE[change][0]}${alarmTypeName(alarm, 'vi')} — ${where}${facts.length ? ': ' + facts.join(', ') : ''}. Từ ${time(alarm.startedAt)}.` +
    ` / ${STATE[change][1]}${alarmTypeName(alarm, 'en')} — ${where}.`
}
