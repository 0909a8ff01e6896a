import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import type { TelemetryPoint } from '../store/telemetry-store.js'
import { Journal, JournalFullError } from './journal.js'

const dir = mkdtempSync(join(tmpdir(), 'gw-journal-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const file = () => join(dir, `journal-${++n}.db`)
const point = (ts: number): TelemetryPoint => ({
  measurement: 'water_sensor', deviceId: 'wl-01', kind: 'water_sensor', commune: 'Xã', village: 'Thôn', ts, fields: { levelM: ts / 1000 }
})

test('appends in one window share a commit; entries come back in order and survive a reopen', async () => {
  const path = file()
  const journal = new Journal(path, { budgetBytes: 1e6, commitMs: 5 })
  await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append(point(i))))
  expect(journal.depth).toBe(100)
  journal.close()
  const again = new Journal(path, { budgetBytes: 1e6, commitMs: 5 })
  expect(again.depth).toBe(100)
  const batch = again.read(0, 40)
  expect(batch.map((e) => e.point.ts)).toEqual(Array.from({ length: 40 }, (_, i) => i))
  again.remove(batch)
  expect(again.depth).toBe(60)
  expect(again.read(0, 1)[0]!.point.ts).toBe(40)
  again.close()
})

test('the disk budget: a full journal refuses appends until entries leave', async () => {
  const journal = new Journal(file(), { budgetBytes: 2000, commitMs: 1 })
  const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => journal.append(point(i))))
  const accepted = results.filter((r) => r.status === 'fulfilled').length
  expect(accepted).toBeGreaterThan(5)
  expect(accepted).toBeLessThan(40)
  expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(JournalFullError) as unknown })
  expect(journal.usedBytes).toBeLessThanOrEqual(2000)
  expect(journal.depth).toBe(accepted)
  journal.remove(journal.read(0, accepted))
  expect(journal.usedBytes).toBe(0)
  await journal.append(point(99))
  journal.close()
})

test('quarantined entries leave the queue but stay in the file', async () => {
  const journal = new Journal(file(), { budgetBytes: 1e6, commitMs: 1 })
  await Promise.all([1, 2, 3].map((i) => journal.append(point(i))))
  journal.quarantine(journal.read(0, 2), 'field type conflict')
  expect(journal.depth).toBe(1)
  expect(journal.quarantined).toBe(2)
  expect(journal.read(0, 10).map((e) => e.point.ts)).toEqual([3])
  journal.close()
})
