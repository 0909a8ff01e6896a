import { expect, test } from 'vitest'
import { isoWeekday, nextAiring } from './schedule.js'

// Monday 2026-11-23 08:00 in Vietnam is 01:00 UTC.
const MON_0800 = Date.UTC(2026, 10, 23, 1, 0)
const HOUR = 3_600_000

test('now and a time: at once, or at that time; a time already past airs at once', () => {
  expect(nextAiring({ kind: 'now' }, MON_0800)).toBe(MON_0800)
  expect(nextAiring({ kind: 'at', at: MON_0800 + HOUR }, MON_0800)).toBe(MON_0800 + HOUR)
  expect(nextAiring({ kind: 'at', at: MON_0800 - HOUR }, MON_0800)).toBe(MON_0800)
})

test('daily at a local time: today if still ahead, else tomorrow; nothing after its end', () => {
  expect(nextAiring({ kind: 'daily', time: '17:00' }, MON_0800)).toBe(MON_0800 + 9 * HOUR)
  expect(nextAiring({ kind: 'daily', time: '06:00' }, MON_0800)).toBe(MON_0800 + 22 * HOUR)
  expect(nextAiring({ kind: 'daily', time: '06:00', until: MON_0800 + 10 * HOUR }, MON_0800)).toBeNull()
  // Midnight local is 17:00 UTC the day before.
  expect(nextAiring({ kind: 'daily', time: '00:00' }, MON_0800)).toBe(Date.UTC(2026, 10, 23, 17, 0))
})

test('weekly on chosen weekdays, in Vietnam\'s calendar', () => {
  expect(isoWeekday(MON_0800)).toBe(1)
  // 06:30 local Monday is 23:30 UTC on Sunday: still Monday here.
  expect(isoWeekday(Date.UTC(2026, 10, 22, 23, 30))).toBe(1)
  const fri = nextAiring({ kind: 'weekly', time: '07:00', days: [5] }, MON_0800)
  expect(fri).toBe(Date.UTC(2026, 10, 27, 0, 0))
  expect(nextAiring({ kind: 'weekly', time: '09:00', days: [1, 3] }, MON_0800)).toBe(MON_0800 + HOUR)
  expect(nextAiring({ kind: 'weekly', time: '07:00', days: [1] }, MON_0800)).toBe(MON_0800 + 7 * 24 * HOUR - HOUR)
})
