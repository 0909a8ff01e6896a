// The comments the gateway itself writes on a bulletin's release (nobody typed them): kept in
// both languages in state.db and the API, for any reader; the dashboard shows the half of its
// reader's language (issue #15: no English inside the Vietnamese interface). Shared with the
// dashboard, so the words are written once.
type Lang = 'vi' | 'en'

/** An emergency sent at once by one who may approve it. */
const AT_ONCE = { vi: 'khẩn cấp: phát ngay, không chờ phê duyệt', en: 'emergency: sent without prior approval' } as const
export const RELEASED_AT_ONCE = `${AT_ONCE.vi} / ${AT_ONCE.en}`

/** A bulletin the province approved (issue #19), named by its issuer. */
export const fromProvince = (issuer: string): string => `Bản tin của tỉnh (${issuer}) / from the province`
const FROM_PROVINCE = /^Bản tin của tỉnh \((.*)\) \/ from the province$/

/** A release's comment in the reader's language; a person's own comment as they wrote it. */
export function decisionWords (comment: string, lang: Lang): string {
  if (comment === RELEASED_AT_ONCE) return AT_ONCE[lang]
  const province = FROM_PROVINCE.exec(comment)
  if (province) return lang === 'vi' ? `Bản tin của tỉnh (${province[1]})` : `From the province (${province[1]})`
  return comment
}
