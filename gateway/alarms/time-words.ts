// How long until the water reaches a line, said as a person says it ("khoảng 25 phút nữa",
// not "dự kiến sau 0 h": issue #15). Plain code shared by the notifications and the dashboard.
export type Lang = 'vi' | 'en'

/** Rounded to what a person can act on: 5 minutes below an hour, 10 minutes below a day, then hours. */
export function inWords (hours: number, lang: Lang = 'vi'): string {
  const minutes = hours * 60
  const vi = lang === 'vi'
  if (minutes < 3) return vi ? 'sắp tới ngay' : 'any moment now'
  if (minutes < 58) {
    const m = Math.max(5, Math.round(minutes / 5) * 5)
    return vi ? `khoảng ${m} phút nữa` : `in about ${m} minutes`
  }
  if (hours < 24) {
    const total = Math.round(minutes / 10) * 10
    const h = Math.floor(total / 60)
    const m = total % 60
    if (m === 0) return vi ? `khoảng ${h} giờ nữa` : `in about ${h} hour${h === 1 ? '' : 's'}`
    return vi ? `khoảng ${h} giờ ${m} phút nữa` : `in about ${h} h ${m} min`
  }
  const h = Math.round(hours)
  if (h < 72) return vi ? `khoảng ${h} giờ nữa` : `in about ${h} hours`
  const d = Math.round(hours / 24)
  return vi ? `khoảng ${d} ngày nữa` : `in about ${d} days`
}

/** Made once: toLocaleString builds a formatter on every call. */
const CM_FORMAT = { vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }), en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }) }

/** Below this the water is steady: a sensor's noise is not a trend. */
const STEADY_CM_PER_H = 0.5

/**
 * The trend in words that follow the sign of the slope: "đang lên 12 cm/h", "đang xuống 5 cm/h"
 * or "ổn định", never "rising -5 cm/h" (issue #15). Null when there is too little to tell.
 */
export function trendWords (cmPerHour: number | null, lang: Lang = 'vi'): { word: string; direction: 'up' | 'down' | 'steady' } | null {
  if (cmPerHour === null) return null
  const n = CM_FORMAT[lang].format(Math.abs(cmPerHour))
  if (cmPerHour >= STEADY_CM_PER_H) return { word: lang === 'vi' ? `đang lên ${n} cm/h` : `rising ${n} cm/h`, direction: 'up' }
  if (cmPerHour <= -STEADY_CM_PER_H) return { word: lang === 'vi' ? `đang xuống ${n} cm/h` : `falling ${n} cm/h`, direction: 'down' }
  return { word: lang === 'vi' ? 'ổn định' : 'steady', direction: 'steady' }
}
