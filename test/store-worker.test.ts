// The embedded store on its worker thread answers exactly as the store itself does, through
// the same interface, and a failure inside the thread comes back as a rejected promise.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { SqliteTelemetryStore } from '../gateway/store/sqlite-store.js'
import type { TelemetryPoint } from '../gateway/store/telemetry-store.js'
import { WorkerTelemetryStore } from '../gateway/store/worker-store.js'
import { HOUR_MS, NOW } from './store-contract.js'

const dir = mkdtempSync(join(tmpdir(), 'store-worker-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const retention = { rawRetentionMs: 90 * 86_400_000, rollupRetentionMs: 0 }

const points: TelemetryPoint[] = Array.from({ length: 600 }, (_, i) => ({
  measurement: 'water_sensor', deviceId: `wl-${i % 3}`, kind: 'water_sensor', commune: 'Xã thử', village: 'Thôn Đông',
  ts: NOW - 3 * HOUR_MS + i * 10_000, fields: { levelM: 20 + (i % 50) / 100, batteryPct: 80 }
}))
const event: TelemetryPoint = { measurement: 'event', deviceId: 'wl-0', kind: 'water_sensor', commune: 'Xã thử', village: 'Thôn Đông', ts: NOW - HOUR_MS, fields: { type: 'reboot' } }

test.each([false, true])('the worker store gives the same answers as the store itself (written with the journal\'s texts: %s)', async (texts) => {
  const direct = new SqliteTelemetryStore(join(dir, `direct-${texts}.db`), retention)
  const worker = new WorkerTelemetryStore(join(dir, `worker-${texts}.db`), retention)
  for (const s of [direct, worker]) {
    await s.open()
    // The drain hands over the journal's JSON texts with the points; the worker sends those across instead.
    await s.write(points, texts ? points.map((p) => JSON.stringify(p)) : undefined)
    await s.write([event], texts ? [JSON.stringify(event)] : undefined)
    await s.rollup(NOW)
  }
  const query = { deviceId: 'wl-1', kind: 'water_sensor' as const, field: 'levelM', from: NOW - 4 * HOUR_MS, to: NOW, maxPoints: 40 }
  expect(await worker.history(query)).toEqual(await direct.history(query))
  expect((await worker.history(query)).reduce((n, b) => n + b.count, 0)).toBe(200)
  expect(await worker.latest()).toEqual(await direct.latest())
  expect(await worker.events({ deviceId: 'wl-0', from: 0, to: NOW + 1, limit: 10 })).toEqual([{ ts: NOW - HOUR_MS, type: 'reboot' }])
  await direct.close()
  await worker.close()
})

test('a failure inside the thread rejects the call with its message', async () => {
  const worker = new WorkerTelemetryStore(join(dir, 'failing.db'), retention)
  await worker.open()
  // A value SQLite cannot bind (ingest never lets one through; the thread must still answer).
  const bad = { ...points[0]!, fields: { levelM: { deep: 1 } } } as unknown as TelemetryPoint
  await expect(worker.write([bad])).rejects.toThrow('Too few parameter values were provided')
  // The thread is still there for the next call.
  await worker.write(points.slice(0, 3))
  expect((await worker.latest()).size).toBe(3)
  await worker.close()
})
