import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { TelemetryPoint } from '../store/telemetry-store.js'
import { Journal, JournalFullError } from './journal.js'

const dir = mkdtempSync(join(tmpdir(), 'gw-journal-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const file = () => join(dir, `journal-${++n}.db`)
const point = (ts: number): TelemetryPoint => ({
  measurement: 'water_sensor', deviceId: 'wl-01', kind: 'water_sensor', commune: 'Xã', village: 'Thôn', ts, fields: { levelM: ts / 1000 }
})
const tick = () => new Promise((resolve) => setImmediate(resolve))

/** What a power cut leaves of the file right now: its database and write-ahead log as on disk. */
function crashImage (path: string): string {
  const copy = file()
  copyFileSync(path, copy)
  if (existsSync(path + '-wal')) copyFileSync(path + '-wal', copy + '-wal')
  return copy
}

// Every behaviour holds whether the file is on its own thread (the default) or on the caller's (with the uplink's tap).
describe.each([{ thread: true }, { thread: false }])('journal, thread: $thread', ({ thread }) => {
  test('appends in one window share a commit; entries come back in order and survive a reopen', async () => {
    const path = file()
    const journal = await Journal.open(path, { budgetBytes: 1e6, commitMs: 5, thread })
    journal.onCommitted(() => undefined, () => undefined)
    await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append(point(i))))
    expect(journal.depth).toBe(100)
    await journal.close()
    const again = await Journal.open(path, { budgetBytes: 1e6, commitMs: 5, thread })
    expect(again.depth).toBe(100)
    const batch = await again.read(40)
    expect(batch.points.map((p) => p.ts)).toEqual(Array.from({ length: 40 }, (_, i) => i))
    await again.remove(batch)
    expect(again.depth).toBe(60)
    expect((await again.read(1)).points[0]!.ts).toBe(40)
    await again.close()
  })

  test('the disk budget: a full journal refuses appends until entries leave', async () => {
    const journal = await Journal.open(file(), { budgetBytes: 2000, commitMs: 1, thread })
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => journal.append(point(i))))
    const accepted = results.filter((r) => r.status === 'fulfilled').length
    expect(accepted).toBeGreaterThan(5)
    expect(accepted).toBeLessThan(40)
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(JournalFullError) as unknown })
    expect(journal.usedBytes).toBeLessThanOrEqual(2000)
    expect(journal.depth).toBe(accepted)
    await tick()
    await journal.remove(await journal.read(accepted))
    expect(journal.usedBytes).toBe(0)
    await journal.append(point(99))
    await journal.close()
  })

  test('quarantined entries leave the queue but stay in the file', async () => {
    const journal = await Journal.open(file(), { budgetBytes: 1e6, commitMs: 1, thread })
    await Promise.all([1, 2, 3].map((i) => journal.append(point(i))))
    await tick()
    await journal.quarantine(await journal.read(2), 'field type conflict')
    expect(journal.depth).toBe(1)
    expect(journal.quarantined).toBe(2)
    expect((await journal.read(10)).points.map((p) => p.ts)).toEqual([3])
    await journal.close()
  })

  test('a committed entry is handed over after its append resolved, and the drain sees it only then', async () => {
    const journal = await Journal.open(file(), { budgetBytes: 1e6, commitMs: 1, thread })
    const order: string[] = []
    journal.onCommitted((p, note) => order.push(`announced ${p.ts} ${String(note)}`), () => undefined)
    await journal.append(point(1), 'note-1').then(() => order.push('acknowledged 1'))
    expect((await journal.read(10)).points).toEqual([])
    await tick()
    expect(order).toEqual(['acknowledged 1', 'announced 1 note-1'])
    expect((await journal.read(10)).points.map((p) => p.ts)).toEqual([1])
    await journal.close()
  })

  test('a large group is handed over a thousand entries per turn of the event loop, so the sockets are read in between', async () => {
    const journal = await Journal.open(file(), { budgetBytes: 1e7, commitMs: 1, maxBatch: 5000, thread })
    let announced = 0
    const between: number[] = []
    journal.onCommitted(() => {
      if (announced++ === 0) setImmediate(() => between.push(announced))
    }, () => undefined)
    await Promise.all(Array.from({ length: 5000 }, (_, i) => journal.append(point(i))))
    while (announced < 5000) await tick()
    expect(between).toEqual([1000])
    await journal.close()
  })

  test('when the hand-over falls behind, the next commits (and so their PUBACKs) wait for it', async () => {
    const journal = await Journal.open(file(), { budgetBytes: 1e8, commitMs: 1, announceBacklog: 300, thread })
    let acknowledged = 0
    let announced = 0
    let worst = 0
    journal.onCommitted(() => { announced++; worst = Math.max(worst, acknowledged - announced) }, () => undefined)
    // 40 devices, each with 50 readings in flight, sending more once those are acknowledged:
    // 2,000 per commit, twice what is handed over per turn of the event loop.
    let ts = 0
    const device = async (): Promise<void> => {
      for (let round = 0; round < 10; round++) {
        await Promise.all(Array.from({ length: 50 }, () => journal.append(point(ts++)).then(() => { acknowledged++ })))
      }
    }
    await Promise.all(Array.from({ length: 40 }, device))
    await journal.close()
    expect(announced).toBe(20_000)
    // The backlog, plus the readings in flight that joined the group as it waited.
    expect(worst).toBeLessThanOrEqual(300 + 2000)
  })

  test('entries a crash kept from being handed over are handed over at the next start, and only those', async () => {
    const path = file()
    const journal = await Journal.open(path, { budgetBytes: 1e6, commitMs: 1, thread })
    journal.onCommitted(() => undefined, () => undefined)
    await journal.append(point(1))
    await tick()
    await journal.append(point(2))
    // Acknowledged, not yet handed over: the process dies here.
    const crashed = crashImage(path)
    await tick()
    await journal.close()

    const after = await Journal.open(crashed, { budgetBytes: 1e6, commitMs: 1, thread })
    // Point 1's hand-over was recorded with point 2's commit; point 2's never was.
    expect(after.onCommitted(() => undefined, () => undefined).map((p) => p.ts)).toEqual([2])
    expect(after.depth).toBe(2)
    await after.close()
    // A clean stop records how far it got: nothing to hand over again.
    const clean = await Journal.open(path, { budgetBytes: 1e6, commitMs: 1, thread })
    expect(clean.onCommitted(() => undefined, () => undefined)).toEqual([])
    await clean.close()
  })

  test('past its memory the drain reads entries back from the file, in order', async () => {
    const journal = await Journal.open(file(), { budgetBytes: 1e6, commitMs: 1, thread, memoryEntries: 5 })
    journal.onCommitted(() => undefined, () => undefined)
    for (let i = 0; i < 4; i++) await Promise.all(Array.from({ length: 4 }, (_, j) => journal.append(point(i * 4 + j))))
    await tick()
    const seen: number[] = []
    for (;;) {
      const batch = await journal.read(3)
      if (batch.points.length === 0) break
      seen.push(...batch.points.map((p) => p.ts))
      await journal.remove(batch)
    }
    expect(seen).toEqual(Array.from({ length: 16 }, (_, i) => i))
    expect(journal.depth).toBe(0)
    await journal.close()
  })
})
