import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { createLogger } from '../log.js'
import { SqliteTelemetryStore } from '../store/sqlite-store.js'
import type { TelemetryPoint } from '../store/telemetry-store.js'
import { JournalDrain } from './drain.js'
import { Journal } from './journal.js'

const dir = mkdtempSync(join(tmpdir(), 'gw-drain-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const point = (ts: number): TelemetryPoint => ({
  measurement: 'water_sensor', deviceId: 'wl-01', kind: 'water_sensor', commune: 'Xã', village: 'Thôn', ts, fields: { levelM: ts / 1000 }
})

test('at a steady trickle the drain gathers between writes: a few large store commits, every reading stored', { timeout: 30_000 }, async () => {
  const journal = await Journal.open(join(dir, 'journal.db'), { budgetBytes: 1e7, commitMs: 1 })
  journal.onCommitted(() => undefined, () => undefined)
  const store = new SqliteTelemetryStore(join(dir, 'telemetry.db'), { rawRetentionMs: 0, rollupRetentionMs: 0 })
  await store.open()
  const writes: number[] = []
  const drain = new JournalDrain(journal, store, createLogger('silent'), { batch: 5000, gatherMs: 300 }, { stored: (points) => writes.push(points.length) })
  drain.start()
  const t0 = Date.now() - 3_600_000
  // 150 readings, one every 10 ms: about 1.5 s. Without gathering, the drain wrote every 50 ms (its idle pause) or faster.
  for (let i = 0; i < 150; i++) {
    await journal.append(point(t0 + i * 1000))
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  await expect.poll(() => writes.reduce((a, b) => a + b, 0), { timeout: 10_000 }).toBe(150)
  expect(writes.length).toBeLessThanOrEqual(10)
  await drain.stop()
  expect(journal.depth).toBe(0)
  const latest = await store.latest()
  expect(latest.get('wl-01')?.levelM).toEqual({ value: (t0 + 149 * 1000) / 1000, ts: t0 + 149 * 1000 })
  await store.close()
  await journal.close()
})
