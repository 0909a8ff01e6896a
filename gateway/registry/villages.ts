// Villages are free text (DOMAIN.md: thôn, bản, ấp, tổ dân phố have no codes), so a typo
// would silently become a new village that no bulletin targets and no list groups with its
// neighbours (issue #15). A device added or moved through the API names a village the
// registry already knows, or says out loud that the village is new (`newVillage: true`).
// A refusal lists the known villages that look closest, in Vietnamese and English.
import { validationError } from '../errors.js'

/** Lower case, no diacritics (đ is d), single spaces: "Thôn  Đông" and "thon dong" compare equal. */
export const bareVillage = (s: string): string =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim()

/** Levenshtein distance, for the handful of villages of a commune. */
function distance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

// Most names begin with the same word (thôn, bản, ấp, xóm, tổ dân phố, khu phố): compared
// whole, "Thôn Tân Lập" would look close to every other "Thôn ...".
const KIND_WORDS = /^(thon|ban|ap|xom|to dan pho|to|khu pho|khu|lang|buon|plei|soc)\s+/

/** The known villages closest to a name, best first: same letters without accents, a few letters off, or one inside the other. */
export function closeVillages (name: string, known: readonly string[], max = 3): string[] {
  const wanted = bareVillage(name).replace(KIND_WORDS, '')
  // About one letter in three may differ: "Hoa Binhh" for "Hòa Bình", not "Tân Lập" for "An Lỗ".
  const allowed = Math.max(1, Math.floor(wanted.length / 3))
  return known
    .map((village) => {
      const core = bareVillage(village).replace(KIND_WORDS, '')
      const inside = Math.min(core.length, wanted.length) >= 4 && (core.includes(wanted) || wanted.includes(core))
      return { village, d: core === wanted ? 0 : inside ? 1 : distance(core, wanted) }
    })
    .filter((c) => c.d <= allowed)
    .sort((x, y) => x.d - y.d || x.village.localeCompare(y.village, 'vi'))
    .slice(0, max)
    .map((c) => c.village)
}

/** Refuses a village the registry does not know unless `isNew` confirms it; the error lists close matches. */
export function checkVillage (village: string, known: readonly string[], isNew: boolean): void {
  const name = village.trim()
  if (isNew || known.includes(name)) return
  const closeMatches = closeVillages(name, known)
  const vi = closeMatches.length > 0 ? ` Gần giống: ${closeMatches.join(', ')}.` : ''
  const en = closeMatches.length > 0 ? ` Close matches: ${closeMatches.join(', ')}.` : ''
  throw validationError(
    `Thôn "${name}" chưa có trong danh sách.${vi} Hãy chọn thôn có sẵn, hoặc xác nhận thêm thôn mới (newVillage: true). / ` +
    `"${name}" is not a known village.${en} Choose a known village, or confirm a new one (newVillage: true).`,
    { unknownVillage: name, closeMatches, knownVillages: known })
}
