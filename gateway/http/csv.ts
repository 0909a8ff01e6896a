// One way to write a CSV cell, for every export (the broadcast log today; any list the
// gateway exports tomorrow). Text that a spreadsheet would run as a formula is defused
// with a leading apostrophe (OWASP "CSV injection"): = + - @, and tab or carriage return,
// which some spreadsheets strip before looking for the formula; also their full-width forms
// (＝ ＋ － ＠), which some locales' spreadsheets read as the same signs. Devices control
// some of this text (a failure's reason), so it is never trusted. Numbers stay numbers.

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/** A CSV cell: formula-looking text defused; quoted when it holds a comma, quote or line break. */
export function csvCell (value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let s = String(value)
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
