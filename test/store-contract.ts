// The telemetry store contract: one suite, run on every implementation
// (store-sqlite.test.ts, store-influx.test.ts). A store that passes can replace the other.
// Expected aggregates are computed here the plain way, never by the code under test.
import { afterEach, describe, expect, test } from 'vitest'
import type { HistoryBucket, RetentionSettings, TelemetryPoint, TelemetryStore } from '../gateway/store/telemetry-store.js'

export interface StoreFactoryOptions {
  retention: RetentionSettings
  now: () => number
}
export type StoreFactory = (options: StoreFactoryOptions) => Promise<TelemetryStore>

export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS
export const DAY_MS = 24 * HOUR_MS
/**
 * "Now" for the stores: the start of the current hour. It follows the real clock because
 * InfluxDB refuses points older than a retention policy by its own clock: a fixed date
 * would make these tests fail once the calendar passes it.
 */
export const NOW = Math.floor(Date.now() / HOUR_MS) * HOUR_MS
const TODAY = Math.floor(NOW / DAY_MS) * DAY_MS
const RETENTION: RetentionSettings = { rawRetentionMs: 90 * DAY_MS, rollupRetentionMs: 0 }

export const level = (deviceId: string, ts: number, levelM: number): TelemetryPoint => ({
  measurement: 'water_sensor', deviceId, kind: 'water_sensor', commune: 'Xã thử', village: 'Thôn Đông', ts, fields: { levelM }
})

interface Reading { ts: number; v: number }

/**
 * The buckets of [from, to) as the contract defines them: at most maxPoints buckets
 * [from + i·width, from + (i+1)·width), an hour or more wide only in whole hours.
 */
export function expectedBuckets (readings: readonly Reading[], from: number, to: number, maxPoints: number): HistoryBucket[] {
  let width = Math.max(1, Math.ceil((to - from) / maxPoints))
  if (width >= HOUR_MS) width = Math.ceil(width / HOUR_MS) * HOUR_MS
  const byIndex = new Map<number, { min: number; max: number; sum: number; count: number }>()
  for (const { ts, v } of readings) {
    if (ts < from || ts >= to) continue
    const i = Math.floor((ts - from) / width)
    const b = byIndex.get(i)
    if (!b) byIndex.set(i, { min: v, max: v, sum: v, count: 1 })
    else { b.min = Math.min(b.min, v); b.max = Math.max(b.max, v); b.sum += v; b.count++ }
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0])
    .map(([i, b]) => ({ t: from + i * width, min: b.min, mean: b.sum / b.count, max: b.max, count: b.count }))
}

/** Same times, counts, minima and maxima; means equal up to float rounding of the sums. */
function expectBuckets (got: readonly HistoryBucket[], want: readonly HistoryBucket[]): void {
  const exact = (bs: readonly HistoryBucket[]) => bs.map(({ t, count, min, max }) => ({ t, count, min, max }))
  expect(exact(got)).toEqual(exact(want))
  got.forEach((b, i) => expect(b.mean).toBeCloseTo(want[i]!.mean, 9))
}

const levelQuery = (deviceId: string, from: number, to: number, maxPoints: number) =>
  ({ deviceId, kind: 'water_sensor' as const, field: 'levelM', from, to, maxPoints })

/** One reading a minute from `start`, values from `value`. */
function minutes (start: number, count: number, value: (i: number) => number): Reading[] {
  return Array.from({ length: count }, (_, i) => ({ ts: start + i * MINUTE_MS, v: value(i) }))
}

export function storeContract (name: string, makeStore: StoreFactory): void {
  describe(`telemetry store contract: ${name}`, () => {
    let store: TelemetryStore | null = null
    const open = async (options: Partial<StoreFactoryOptions> = {}) => {
      store = await makeStore({ retention: RETENTION, now: () => NOW, ...options })
      await store.open()
      return store
    }
    afterEach(async () => { await store?.close(); store = null })

    test('latest values per device: numbers, booleans and enums, with their time; the latest wins', async () => {
      const s = await open()
      const base = { kind: 'camera' as const, commune: 'Xã thử', village: 'Thôn Tây' }
      // The newer reading is written first: time decides, not the order of writes.
      await s.write([
        { ...base, measurement: 'camera', deviceId: 'cam-a', ts: NOW - 1000, fields: { fps: 12.5, streamAlive: false } },
        { ...base, measurement: 'camera', deviceId: 'cam-b', ts: NOW - 500, fields: { storageState: 'failed' } },
        level('wl-a', NOW - 3000, 41.25)
      ])
      await s.write([{ ...base, measurement: 'camera', deviceId: 'cam-a', ts: NOW - 2000, fields: { fps: 25, streamAlive: true, storageState: 'ok', uptimeS: 100 } }])
      const latest = await s.latest()
      expect(latest.get('cam-a')).toEqual({
        fps: { value: 12.5, ts: NOW - 1000 },
        streamAlive: { value: false, ts: NOW - 1000 },
        storageState: { value: 'ok', ts: NOW - 2000 },
        uptimeS: { value: 100, ts: NOW - 2000 }
      })
      expect(latest.get('cam-b')).toEqual({ storageState: { value: 'failed', ts: NOW - 500 } })
      expect(latest.get('wl-a')).toEqual({ levelM: { value: 41.25, ts: NOW - 3000 } })
      expect([...latest.keys()].sort()).toEqual(['cam-a', 'cam-b', 'wl-a'])
    })

    test('writing the same reading twice keeps one, with the later values', async () => {
      const s = await open()
      const cam = (fps: number, tamper: boolean, storageState: string): TelemetryPoint => ({
        measurement: 'camera', deviceId: 'cam-a', kind: 'camera', commune: 'Xã thử', village: 'Thôn Tây', ts: NOW - 1000, fields: { fps, tamper, storageState }
      })
      await s.write([level('wl-a', NOW - 1000, 10), cam(25, false, 'ok')])
      await s.write([level('wl-a', NOW - 1000, 11), cam(5, true, 'degraded')]) // the journal's batch, written again
      expect(await s.history(levelQuery('wl-a', NOW - 2000, NOW, 1))).toEqual([{ t: NOW - 2000, count: 1, min: 11, max: 11, mean: 11 }])
      expect(await s.history({ ...levelQuery('cam-a', NOW - 2000, NOW, 10), kind: 'camera', field: 'fps' })).toEqual([
        expect.objectContaining({ count: 1, min: 5, max: 5 })
      ])
      const latest = await s.latest()
      expect(latest.get('wl-a')).toEqual({ levelM: { value: 11, ts: NOW - 1000 } })
      expect(latest.get('cam-a')).toEqual({
        fps: { value: 5, ts: NOW - 1000 }, tamper: { value: true, ts: NOW - 1000 }, storageState: { value: 'degraded', ts: NOW - 1000 }
      })
    })

    test('history is downsampled to at most N buckets with exact min, mean, max and count', async () => {
      const s = await open()
      const from = NOW - 6 * HOUR_MS
      const readings = Array.from({ length: 2000 }, (_, i) => ({ ts: from + i * 9_000 + (i % 7), v: Math.round(Math.sin(i / 40) * 1000) / 100 + 30 }))
      await s.write(readings.map((r) => level('wl-a', r.ts, r.v)))
      for (const maxPoints of [1, 2, 7, 100, 5000]) {
        const q = levelQuery('wl-a', from + 12_345, NOW - 777, maxPoints)
        const got = await s.history(q)
        expect(got.length).toBeLessThanOrEqual(maxPoints)
        expectBuckets(got, expectedBuckets(readings, q.from, q.to, maxPoints))
      }
    })

    test('a range is half-open: a reading at "from" counts, one at "to" does not', async () => {
      const s = await open()
      const from = NOW - 10 * MINUTE_MS
      const to = NOW - 5 * MINUTE_MS
      await s.write([level('wl-a', from - 1, 1), level('wl-a', from, 2), level('wl-a', to - 1, 3), level('wl-a', to, 4)])
      expect(await s.history(levelQuery('wl-a', from, to, 1))).toEqual([{ t: from, count: 2, min: 2, max: 3, mean: 2.5 }])
      expect(await s.history(levelQuery('wl-a', to, to + MINUTE_MS, 1))).toEqual([{ t: to, count: 1, min: 4, max: 4, mean: 4 }])
    })

    test('after a rollup, a long range still holds exactly the readings in [from, to), even inside an hour', async () => {
      const s = await open()
      const base = NOW - 10 * DAY_MS
      const readings = minutes(base, 6 * 60, (i) => 10 + (i % 37) / 4)
      await s.write(readings.map((r) => level('wl-a', r.ts, r.v)))
      await s.rollup(NOW)
      const ranges = [
        [base + 90 * MINUTE_MS + 30_000, base + 4 * HOUR_MS + 15 * MINUTE_MS, 1], // both ends inside an hour: one bucket of 3 h
        [base, base + 4 * HOUR_MS + 15 * MINUTE_MS + 1, 2], // on the hour: two buckets of 3 h
        [base - DAY_MS, base + 5 * HOUR_MS, 5]
      ] as const
      for (const [from, to, maxPoints] of ranges) {
        expectBuckets(await s.history(levelQuery('wl-a', from, to, maxPoints)), expectedBuckets(readings, from, to, maxPoints))
      }
    })

    test('history of other devices and fields stays apart; no data is an empty list', async () => {
      const s = await open()
      await s.write([level('wl-a', NOW - 1000, 5), level('wl-b', NOW - 1000, 50)])
      expect((await s.history(levelQuery('wl-b', NOW - HOUR_MS, NOW, 10))).map((b) => b.max)).toEqual([50])
      expect(await s.history(levelQuery('wl-c', NOW - HOUR_MS, NOW, 10))).toEqual([])
      expect(await s.history({ ...levelQuery('wl-a', NOW - HOUR_MS, NOW, 10), field: 'rainMm' })).toEqual([])
    })

    // 525,600 points: a few seconds on either store; the longer timeout is for a loaded CI box.
    test('a year of one-minute readings comes back chart-sized after rollup, every bucket exact', { timeout: 60_000 }, async () => {
      // Raw readings kept for the whole year here: InfluxDB refuses points older than the
      // raw retention policy (real ingest never sends such: the clock tolerance is shorter).
      const s = await open({ retention: { rawRetentionMs: 400 * DAY_MS, rollupRetentionMs: 0 } })
      const from = NOW - 365 * DAY_MS
      // A daily ramp from 20 m plus a slow rise over the year, so no two buckets look alike.
      const readings = minutes(from, 365 * 24 * 60, (i) => 20 + (i % 1440) / 100 + i / 100_003)
      for (let start = 0; start < readings.length; start += 5000) {
        await s.write(readings.slice(start, start + 5000).map((r) => level('wl-year', r.ts, r.v)))
      }
      await s.rollup(NOW)
      const got = await s.history(levelQuery('wl-year', from, NOW, 500))
      expect(got.length).toBeLessThanOrEqual(500)
      expect(got.reduce((n, b) => n + b.count, 0)).toBe(readings.length)
      expect(Math.min(...got.map((b) => b.min))).toBe(readings[0]!.v)
      expect(Math.max(...got.map((b) => b.max))).toBe(Math.max(...readings.slice(-1440).map((r) => r.v)))
      expectBuckets(got, expectedBuckets(readings, from, NOW, 500))
    })

    test('a reading arriving late, after its hour was rolled up, is rolled up again', async () => {
      const s = await open()
      const hour = NOW - 30 * DAY_MS // older than the 48 h a store re-rolls when it opens
      await s.write([level('wl-a', hour + MINUTE_MS, 10), level('wl-a', hour + 2 * MINUTE_MS, 20)])
      await s.rollup(NOW)
      const q = levelQuery('wl-a', NOW - 60 * DAY_MS, NOW, 10)
      expect((await s.history(q)).map((b) => [b.count, b.min, b.max])).toEqual([[2, 10, 20]])
      await s.write([level('wl-a', hour + 3 * MINUTE_MS, 90)]) // drained late from the journal
      await s.rollup(NOW)
      expect((await s.history(q)).map((b) => [b.count, b.min, b.max, b.mean])).toEqual([[3, 10, 90, 40]])
    })

    test('events are listed newest first, within the range, up to the limit', async () => {
      const s = await open()
      const event = (ts: number, type: string, message?: string): TelemetryPoint => ({
        measurement: 'event', deviceId: 'cam-a', kind: 'camera', commune: 'Xã thử', village: 'Thôn Đông', ts,
        fields: message === undefined ? { type } : { type, message }
      })
      await s.write([event(NOW - 3000, 'tamper', 'ống kính bị che'), event(NOW - 2000, 'tamper_cleared'), event(NOW - 1000, 'reboot')])
      await s.write([event(NOW - 4000, 'boot')])
      expect(await s.events({ deviceId: 'cam-a', from: NOW - 5000, to: NOW, limit: 2 })).toEqual([
        { ts: NOW - 1000, type: 'reboot' }, { ts: NOW - 2000, type: 'tamper_cleared' }
      ])
      expect(await s.events({ deviceId: 'cam-a', from: NOW - 4000, to: NOW - 2000, limit: 10 })).toEqual([
        { ts: NOW - 3000, type: 'tamper', message: 'ống kính bị che' }, { ts: NOW - 4000, type: 'boot' }
      ])
      expect(await s.events({ deviceId: 'cam-b', from: 0, to: NOW, limit: 10 })).toEqual([])
      expect((await s.latest()).has('cam-a')).toBe(false) // events are not telemetry
    })

    test('retention removes raw readings once rolled up; the rollups of that range still answer', async () => {
      let clock = NOW
      const s = await open({ now: () => clock })
      // Two hours from a UTC midnight four days ago: InfluxDB drops raw data a whole day (shard) at a time.
      const old = TODAY - 4 * DAY_MS
      const readings = minutes(old, 120, (i) => 5 + (i % 13) / 2)
      await s.write(readings.map((r) => level('wl-old', r.ts, r.v)))
      await s.write([level('wl-new', NOW - 1000, 8)])
      clock = TODAY + 89 * DAY_MS // the raw retention (90 days) now ends a day before TODAY
      await s.applyRetention(clock)
      expect((await s.latest()).has('wl-old')).toBe(true) // not rolled up yet: raw readings stay
      await s.rollup(NOW)
      await s.applyRetention(clock)
      const latest = await s.latest()
      expect(latest.has('wl-old')).toBe(false)
      expect(latest.get('wl-new')).toEqual({ levelM: { value: 8, ts: NOW - 1000 } })
      // Finer than an hour, the old range now shows its hourly rollups...
      const hourly = [0, 1].flatMap((h) => expectedBuckets(readings, old + h * HOUR_MS, old + (h + 1) * HOUR_MS, 1))
      expectBuckets(await s.history(levelQuery('wl-old', old, old + 2 * HOUR_MS, 7200)), hourly)
      // ...and a long view still has every reading.
      expectBuckets(await s.history(levelQuery('wl-old', TODAY - 8 * DAY_MS, TODAY, 4)), expectedBuckets(readings, TODAY - 8 * DAY_MS, TODAY, 4))
    })
  })
}
