import { expect, test } from 'vitest'
import { ReadingTimes } from './filing.js'

test('restamped readings in one millisecond get consecutive milliseconds, never going back', () => {
  const times = new ReadingTimes()
  const filed = [1, 2, 3].map((i) => times.file('wl-1', 'telemetry', 5000, 'missing', { levelM: i }))
  expect(filed).toEqual([5000, 5001, 5002])
  // The clock reads 5001 again: the next restamped reading still goes after the last one.
  expect(times.file('wl-1', 'telemetry', 5001, 'past', { levelM: 4 })).toBe(5003)
})

test('a device time already taken moves to the next free millisecond, unless it is the same reading sent again', () => {
  const times = new ReadingTimes()
  expect(times.file('wl-1', 'telemetry', 9000, 'device', { levelM: 1 })).toBe(9000)
  expect(times.file('wl-1', 'telemetry', 9000, 'device', { levelM: 2 })).toBe(9001)
  expect(times.file('wl-1', 'telemetry', 9000, 'device', { levelM: 2 })).toBe(9001)
  expect(times.file('wl-1', 'telemetry', 9000, 'device', { levelM: 1 })).toBe(9000)
  expect(times.file('wl-1', 'telemetry', 9001, 'device', { levelM: 2 })).toBe(9002)
  // An identical restamped reading is a new reading: it has no time of its own to compare.
  expect(times.file('wl-1', 'telemetry', 9000, 'missing', { levelM: 1 })).toBe(9003)
})

test('series are apart: other devices and events do not move a reading', () => {
  const times = new ReadingTimes()
  expect(times.file('wl-1', 'telemetry', 7000, 'missing', { levelM: 1 })).toBe(7000)
  expect(times.file('wl-2', 'telemetry', 7000, 'missing', { levelM: 1 })).toBe(7000)
  expect(times.file('wl-1', 'event', 7000, 'missing', { type: 'reboot' })).toBe(7000)
  times.forget('wl-1')
  expect(times.file('wl-1', 'telemetry', 7000, 'device', { levelM: 5 })).toBe(7000)
})

test('the last 16 readings of a series are remembered, the oldest forgotten first', () => {
  const times = new ReadingTimes()
  for (let t = 1; t <= 16; t++) expect(times.file('wl-1', 'telemetry', t, 'device', { levelM: t })).toBe(t)
  // Times 1 to 16 are taken: another reading at 1 moves past all of them.
  expect(times.file('wl-1', 'telemetry', 1, 'device', { levelM: 99 })).toBe(17)
  // That pushed time 1 out of the window: it is free again (and filing there pushes out 2).
  expect(times.file('wl-1', 'telemetry', 1, 'device', { levelM: 98 })).toBe(1)
  // 3 to 17 and 1 are still known: another reading at 3 moves past them all.
  expect(times.file('wl-1', 'telemetry', 3, 'device', { levelM: 97 })).toBe(18)
})
