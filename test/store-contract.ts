// The telemetry store contract: one suite, run on every implementation
// (store-sqlite.test.ts, store-influx.test.ts). A store that passes can replace the other.
import { afterEach, describe, expect, test } from 'vitest'
import { HOUR_MS } from '../gateway/store/buckets.js'
import type { RetentionSettings, TelemetryPoint, TelemetryStore } from '../gateway/store/telemetry-store.js'

export interface StoreFactoryOptions {
  retention: RetentionSettings
  now: () => number
}
export type StoreFactory = (options: StoreFactoryOptions) => Promise<TelemetryStore>

const DAY_MS = 24 * HOUR_MS
const MINUTE_MS = 60_000
/** A fixed "now" (2026-11-01 00:00 UTC) so every run files the same buckets. */
export const NOW = Date.UTC(2026, 10, 1)
const RETENTION: RetentionSettings = { rawRetentionMs: 90 * DAY_MS, rollupRetentionMs: 0 }

export const level = (deviceId: string, ts: number, levelM: number): TelemetryPoint => ({
  measurement: 'water_sensor', deviceId, kind: 'water_sensor', commune: 'Xã thử', village: 'Thôn Đông', ts, fields: { levelM }
})

/** Min/mean/max/count of the values whose time falls in each bucket, computed the plain way. */
function expectedBuckets (points: ReadonlyArray<{ ts: number; v: number }>, from: number, to: number, maxPoints: number) {
  const width = Math.max(1, Math.ceil((to - from) / maxPoints))
  const byIndex = new Map<number, number[]>()
  for (const p of points) {
    if (p.ts < from || p.ts >= to) continue
    const i = Math.floor((p.ts - from) / width)
    byIndex.set(i, [...(byIndex.get(i) ?? []), p.v])
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([i, vs]) => ({
    t: from + i * width, min: Math.min(...vs), max: Math.max(...vs), mean: vs.reduce((a, b) => a + b, 0) / vs.length, count: vs.length
  }))
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
      await s.write([
        { ...base, measurement: 'camera', deviceId: 'cam-a', ts: NOW - 2000, fields: { fps: 25, streamAlive: true, storageState: 'ok', uptimeS: 100 } },
        { ...base, measurement: 'camera', deviceId: 'cam-a', ts: NOW - 1000, fields: { fps: 12.5, streamAlive: false } },
        { ...base, measurement: 'camera', deviceId: 'cam-b', ts: NOW - 500, fields: { storageState: 'failed' } },
        level('wl-a', NOW - 3000, 41.25)
      ])
      const latest = await s.latest()
      expect(latest.get('cam-a')).toEqual({
        fps: { value: 12.5, ts: NOW - 1000 },
        streamAlive: { value: false, ts: NOW - 1000 },
        storageState: { value: 'ok', ts: NOW - 2000 },
        uptimeS: { value: 100, ts: NOW - 2000 }
      })
      expect(latest.get('cam-b')).toEqual({ storageState: { value: 'failed', ts: NOW - 500 } })
      expect(latest.get('wl-a')).toEqual({ levelM: { value: 41.25, ts: NOW - 3000 } })
    })

    test('writing the same reading twice keeps one, with the later values', async () => {
      const s = await open()
      await s.write([level('wl-a', NOW - 1000, 10)])
      await s.write([level('wl-a', NOW - 1000, 11)])
      const buckets = await s.history({ deviceId: 'wl-a', kind: 'water_sensor', field: 'levelM', from: NOW - 2000, to: NOW, maxPoints: 1 })
      expect(buckets).toEqual([expect.objectContaining({ count: 1, min: 11, max: 11, mean: 11 })])
    })

    test('history is downsampled to at most N buckets with exact min, mean, max and count', async () => {
      const s = await open()
      const from = NOW - 6 * HOUR_MS
      const points = Array.from({ length: 2000 }, (_, i) => ({ ts: from + i * 9_000 + (i % 7), v: Math.round(Math.sin(i / 40) * 1000) / 100 + 30 }))
      await s.write(points.map((p) => level('wl-a', p.ts, p.v)))
      for (const maxPoints of [1, 7, 100]) {
        const q = { deviceId: 'wl-a', kind: 'water_sensor' as const, field: 'levelM', from: from + 12_345, to: NOW - 777, maxPoints }
        const got = await s.history(q)
        const want = expectedBuckets(points, q.from, q.to, maxPoints)
        expect(got.length).toBeLessThanOrEqual(maxPoints)
        expect(got.map((b) => [b.t, b.count, b.min, b.max])).toEqual(want.map((b) => [b.t, b.count, b.min, b.max]))
        got.forEach((b, i) => expect(b.mean).toBeCloseTo(want[i]!.mean, 9))
      }
    })

    test('a range is half-open: a reading at "from" counts, one at "to" does not', async () => {
      const s = await open()
      const from = NOW - 10 * MINUTE_MS
      const to = NOW - 5 * MINUTE_MS
      await s.write([level('wl-a', from - 1, 1), level('wl-a', from, 2), level('wl-a', to - 1, 3), level('wl-a', to, 4)])
      const buckets = await s.history({ deviceId: 'wl-a', kind: 'water_sensor', field: 'levelM', from, to, maxPoints: 1 })
      expect(buckets).toEqual([{ t: from, count: 2, min: 2, max: 3, mean: 2.5 }])
    })

    test('history of other devices and fields stays apart; no data is an empty list', async () => {
      const s = await open()
      await s.write([level('wl-a', NOW - 1000, 5), level('wl-b', NOW - 1000, 50)])
      const q = { kind: 'water_sensor' as const, field: 'levelM', from: NOW - HOUR_MS, to: NOW, maxPoints: 10 }
      expect((await s.history({ ...q, deviceId: 'wl-b' })).map((b) => b.max)).toEqual([50])
      expect(await s.history({ ...q, deviceId: 'wl-c' })).toEqual([])
      expect(await s.history({ ...q, deviceId: 'wl-a', field: 'rainMm' })).toEqual([])
    })

    test('a year of one-minute readings comes back chart-sized after rollup', { timeout: 120_000 }, async () => {
      // Raw readings kept for the whole year here: InfluxDB refuses points older than the
      // raw retention policy (real ingest never sends such: the clock tolerance is shorter).
      const s = await open({ retention: { rawRetentionMs: 400 * DAY_MS, rollupRetentionMs: 0 } })
      const from = NOW - 365 * DAY_MS
      const count = 365 * 24 * 60
      const valueAt = (i: number) => 20 + (i % 1440) / 100 // a daily ramp from 20 to 34.39 m
      for (let start = 0; start < count; start += 10_000) {
        const batch: TelemetryPoint[] = []
        for (let i = start; i < Math.min(count, start + 10_000); i++) batch.push(level('wl-year', from + i * MINUTE_MS, valueAt(i)))
        await s.write(batch)
      }
      await s.rollup(NOW)
      const buckets = await s.history({ deviceId: 'wl-year', kind: 'water_sensor', field: 'levelM', from, to: NOW, maxPoints: 500 })
      expect(buckets.length).toBeLessThanOrEqual(500)
      expect(buckets.length).toBeGreaterThan(400)
      expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(count)
      expect(Math.min(...buckets.map((b) => b.min))).toBe(20)
      expect(Math.max(...buckets.map((b) => b.max))).toBeCloseTo(34.39, 9)
    })

    test('a reading arriving late, after its hour was rolled up, is rolled up again', async () => {
      const s = await open()
      const hour = NOW - 30 * DAY_MS // older than a day, so long ranges read the rollup
      await s.write([level('wl-a', hour + MINUTE_MS, 10), level('wl-a', hour + 2 * MINUTE_MS, 20)])
      await s.rollup(NOW)
      const q = { deviceId: 'wl-a', kind: 'water_sensor' as const, field: 'levelM', from: NOW - 60 * DAY_MS, to: NOW, maxPoints: 10 }
      expect((await s.history(q)).map((b) => [b.count, b.min, b.max])).toEqual([[2, 10, 20]])
      await s.write([level('wl-a', hour + 3 * MINUTE_MS, 90)]) // drained late from the journal
      await s.rollup(NOW)
      expect((await s.history(q)).map((b) => [b.count, b.min, b.max])).toEqual([[3, 10, 90]])
    })

    test('events are listed newest first, within the range, up to the limit', async () => {
      const s = await open()
      const event = (ts: number, type: string, message?: string): TelemetryPoint => ({
        measurement: 'event', deviceId: 'cam-a', kind: 'camera', commune: 'Xã thử', village: 'Thôn Đông', ts,
        fields: message === undefined ? { type } : { type, message }
      })
      await s.write([event(NOW - 3000, 'tamper', 'ống kính bị che'), event(NOW - 2000, 'tamper_cleared'), event(NOW - 1000, 'reboot')])
      expect(await s.events({ deviceId: 'cam-a', from: NOW - 5000, to: NOW, limit: 2 })).toEqual([
        { ts: NOW - 1000, type: 'reboot' }, { ts: NOW - 2000, type: 'tamper_cleared' }
      ])
      expect(await s.events({ deviceId: 'cam-a', from: NOW - 5000, to: NOW - 2000, limit: 10 })).toEqual([
        { ts: NOW - 3000, type: 'tamper', message: 'ống kính bị che' }
      ])
      expect(await s.events({ deviceId: 'cam-b', from: 0, to: NOW, limit: 10 })).toEqual([])
    })
  })
}
