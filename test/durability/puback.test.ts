// aedes writes the PUBACK before its `published` hook runs, so the gateway journals inside
// authorizePublish. This checks the order from outside: with the drain stopped, every
// acknowledged reading is already readable in journal.db from another connection.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway({ journalCommitMs: 20 }) })
afterAll(async () => { await t.stop() })

test('a PUBACK comes only after the reading is committed to the journal', async () => {
  await t.gw.drain.stop()
  const { id, secret } = t.addDevice('water_sensor')
  const client = await t.connect(id, secret)
  const journal = new Database(join(t.dataDir, 'journal.db'), { readonly: true })
  try {
    const count = journal.prepare<[string], { n: number }>("SELECT count(*) AS n FROM entries WHERE point LIKE '%' || ? || '%'")
    for (let i = 0; i < 20; i++) {
      const ts = Date.now() - 1000 + i
      await client.publishAsync(topics.telemetry(id), JSON.stringify({ ts, levelM: i }), { qos: 1 })
      expect(count.get(`"ts":${ts}`)!.n).toBe(1)
    }
  } finally {
    journal.close()
  }
  t.gw.drain.start()
  await expect.poll(() => t.gw.journal.depth).toBe(0)
})
