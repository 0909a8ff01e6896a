// When a bulletin airs: now, once at a time, or a programme every day or on chosen weekdays
// at a local time (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving).
import { z } from 'zod'

const VIETNAM_OFFSET_MS = 7 * 3_600_000
const DAY_MS = 86_400_000
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time as HH:MM')

export const Schedule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('now') }),
  z.strictObject({ kind: z.literal('at'), at: z.number().int().positive() }),
  z.strictObject({ kind: z.literal('daily'), time: LocalTime, until: z.number().int().positive().optional() }),
  z.strictObject({
    kind: z.literal('weekly'),
    time: LocalTime,
    /** ISO weekdays: 1 Monday (thứ Hai) ... 7 Sunday (Chủ nhật). */
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    until: z.number().int().positive().optional()
  })
])
export type Schedule = z.infer<typeof Schedule>

export const isRecurring = (s: Schedule): boolean => s.kind === 'daily' || s.kind === 'weekly'

/**
 * The first airing at or after `from`, or null when there is none left. A one-off airing
 * whose time has passed still airs (at `from`): a bulletin approved late is sent late, and
 * its time-to-live decides whether it is still worth playing.
 */
export function nextAiring (schedule: Schedule, from: number): number | null {
  switch (schedule.kind) {
    case 'now': return from
    case 'at': return Math.max(schedule.at, from)
    case 'daily':
    case 'weekly': {
      const [hh, mm] = schedule.time.split(':').map(Number) as [number, number]
      const localDayStart = Math.floor((from + VIETNAM_OFFSET_MS) / DAY_MS) * DAY_MS - VIETNAM_OFFSET_MS
      for (let d = 0; d <= 7; d++) {
        const at = localDayStart + d * DAY_MS + (hh * 60 + mm) * 60_000
        if (at < from) continue
        if (schedule.until !== undefined && at > schedule.until) return null
        if (schedule.kind === 'daily' || schedule.days.includes(isoWeekday(at))) return at
      }
      return null
    }
  }
}

/** 1 Monday ... 7 Sunday, in Vietnam. */
export function isoWeekday (ms: number): number {
  const day = new Date(ms + VIETNAM_OFFSET_MS).getUTCDay()
  return day === 0 ? 7 : day
}
