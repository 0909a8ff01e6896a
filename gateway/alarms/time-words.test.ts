// The time to the next line in words a person uses.
import { expect, test } from 'vitest'
import { inWords, trendWords } from './time-words.js'

test('the time to the next level is said in minutes, hours and minutes, hours or days as a person would', () => {
  expect(inWords(0.01)).toBe('sắp tới ngay')
  expect(inWords(0.42)).toBe('khoảng 25 phút nữa')
  expect(inWords(0.06)).toBe('khoảng 5 phút nữa')
  expect(inWords(0.99)).toBe('khoảng 1 giờ nữa')
  expect(inWords(2.5)).toBe('khoảng 2 giờ 30 phút nữa')
  expect(inWords(30)).toBe('khoảng 30 giờ nữa')
  expect(inWords(100)).toBe('khoảng 4 ngày nữa')
  expect(inWords(0.42, 'en')).toBe('in about 25 minutes')
  expect(inWords(1, 'en')).toBe('in about 1 hour')
})

test('never says zero: a level a few seconds away is reached any moment now', () => {
  expect(inWords(0)).not.toMatch(/\b0\b/)
  expect(inWords(0.03)).toBe('sắp tới ngay')
})

test('trend words follow the sign of the slope: falling water is never called rising', () => {
  expect(trendWords(12.34)?.word).toBe('đang lên 12,3 cm/h')
  expect(trendWords(-5)?.word).toBe('đang xuống 5 cm/h')
  expect(trendWords(-5)?.direction).toBe('down')
  expect(trendWords(0.2)?.word).toBe('ổn định')
  expect(trendWords(-5, 'en')?.word).toBe('falling 5 cm/h')
  expect(trendWords(null)).toBeNull()
})
