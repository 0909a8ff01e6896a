// The broadcast log (nhật ký phát) as a record an official files: local time (Asia/Ho_Chi_Minh,
// as on the screen), headers and states in Vietnamese (English on the switch), each cluster's
// name and village beside its id, how long it played; and, per bulletin, how its airing went.
// Pure: the HTTP layer turns it into CSV or a printable page.
import type { Priority } from '../contract/index.js'
import { DELIVERY_WORDS, outcomeOf, playedCount, reasonText, type Lang, type Outcome } from './outcome.js'
import { DELIVERY_STATES, type DeliveryState, type LogRow } from './store.js'

/** Vietnam is UTC+7 all year (no daylight saving), as in schedule.ts. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000

/** "23/11/2026 08:05:09", Vietnam's time and the day first, as the dashboard shows it. */
export function localTime (ms: number | null): string {
  if (ms === null) return ''
  const d = new Date(ms + VIETNAM_OFFSET_MS)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
}

/** The start of a local day "2026-11-23" in Vietnam, as epoch ms. */
export const localDayStart = (day: string): number => Date.parse(`${day}T00:00:00+07:00`)

export const PRIORITY_WORDS: Record<Priority, Record<Lang, string>> = {
  routine: { vi: 'Thông thường', en: 'Routine' }, priority: { vi: 'Ưu tiên', en: 'Priority' }, emergency: { vi: 'Khẩn cấp', en: 'Emergency' }
}

export const LOG_WORDS = {
  vi: {
    title: 'Nhật ký phát thanh', period: 'Từ', to: 'đến', printed: 'In lúc', zone: 'Giờ Việt Nam (UTC+7)', none: 'Không có lượt phát nào trong khoảng này.',
    author: 'Người soạn', approver: 'Người duyệt', maker: 'Người lập', confirm: 'Xác nhận của UBND xã', sign: '(Ký, ghi rõ họ tên)', printHint: 'In trang này (Ctrl+P) để lưu hồ sơ.',
    columns: ['Thời điểm phát', 'Bản tin', 'Mã bản tin', 'Mức ưu tiên', 'Thôn / tổ dân phố', 'Cụm loa', 'Mã cụm loa', 'Trạng thái', 'Lý do',
      'Số lần gửi', 'Bắt đầu phát', 'Kết thúc', 'Thời lượng đã phát (giây)', 'Xác nhận phát trọn vẹn', 'Người soạn', 'Người duyệt'],
    yes: 'Có', no: 'Không', system: 'Hệ thống'
  },
  en: {
    title: 'Broadcast log', period: 'From', to: 'to', printed: 'Printed', zone: 'Vietnam time (UTC+7)', none: 'No airing in this period.',
    author: 'Author', approver: 'Approved by', maker: 'Prepared by', confirm: 'Certified by the commune People\'s Committee', sign: '(Signature and full name)', printHint: 'Print this page (Ctrl+P) for the file.',
    columns: ['Aired at', 'Bulletin', 'Bulletin id', 'Priority', 'Village', 'Cluster', 'Cluster id', 'State', 'Reason',
      'Attempts', 'Started', 'Finished', 'Played (s)', 'Confirmed played in full', 'Author', 'Approved by'],
    yes: 'Yes', no: 'No', system: 'System'
  }
} as const

/** A person's username as it is; the gateway itself (an automatic flood warning) in words. */
export const actorWords = (actor: string | null, lang: Lang): string => actor === 'system' ? LOG_WORDS[lang].system : actor ?? ''

/** One line per cluster and airing, in the columns' order. */
export function logCells (r: LogRow, lang: Lang): Array<string | number> {
  const w = LOG_WORDS[lang]
  const playedS = r.startedAt !== null && r.finishedAt !== null ? Math.round((r.finishedAt - r.startedAt) / 1000) : ''
  return [localTime(r.airingAt), r.title, r.broadcastId, PRIORITY_WORDS[r.priority][lang], r.village, r.deviceName ?? '', r.deviceId,
    DELIVERY_WORDS[r.state][lang], r.state === 'done' ? '' : reasonText(r.state, r.reason, lang), r.attempts, localTime(r.startedAt),
    localTime(r.finishedAt), playedS, r.state === 'done' ? w.yes : w.no, actorWords(r.createdBy, lang), actorWords(r.approvedBy, lang)]
}

export interface AiringRecord {
  broadcastId: string; title: string; priority: Priority; airingAt: number; createdBy: string; approvedBy: string | null
  durationMs: number; targeted: number; done: number; outcome: Outcome; line: string; rows: LogRow[]
}

/** The log's rows grouped by bulletin and airing, each with how it went. */
export function airings (rows: readonly LogRow[], lang: Lang): AiringRecord[] {
  const groups = new Map<string, LogRow[]>()
  for (const r of rows) {
    const key = `${r.broadcastId}|${r.airingAt}`
    groups.set(key, [...(groups.get(key) ?? []), r])
  }
  return [...groups.values()].map((list) => {
    const first = list[0]!
    const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>
    for (const r of list) counts[r.state]++
    const summary = { ...counts, targeted: list.length, outcome: outcomeOf({ ...counts, targeted: list.length }) }
    return {
      broadcastId: first.broadcastId, title: first.title, priority: first.priority, airingAt: first.airingAt, createdBy: first.createdBy,
      approvedBy: first.approvedBy, durationMs: first.durationMs, targeted: list.length, done: counts.done, outcome: summary.outcome,
      line: playedCount(summary, lang), rows: list
    }
  })
}
