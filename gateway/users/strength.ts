// Is a new password too easy to guess? A minimum length, and no password from the lists
// guessers try first (common passwords, with the digits people add at the end), no
// keyboard or counting run, no single repeated character, not the username. Messages are
// in Vietnamese first: the person choosing the password reads them on the dashboard.
// Not zxcvbn: its 800 KB of dictionaries are mostly English names, and the box is offline.

export const MIN_PASSWORD_LENGTH = 10

// The most used passwords in leaked lists (worldwide and Vietnamese), as their letters and
// digits only; "matkhau" is "mật khẩu", "anhyeuem" "anh yêu em".
const COMMON = new Set([
  'password', 'passw0rd', 'p@ssword', 'admin', 'administrator', 'root', 'qwerty', 'qwertyuiop', 'abc', 'abcd', 'abcdef',
  'iloveyou', 'letmein', 'welcome', 'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess', 'master', 'superman',
  'trustno', 'whatever', 'shadow', 'michael', 'changeme', 'default', 'secret', 'login', 'test', 'guest', 'user', 'hello',
  'matkhau', 'matkhaumoi', 'anhyeuem', 'emyeuanh', 'yeuem', 'yeuanh', 'vietnam', 'hanoi', 'saigon', 'hochiminh', 'matkhaucuatoi',
  'quantri', 'quantrivien', 'congan', 'canbo', 'vanhanh', 'ubnd', 'ubndxa', 'xa', 'thon', 'loa', 'camera', 'gateway', 'hikvision', 'dahua'
])
const RUNS = ['01234567890123456789', '98765432109876543210', 'abcdefghijklmnopqrstuvwxyz', 'zyxwvutsrqponmlkjihgfedcba',
  'qwertyuiopasdfghjklzxcvbnm', '1qaz2wsx3edc4rfv5tgb6yhn7ujm', 'qazwsxedcrfvtgbyhnujmikolp']

/** Lower case, no diacritics (đ is d), only letters and digits: "Mật-Khẩu" is "matkhau". */
const bare = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/[^a-z0-9]/g, '')

/** Why the password is too weak, in Vietnamese and English; null when it will do. */
export function passwordWeakness (password: string, username?: string): string | null {
  const p = password.normalize('NFC')
  if ([...p].length < MIN_PASSWORD_LENGTH) return `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự / at least ${MIN_PASSWORD_LENGTH} characters`
  const b = bare(p)
  if (new Set(p).size < 4) return 'Mật khẩu lặp lại quá ít ký tự khác nhau / too few different characters'
  if (b.length >= 6 && RUNS.some((run) => run.includes(b))) return 'Mật khẩu là một dãy liền nhau trên bàn phím hoặc dãy số (như 123456789012) / a keyboard or counting run'
  const word = b.replace(/\d+$/, '').replace(/^\d+/, '')
  if (COMMON.has(b) || COMMON.has(word) || /^(\d)\1*$/.test(b)) return 'Mật khẩu quá phổ biến, dễ bị đoán / a common password, guessed first'
  if (username && bare(username).length >= 3 && b.includes(bare(username))) return 'Mật khẩu không được chứa tên đăng nhập / must not contain the username'
  return null
}
