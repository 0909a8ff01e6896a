import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import Database from 'better-sqlite3'
import { MAINTENANCE_SQL, SqliteTelemetryStore } from '../gateway/store/sqlite-store.js'
import { DAY_MS, HOUR_MS, NOW, level, storeContract } from './store-contract.js'

const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const file = () => join(dir, `telemetry-${++n}.db`)

storeContract('SQLite', ({ retention, now }) => Promise.resolve(new SqliteTelemetryStore(file(), retention, now)))

const retention = { rawRetentionMs: 90 * DAY_MS, rollupRetentionMs: 0 }
const levels = (deviceId: string, from: number, maxPoints = 10) =>
  ({ deviceId, kind: 'water_sensor' as const, field: 'levelM', from, to: NOW, maxPoints })

test('SQLite: readings, the rollup watermark and a late reading not yet rolled up survive a reopen', async () => {
  const path = file()
  const first = new SqliteTelemetryStore(path, retention, () => NOW)
  await first.open()
  await first.write([level('wl-old', NOW - 100 * DAY_MS, 7), level('wl-a', NOW - 1000, 8)])
  await first.rollup(NOW)
  await first.write([level('wl-a', NOW - 3 * HOUR_MS, 9)]) // late, into an hour already rolled up; then the power goes
  await first.close()

  const again = new SqliteTelemetryStore(path, retention, () => NOW)
  await again.open()
  expect((await again.latest()).get('wl-a')).toEqual({ levelM: { value: 8, ts: NOW - 1000 } })
  // The watermark is back: retention may now drop the raw reading the rollup covers...
  await again.applyRetention(NOW)
  expect((await again.latest()).has('wl-old')).toBe(false)
  expect(await again.history(levels('wl-old', NOW - 200 * DAY_MS))).toEqual([expect.objectContaining({ count: 1, min: 7, max: 7 })])
  // ...and the late reading is rolled up at the next round (a store re-rolls the last 48 h when it opens).
  await again.rollup(NOW)
  expect((await again.history(levels('wl-a', NOW - 2 * DAY_MS, 2))).map((b) => [b.count, b.min, b.max])).toEqual([[2, 8, 9]])
  await again.close()
})

test('SQLite: rollups older than their own retention go too', async () => {
  let clock = NOW
  const store = new SqliteTelemetryStore(file(), { rawRetentionMs: 30 * DAY_MS, rollupRetentionMs: 60 * DAY_MS }, () => clock)
  await store.open()
  await store.write([level('wl-a', NOW - 10 * DAY_MS, 1), level('wl-a', NOW - 1000, 2)])
  await store.rollup(NOW)
  clock = NOW + 55 * DAY_MS // the first reading is 65 days old: past both retentions
  await store.applyRetention(clock)
  expect((await store.history(levels('wl-a', NOW - 20 * DAY_MS))).map((b) => [b.count, b.min])).toEqual([[1, 2]])
  await store.close()
})

test('SQLite: the hourly rollup and the retention read samples by primary-key range, never the whole table', async () => {
  const path = file()
  const store = new SqliteTelemetryStore(path, retention, () => NOW)
  await store.open()
  await store.write([level('wl-a', NOW - 1000, 8)])
  const db = new Database(path, { readonly: true })
  try {
    for (const [name, sql] of Object.entries(MAINTENANCE_SQL)) {
      const args = (sql.match(/\?/g) ?? []).map(() => 0)
      const plan = db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...args).map((r) => r.detail)
      expect(plan.filter((step) => /^SCAN (samples|text_samples|x)\b/.test(step)), `${name}: ${plan.join(' | ')}`).toEqual([])
      expect(plan.some((step) => /SEARCH (samples|text_samples|x) USING PRIMARY KEY \(series_id=\? AND ts/.test(step)), `${name}: ${plan.join(' | ')}`).toBe(true)
    }
  } finally {
    db.close()
    await store.close()
  }
})

test('SQLite: a batch rolled back (a full disk, a bad value) leaves no new series behind; the device is stored whole later and apart from the next new device', async () => {
  const store = new SqliteTelemetryStore(file(), retention, () => NOW)
  await store.open()
  // The first readings of a new station, in a batch whose last sample SQLite refuses (NOT NULL):
  // the whole transaction, the station's new series row with it, is rolled back.
  const refused = { ...level('wl-b', NOW - 2000, 3), fields: { levelM: null as unknown as number } }
  expect(() => store.write([level('wl-new', NOW - 3000, 1), refused])).toThrow(/NOT NULL/)
  // Sent again (as the drain does), then another new station.
  await store.write([level('wl-new', NOW - 3000, 1)])
  await store.write([level('wl-next', NOW - 1000, 2)])
  const latest = await store.latest()
  expect(latest.get('wl-new')).toEqual({ levelM: { value: 1, ts: NOW - 3000 } })
  expect(latest.get('wl-next')).toEqual({ levelM: { value: 2, ts: NOW - 1000 } })
  expect((await store.history(levels('wl-new', NOW - HOUR_MS))).map((b) => b.count)).toEqual([1])
  await store.close()
})
