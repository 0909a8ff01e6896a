import { expect, test } from 'vitest'
import { clip, LogLimiter } from './log-limit.js'

test('a client\'s long string is cut, and says how long it was', () => {
  expect(clip('x'.repeat(30_000))).toBe('x'.repeat(80) + '…(30000 chars)')
  expect(clip('cam-001')).toBe('cam-001')
  expect(clip(undefined)).toBeUndefined()
})

test('one line per client and reason per window; the next one written counts what was held', () => {
  let now = 0
  const limiter = new LogLimiter(60_000, 10, () => now)
  expect(limiter.take('schema', 'cam-1')).toBe(0)
  expect(limiter.take('schema', 'cam-1')).toBeNull()
  expect(limiter.take('schema', 'cam-1')).toBeNull()
  expect(limiter.take('not_json', 'cam-1')).toBe(0)
  now = 60_000
  expect(limiter.take('schema', 'cam-1')).toBe(2)
})

test('many clients with one reason write at most the reason\'s limit per window', () => {
  let now = 0
  const limiter = new LogLimiter(60_000, 10, () => now)
  const written = Array.from({ length: 1000 }, (_, i) => limiter.take('bad_credentials', `ghost-${i}`)).filter((h) => h !== null)
  expect(written).toHaveLength(10)
  now = 60_000
  expect(limiter.take('bad_credentials', 'ghost-5000')).toBe(990)
})

test('a flood of distinct clients keeps the limiter\'s memory bounded', () => {
  const limiter = new LogLimiter(60_000, 10, () => 0)
  for (let i = 0; i < 50_000; i++) limiter.take('x', `c-${i}`)
  expect((limiter as unknown as { perKey: Map<string, unknown> }).perKey.size).toBeLessThanOrEqual(10_000)
})
