// The drain's pace (issue #18): a store that keeps up is written in gathered batches, not once
// per trickle; a backlog goes on in full batches without pausing; a stop does not wait out the
// pause but stores what waited in it. A real journal and a real SQLite store.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, expect, test } from 'vitest'
import { createLogger } from '../log.js'
import { SqliteTelemetryStore } from '../store/sqlite-store.js'
import type { TelemetryPoint } from '../store/telemetry-store.js'
import { JournalDrain } from './drain.js'
import { Journal } from './journal.js'

const dir = mkdtempSync(join(tmpdir(), 'gw-drain-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const point = (ts: number): TelemetryPoint => ({
  measurement: 'water_sensor', deviceId: 'wl-01', kind: 'water_sensor', commune: 'Xã', village: 'Thôn', ts, fields: { levelM: ts / 1000 }
})

/** A real store that records the size of each batch it was given. */
async function setUp (drainOptions: { batch: number; gatherMs?: number }) {
  const journal = await Journal.open(join(dir, `journal-${++n}.db`), { budgetBytes: 1e7, commitMs: 2, thread: false })
  journal.onCommitted(() => undefined, () => undefined)
  const store = new SqliteTelemetryStore(join(dir, `store-${n}.db`), { rawRetentionMs: 86_400_000, rollupRetentionMs: 0 })
  await store.open()
  const batches: number[] = []
  const write = store.write.bind(store)
  store.write = (points) => { batches.push(points.length); return write(points) }
  const drain = new JournalDrain(journal, store, createLogger('silent'), drainOptions)
  drain.start()
  return { journal, store, drain, batches, stored: () => batches.reduce((a, b) => a + b, 0) }
}

test('a trickle of readings is stored in gathered batches, not one write per trickle', async () => {
  const { journal, store, drain, batches, stored } = await setUp({ batch: 5000 })
  // 40 readings over about 400 ms, as ten devices reporting every few seconds would send them.
  for (let i = 0; i < 40; i++) {
    await journal.append(point(1000 + i))
    await sleep(10)
  }
  await expect.poll(stored, { timeout: 5000 }).toBe(40)
  // Without the pause every commit of the journal would be its own write: about 40 here.
  expect(batches.length).toBeLessThanOrEqual(4)
  await drain.stop()
  await journal.close()
  await store.close()
})

test('a backlog goes on in full batches at once; a stop ends the pause and stores what waited in it', async () => {
  const { journal, store, drain, batches, stored } = await setUp({ batch: 10, gatherMs: 600_000 })
  await Promise.all(Array.from({ length: 35 }, (_, i) => journal.append(point(i))))
  // Full batches do not pause: all 35 are stored although the pause after a short batch is ten minutes.
  await expect.poll(stored, { timeout: 5000 }).toBe(35)
  expect(batches.slice(0, 3)).toEqual([10, 10, 10])
  await journal.append(point(99))
  await sleep(300)
  expect(stored()).toBe(35)
  const stopping = drain.stop()
  await expect(Promise.race([stopping.then(() => 'stopped'), sleep(5000).then(() => 'still waiting')])).resolves.toBe('stopped')
  expect(stored()).toBe(36)
  expect(journal.depth).toBe(0)
  await journal.close()
  await store.close()
})
