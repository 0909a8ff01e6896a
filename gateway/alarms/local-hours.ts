// The commune's hour of the day: rules that differ by night and day (a camera going dark, its
// infrared) ask it. Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving).
const localHour = (ms: number): number => ((ms / 3_600_000) + 7) % 24

/** Whether a moment falls between two local hours (a window may span midnight). */
export const withinHours = (ms: number, fromH: number, toH: number): boolean => {
  const h = localHour(ms)
  return fromH > toH ? h >= fromH || h < toH : h >= fromH && h < toH
}
