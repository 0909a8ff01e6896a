// Vietnamese first, English on a switch. Words of the field from shared/DOMAIN.md; field
// labels from the device contract itself, so the dashboard and docs/contract.md agree.
// Times in Asia/Ho_Chi_Minh whatever the phone's own zone; numbers in vi-VN form.
import { FIELDS, KIND_NAMES, type FieldSpec } from '../../gateway/contract/catalog.js'
import { ROLE_NAMES, type Role } from '../../gateway/users/roles.js'
import type { DeviceKind } from '../../gateway/contract/kinds.js'
import { VI, EN, type Words } from './words.js'

export type Lang = 'vi' | 'en'
const ZONE = 'Asia/Ho_Chi_Minh'

let lang: Lang = (localStorage.getItem('lang') as Lang | null) ?? 'vi'
const listeners = new Set<() => void>()

export const language = (): Lang => lang
export function setLanguage (next: Lang): void {
  lang = next
  localStorage.setItem('lang', next)
  document.documentElement.lang = next
  for (const fn of listeners) fn()
}
export const onLanguage = (fn: () => void): (() => void) => { listeners.add(fn); return () => listeners.delete(fn) }

export const t = (key: keyof Words): string => (lang === 'vi' ? VI : EN)[key]
/** Who did it: a person's username, or the gateway itself ("system") as Hệ thống. */
export const actorName = (actor: string | null | undefined): string => (!actor || actor === 'system' ? t('system') : actor)
export const kindName = (kind: DeviceKind): string => KIND_NAMES[kind][lang]
export const roleName = (role: Role): string => ROLE_NAMES[role][lang]
export const fieldSpec = (kind: DeviceKind, field: string): FieldSpec | undefined => (FIELDS[kind] as Record<string, FieldSpec>)[field]
export function fieldName (kind: DeviceKind, field: string): string {
  const name = fieldSpec(kind, field)?.[lang] ?? field
  return name.charAt(0).toLocaleUpperCase(locale()) + name.slice(1)
}

const locale = (): string => (lang === 'vi' ? 'vi-VN' : 'en-GB')
const numberFormats = new Map<string, Intl.NumberFormat>()
export function num (value: number, digits = 1): string {
  const key = `${locale()}|${digits}`
  let f = numberFormats.get(key)
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 })))
  return f.format(value)
}

const timeFormats = new Map<string, Intl.DateTimeFormat>()
function format (style: 'datetime' | 'time' | 'date' | 'hour'): Intl.DateTimeFormat {
  const key = `${locale()}|${style}`
  let f = timeFormats.get(key)
  if (!f) {
    const options: Intl.DateTimeFormatOptions = style === 'time' ? { timeStyle: 'medium' } : style === 'hour' ? { timeStyle: 'short' } : style === 'date' ? { dateStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }
    timeFormats.set(key, (f = new Intl.DateTimeFormat(locale(), { ...options, timeZone: ZONE })))
  }
  return f
}
export const dateTime = (ms: number | null | undefined): string => (ms == null ? '—' : format('datetime').format(ms))
export const timeOnly = (ms: number): string => format('time').format(ms)
/** Hours and minutes only: an hourly index's hour. */
export const hourMinute = (ms: number): string => format('hour').format(ms)

const tickFormats = new Map<string, Intl.DateTimeFormat>()
/** A chart's time axis: seconds over minutes, hours and minutes over a day, day and month beyond. */
export function tickLabel (ms: number, spanMs: number): string {
  const scale = spanMs > 2 * 86_400_000 ? 'days' : spanMs > 3_600_000 ? 'hours' : 'seconds'
  const key = `${locale()}|${scale}`
  let f = tickFormats.get(key)
  if (!f) {
    const options: Intl.DateTimeFormatOptions = scale === 'days'
      ? { day: '2-digit', month: '2-digit' }
      : { hour: '2-digit', minute: '2-digit', ...(scale === 'seconds' ? { second: '2-digit' } : {}), hourCycle: 'h23' }
    tickFormats.set(key, (f = new Intl.DateTimeFormat(locale(), { ...options, timeZone: ZONE })))
  }
  return f.format(ms)
}

/** "5 phút trước" / "5 min ago". */
export function ago (ms: number | null | undefined, now = Date.now()): string {
  if (ms == null) return t('never')
  const s = Math.max(0, Math.round((now - ms) / 1000))
  if (s < 60) return lang === 'vi' ? `${s} giây trước` : `${s} s ago`
  const m = Math.round(s / 60)
  if (m < 60) return lang === 'vi' ? `${m} phút trước` : `${m} min ago`
  const h = Math.round(m / 60)
  if (h < 48) return lang === 'vi' ? `${h} giờ trước` : `${h} h ago`
  return lang === 'vi' ? `${Math.round(h / 24)} ngày trước` : `${Math.round(h / 24)} days ago`
}

export function duration (ms: number): string {
  const m = Math.round(ms / 60_000)
  if (m < 60) return lang === 'vi' ? `${m} phút` : `${m} min`
  const h = Math.floor(m / 60)
  return lang === 'vi' ? `${h} giờ ${m % 60} phút` : `${h} h ${m % 60} min`
}

/** A field's value with its unit, booleans and enums in words. */
export function fieldValue (kind: DeviceKind, field: string, value: unknown): string {
  const spec = fieldSpec(kind, field)
  if (value === undefined || value === null) return '—'
  if (typeof value === 'boolean') return value ? t('yes') : t('no')
  if (typeof value === 'number') return `${num(value, spec?.type === 'int' ? 0 : 2)}${spec?.unit ? ` ${spec.unit}` : ''}`
  if (typeof value !== 'string') return '—'
  const word = ENUM_WORDS[value]
  return word ? word[lang === 'vi' ? 0 : 1] : value
}

const ENUM_WORDS: Record<string, [string, string]> = {
  none: ['Không phát', 'Nothing'], bulletin: ['Bản tin', 'Bulletin'], radio: ['Tiếp sóng đài', 'Radio relay'], live: ['Phát trực tiếp', 'Live broadcast'],
  routine: ['Thông thường', 'Routine'], priority: ['Ưu tiên', 'Priority'], emergency: ['Khẩn cấp', 'Emergency'],
  ok: ['Bình thường', 'OK'], degraded: ['Suy giảm', 'Degraded'], failed: ['Hỏng', 'Failed'], missing: ['Không có thẻ nhớ', 'Missing']
}
