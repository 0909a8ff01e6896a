// Events out (issue #22): the example receiver of docs/examples runs as its own process; a real
// gateway sends it alarm changes, presence changes and bulletin states; every body it accepts
// matches the published schema (/api/webhook-events.json), and it refuses a forged one.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { WebhookEvent } from '../../gateway/notify/events-out.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

const SECRET = 'webhook-secret-for-the-example-0123'
let receiver: ChildProcess
let t: TestGateway
const received: Array<{ delivery: string; event: string; body: unknown }> = []
let port = 0

beforeAll(async () => {
  receiver = spawn(process.execPath, ['docs/examples/webhook-receiver.mjs'], { env: { ...process.env, WEBHOOK_SECRET: SECRET, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: receiver.stdout! })
  port = await new Promise<number>((resolve) => {
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as { listening?: number; delivery?: string; event?: string; body?: unknown }
      if (parsed.listening) resolve(parsed.listening)
      else received.push(parsed as typeof received[number])
    })
  })
  t = await startTestGateway({ webhookUrl: `http://127.0.0.1:${port}/`, webhookSecret: SECRET })
})
afterAll(async () => {
  await t.stop()
  receiver.kill()
})

async function until (what: () => boolean, label: string): Promise<void> {
  for (let i = 0; i < 300 && !what(); i++) await new Promise((r) => setTimeout(r, 100))
  expect(what(), label).toBe(true)
}

test('the example receiver gets alarm, presence and bulletin events, each valid against the published schema', async () => {
  const { id, secret } = t.addDevice('water_sensor')
  const client = await t.connect(id, secret)
  await client.publishAsync(`commune/v1/${id}/status`, JSON.stringify({ state: 'online' }), { qos: 1, retain: true })
  t.gw.alarms.reportVillage('Thôn Bắc', { type: 'broadcast_unconfirmed', active: true, details: { devices: [] } })
  const clip = await t.gw.broadcasts.audio.speak('Thông báo thử', 'north', 'vanthu')
  const speaker = t.addDevice('speaker').id
  t.gw.broadcasts.service.compose({ title: 'Thông báo', priority: 'routine', clipId: clip.id, targets: { devices: [speaker] } }, { actor: 'vanthu', role: 'official', mayApprove: false })
  await until(() => ['device.online', 'alarm.raised', 'broadcast.status'].every((e) => received.some((r) => r.event === e)), `events so far: ${received.map((r) => r.event).join(', ')}`)
  for (const r of received) expect(WebhookEvent.safeParse(r.body).error?.issues ?? [], r.event).toEqual([])
  expect(received.find((r) => r.event === 'device.online')!.body).toMatchObject({ device: { id, kind: 'water_sensor' } })
  expect(received.find((r) => r.event === 'broadcast.status')!.body).toMatchObject({ broadcast: { title: 'Thông báo', status: 'pending' } })
})

test('the published schema is the one the events are checked against, and the receiver refuses a forged or stale body', async () => {
  const schema = await (await fetch(`${t.httpUrl}/api/webhook-events.json`)).json() as { oneOf?: unknown[]; anyOf?: unknown[] }
  expect((schema.oneOf ?? schema.anyOf)?.length).toBe(4)
  const body = JSON.stringify({ id: 1, event: 'alarm.cleared', text: 'x', sentAt: new Date().toISOString() })
  const forged = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers: { 'x-gateway-timestamp': String(Date.now()), 'x-gateway-signature': 'sha256=' + '0'.repeat(64) } })
  expect(forged.status).toBe(401)
  const { signature } = await import('../../gateway/notify/channels.js')
  const old = String(Date.now() - 10 * 60_000)
  const stale = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers: { 'x-gateway-timestamp': old, 'x-gateway-signature': signature(SECRET, old, body) } })
  expect(stale.status).toBe(401)
})
