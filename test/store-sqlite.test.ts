import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { HOUR_MS } from '../gateway/store/buckets.js'
import { SqliteTelemetryStore } from '../gateway/store/sqlite-store.js'
import { NOW, level, storeContract } from './store-contract.js'

const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const file = () => join(dir, `telemetry-${++n}.db`)

storeContract('SQLite', ({ retention, now }) => Promise.resolve(new SqliteTelemetryStore(file(), retention, now)))

const DAY_MS = 24 * HOUR_MS
const q = { deviceId: 'wl-a', kind: 'water_sensor' as const, field: 'levelM', from: NOW - 200 * DAY_MS, to: NOW, maxPoints: 10 }

test('SQLite: data and the rollup watermark survive a reopen', async () => {
  const path = file()
  const retention = { rawRetentionMs: 90 * DAY_MS, rollupRetentionMs: 0 }
  const first = new SqliteTelemetryStore(path, retention, () => NOW)
  await first.open()
  await first.write([level('wl-a', NOW - 100 * DAY_MS, 7), level('wl-a', NOW - 1000, 8)])
  await first.rollup(NOW)
  await first.close()
  const again = new SqliteTelemetryStore(path, retention, () => NOW)
  await again.open()
  expect((await again.latest()).get('wl-a')?.levelM).toEqual({ value: 8, ts: NOW - 1000 })
  expect((await again.history(q)).reduce((c, b) => c + b.count, 0)).toBe(2)
  await again.close()
})

test('SQLite: retention removes raw readings past their time; their rollup still answers', async () => {
  const retention = { rawRetentionMs: 90 * DAY_MS, rollupRetentionMs: 0 }
  const store = new SqliteTelemetryStore(file(), retention, () => NOW)
  await store.open()
  const old = NOW - 120 * DAY_MS
  await store.write([level('wl-a', old, 1), level('wl-a', old + 60_000, 3), level('wl-a', NOW - 1000, 5)])
  // Not rolled up yet: retention must keep the raw readings.
  await store.applyRetention(NOW)
  const fine = { ...q, from: old, to: old + HOUR_MS, maxPoints: 3600 }
  expect((await store.history(fine)).length).toBe(2)
  await store.rollup(NOW)
  await store.applyRetention(NOW)
  // Raw minutes are gone (a fine-grained query sees only the hourly rollup)...
  expect(await store.history(fine)).toEqual([{ t: old, count: 2, min: 1, max: 3, mean: 2 }])
  // ...and the long view still has every reading.
  expect((await store.history(q)).reduce((c, b) => c + b.count, 0)).toBe(3)
  await store.close()
})
