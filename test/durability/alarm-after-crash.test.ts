// Issue #18: the rules run after the PUBACK, not before it. A gateway that dies between the
// two has acknowledged a reading the rules never saw; the journal recorded how far it handed
// readings over, so the next start hands that one over and its alarm still happens.
// The crash is a copy of journal.db and its write-ahead log taken right after the commit
// (what a power cut leaves on disk), put back before the start.
import { copyFileSync, existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { Journal } from '../../gateway/journal/journal.js'
import type { TelemetryPoint } from '../../gateway/store/telemetry-store.js'
import { startTestGateway } from '../support/gateway.js'

/** Commits a tampered camera's reading to a stopped gateway's journal; with `crash`, the file is left as the commit made it, before its hand-over was recorded. */
async function journalTamper (dataDir: string, cameraId: string, crash: boolean): Promise<void> {
  const file = join(dataDir, 'journal.db')
  const journal = await Journal.open(file, { budgetBytes: 1e6, commitMs: 1 })
  journal.onCommitted(() => undefined, () => undefined)
  const point: TelemetryPoint = { measurement: 'camera', deviceId: cameraId, kind: 'camera', commune: 'Xã thử', village: 'Thôn 1', ts: Date.now(), fields: { tamper: true } }
  await journal.append(point)
  const image = join(dataDir, 'crash-image')
  copyFileSync(file, image)
  if (existsSync(file + '-wal')) copyFileSync(file + '-wal', image + '-wal')
  await journal.close()
  if (!crash) return
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  copyFileSync(image, file)
  if (existsSync(image + '-wal')) copyFileSync(image + '-wal', file + '-wal')
}

for (const crash of [true, false]) {
  test(crash
    ? 'a reading acknowledged just before a crash, never seen by the rules, raises its alarm at the next start'
    : 'a reading already handed over before a clean stop is not handed over again', { timeout: 60_000 }, async () => {
    let t = await startTestGateway()
    const { id } = t.addDevice('camera')
    const { dataDir } = t
    await t.stop({ keepData: true })
    await journalTamper(dataDir, id, crash)

    t = await startTestGateway({ dataDir })
    try {
      // Stored either way: the journal drains what it holds.
      await expect.poll(() => t.gw.journal.depth, { timeout: 20_000 }).toBe(0)
      expect(t.gw.alarms.activeAlarms().map((a) => [a.subject, a.type])).toEqual(crash ? [[id, 'tamper']] : [])
    } finally {
      await t.stop()
    }
  })
}
