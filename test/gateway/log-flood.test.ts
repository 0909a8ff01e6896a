// Issue #12: a client cannot size the gateway's log. Strings from clients are clipped and
// repeated warnings are rate-limited per client and reason, with a count of what was held.
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { hostileConnect } from '../support/hostile-mqtt.js'

let t: TestGateway
let lines: string[] = []
beforeAll(async () => {
  const log = new PassThrough()
  // What a box logs at its default level (info): debug lines are left out of the count.
  log.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line && (JSON.parse(line) as { level: number }).level >= 30) lines.push(line)
  })
  t = await startTestGateway({}, { log })
})
afterAll(async () => { await t.stop() })

const bytes = (of: string[]): number => of.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0)
/** What was logged while `run` ran. */
async function logged (run: () => Promise<void>): Promise<string[]> {
  lines = []
  await run()
  await new Promise((resolve) => setTimeout(resolve, 200)) // pino writes asynchronously
  return lines
}

test('1,000 CONNECTs with 30 KB client ids write a few short lines, not 60 MB', { timeout: 120_000 }, async () => {
  const port = t.gw.mqtt.tcp.port
  const out = await logged(async () => {
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => {
        const id = `${i + j}-` + 'x'.repeat(30_000)
        return j % 2 === 0
          ? hostileConnect(port, { clientId: id, username: id, password: 'wrong' })
          : hostileConnect(port, { clientId: id, username: 'someone', password: 'wrong' })
      }))
    }
  })
  console.log(`1,000 hostile CONNECTs: ${out.length} log lines, ${bytes(out)} bytes`)
  expect(bytes(out)).toBeLessThan(20_000)
  for (const line of out) expect(line.length).toBeLessThan(1000)
  // The operator still learns that it happened, and how often.
  expect(out.length).toBeGreaterThan(0)
})

test('a device flooding forbidden subscriptions with 20 KB filters logs one short line a minute', async () => {
  const { id, secret } = t.addDevice('speaker')
  const client = await t.connect(id, secret)
  const out = await logged(async () => {
    // SUBACK 0x80 rejects in MQTT.js; the refusal itself is the broker's answer here.
    for (let i = 0; i < 200; i++) await client.subscribeAsync(`${i}/` + 'f'.repeat(20_000)).catch(() => undefined)
  })
  const refusals = out.filter((l) => l.includes('refused subscription'))
  console.log(`200 forbidden SUBSCRIBEs: ${out.length} log lines, ${bytes(out)} bytes`)
  expect(refusals).toHaveLength(1)
  expect(bytes(out)).toBeLessThan(2_000)
})

test('replies to unknown commands log one short line a minute per device', async () => {
  const { id, secret } = t.addDevice('speaker')
  const client = await t.connect(id, secret)
  const out = await logged(async () => {
    for (let i = 0; i < 200; i++) {
      await client.publishAsync(topics.reply(id), JSON.stringify({ id: `made-up-${i}-` + 'c'.repeat(50), status: 'done' }), { qos: 1 })
    }
  })
  console.log(`200 replies to unknown commands: ${out.length} log lines, ${bytes(out)} bytes`)
  expect(out.filter((l) => l.includes('reply to an unknown command'))).toHaveLength(1)
  expect(bytes(out)).toBeLessThan(2_000)
})
