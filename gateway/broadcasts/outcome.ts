// What happened to a bulletin's clusters, in one place, so the API, the dashboard, the log
// lines, the flood warning's record, the notifications and the broadcast log all say the same
// (issue #13: a bulletin that reached no loudspeaker was shown as "played out"). "Played" only
// when every targeted cluster played it in full; otherwise "partly played" or "not played",
// with each missing cluster's reason in Vietnamese (English on the switch). Pure: the
// dashboard imports it too.
import type { DeliveryState } from './store.js'

export const OUTCOMES = ['not_aired', 'airing', 'played', 'partly_played', 'not_played'] as const
export type Outcome = (typeof OUTCOMES)[number]
export type Lang = 'vi' | 'en'

/** A cluster of the latest airing that did not play the bulletin in full, and why. */
export interface Missed { deviceId: string; name: string | null; village: string; state: DeliveryState; reason: string | null }

const MISSED_STATES: ReadonlySet<DeliveryState> = new Set(['failed', 'timed_out', 'expired'])
export const isMissed = (state: DeliveryState): boolean => MISSED_STATES.has(state)

/** From the counts of the latest airing: still under way, or how it ended. */
export function outcomeOf (c: { targeted: number; done: number } & Record<DeliveryState, number>): Outcome {
  if (c.targeted === 0) return 'not_aired'
  const ended = c.done + c.failed + c.timed_out + c.expired
  if (ended < c.targeted) return 'airing'
  if (c.done === c.targeted) return 'played'
  return c.done === 0 ? 'not_played' : 'partly_played'
}

export const OUTCOME_WORDS: Record<Outcome, Record<Lang, string>> = {
  not_aired: { vi: 'Chưa phát', en: 'Not aired yet' },
  airing: { vi: 'Đang phát', en: 'On air' },
  played: { vi: 'Đã phát trọn vẹn', en: 'Played in full' },
  partly_played: { vi: 'Chỉ phát được một phần', en: 'Partly played' },
  not_played: { vi: 'Không phát được', en: 'Not played' }
}

export const DELIVERY_WORDS: Record<DeliveryState, Record<Lang, string>> = {
  queued: { vi: 'Chờ gửi', en: 'Waiting' },
  sent: { vi: 'Đã gửi', en: 'Sent' },
  delivered: { vi: 'Đã nhận', en: 'Received' },
  playing: { vi: 'Đang phát', en: 'Playing' },
  done: { vi: 'Phát trọn vẹn', en: 'Played in full' },
  failed: { vi: 'Lỗi', en: 'Failed' },
  timed_out: { vi: 'Quá thời gian', en: 'Timed out' },
  expired: { vi: 'Hết hiệu lực', en: 'Expired' }
}

/** "phát trọn vẹn trên 28/30 cụm loa" / "played in full on 28 of 30 clusters". */
export const playedCount = (s: { targeted: number; done: number }, lang: Lang): string =>
  lang === 'vi' ? `phát trọn vẹn trên ${s.done}/${s.targeted} cụm loa` : `played in full on ${s.done} of ${s.targeted} clusters`

/** The count, preceded by "Partly played:" or "Not played:" when it did not play everywhere. */
export function outcomeLine (s: { targeted: number; done: number; outcome: Outcome }, lang: Lang): string {
  if (s.outcome === 'not_aired') return OUTCOME_WORDS.not_aired[lang]
  const word = s.outcome === 'played' || s.outcome === 'airing' ? '' : `${OUTCOME_WORDS[s.outcome][lang]}: `
  return word + playedCount(s, lang)
}

// Reasons come from the clusters (contract: free text) and from the gateway itself; the known
// ones read in the official's language, anything else is shown as the cluster said it.
const REASONS: Array<[RegExp, Record<Lang, string>]> = [
  [/^preempted/, { vi: 'Bị bản tin khẩn cấp cắt ngang', en: 'Cut off by an emergency bulletin' }],
  [/^fetch/, { vi: 'Cụm loa không tải được âm thanh', en: 'The cluster could not fetch the audio' }],
  [/^amplifier/, { vi: 'Lỗi âm ly của cụm loa', en: 'The cluster\'s amplifier failed' }],
  [/^stopped/, { vi: 'Đã bị dừng', en: 'Stopped' }],
  [/^cancelled/, { vi: 'Bản tin đã bị hủy', en: 'The bulletin was cancelled' }],
  [/^expired before/, { vi: 'Hết hiệu lực trước khi kịp phát', en: 'Expired before it could play' }],
  [/^not sent/, { vi: 'Không gửi được lệnh phát', en: 'The play command could not be sent' }],
  [/^rejected/, { vi: 'Cụm loa từ chối lệnh phát', en: 'The cluster refused the play command' }]
]
const BY_STATE: Partial<Record<DeliveryState, Record<Lang, string>>> = {
  expired: { vi: 'Cụm loa không kết nối lại trong thời gian hiệu lực', en: 'The cluster did not come back within the time-to-live' },
  timed_out: { vi: 'Đã gửi nhưng cụm loa không báo phát xong trong thời gian cho phép', en: 'Sent, but the cluster did not confirm playing it in full in time' }
}

/** Why a cluster did not play it, in words; the cluster's own detail kept in brackets. */
export function reasonText (state: DeliveryState, reason: string | null, lang: Lang): string {
  if (reason) {
    const known = REASONS.find(([pattern]) => pattern.test(reason))
    if (!known) return lang === 'vi' ? `Cụm loa báo lỗi: ${reason}` : `The cluster reported: ${reason}`
    const detail = reason.replace(/^[a-z ]+:\s*/i, '')
    return detail !== reason && detail !== '' ? `${known[1][lang]} (${detail})` : known[1][lang]
  }
  return BY_STATE[state]?.[lang] ?? ''
}

/** The missing clusters in one line, for a log, an SMS or a notification. */
export function missedLine (missed: readonly Missed[], lang: Lang, max = 5): string {
  const shown = missed.slice(0, max).map((m) => `${m.name ?? m.deviceId} (${m.village}): ${DELIVERY_WORDS[m.state][lang]}${m.reason || BY_STATE[m.state] ? ` — ${reasonText(m.state, m.reason, lang)}` : ''}`)
  const more = missed.length - shown.length
  return shown.join('; ') + (more > 0 ? (lang === 'vi' ? `; và ${more} cụm khác` : `; and ${more} more`) : '')
}
