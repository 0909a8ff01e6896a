// Escalation with a clock the test moves, and notifications delivered over real HTTP: the
// webhook's signature checked by a real local server, a failing receiver retried with
// backoff, people reached by their own choices, quiet hours that never hold back a critical alarm.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../gateway/db/database.js'
import { STATE_MIGRATIONS } from '../../gateway/db/state-schema.js'
import { signature, smsChannel, webhookChannel, zaloChannel, type Channel, type ChannelName } from '../../gateway/notify/channels.js'
import { Outbox } from '../../gateway/notify/outbox.js'
import { notBefore, NotificationPrefs } from '../../gateway/notify/prefs.js'
import { createLogger } from '../../gateway/log.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser } from '../support/people.js'

interface Received { headers: IncomingMessage['headers']; body: string }
let server: Server
let received: Received[]
let failFirst = 0
let answer = '{"error":0}'
let url: string
beforeEach(async () => {
  received = []
  failFirst = 0
  answer = '{"error":0}'
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => {
      if (failFirst > 0) { failFirst--; res.writeHead(500).end('busy'); return }
      received.push({ headers: req.headers, body })
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
})
let t: TestGateway | null = null
afterEach(async () => {
  vi.useRealTimers()
  await t?.stop()
  t = null
  server.close()
})

const SECRET = 'webhook-secret-0123456789'

test('every alarm change reaches the webhook, signed: the receiver recomputes the HMAC', { timeout: 30_000 }, async () => {
  t = await startTestGateway({ webhookUrl: url, webhookSecret: SECRET })
  const { id, secret } = t.addDevice('camera')
  const camera = await t.connect(id, secret)
  await camera.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ tamper: true }), { qos: 1 })
  // The camera coming online is an event too (device.online, issue #22): the alarm is the first alarm.* one.
  const alarms = () => received.filter((r) => String(r.headers['x-gateway-event']).startsWith('alarm.'))
  await expect.poll(() => alarms().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
  const first = alarms()[0]!
  expect(first.headers['x-gateway-event']).toBe('alarm.raised')
  expect(first.headers['x-gateway-signature']).toBe(signature(SECRET, String(first.headers['x-gateway-timestamp']), first.body))
  expect(signature('another-secret-000000', String(first.headers['x-gateway-timestamp']), first.body)).not.toBe(first.headers['x-gateway-signature'])
  const body = JSON.parse(first.body) as { alarm: { type: string; severity: string; deviceId: string }; text: string }
  expect(body.alarm).toMatchObject({ type: 'tamper', severity: 'critical', deviceId: id })
  expect(body.text).toContain('KHẨN CẤP')
  // The tamper ends: the clear goes out too, and each delivery is recorded.
  await camera.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ tamper: false }), { qos: 1 })
  await expect.poll(() => received.map((r) => r.headers['x-gateway-event'])).toContain('alarm.cleared')
  await expect.poll(() => t!.gw.outbox.list(10).every((d) => d.status === 'delivered')).toBe(true)
})

test('a receiver that fails is retried with backoff, and every attempt is recorded', async () => {
  failFirst = 2
  const channels = new Map<ChannelName, Channel>([['webhook', webhookChannel(SECRET)]])
  const dir = mkdtempSync(join(tmpdir(), 'gw-outbox-'))
  const db = openDatabase(join(dir, 'state.db'), { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  const outbox = new Outbox(db, channels, createLogger('silent'), { backoffMs: 50, maxBackoffMs: 200, maxAttempts: 5, pollMs: 20 })
  outbox.start()
  outbox.enqueue(null, 'webhook', url, { event: 'alarm.raised', alarm: {}, text: 'thử' })
  await expect.poll(() => outbox.list(1)[0]?.status, { timeout: 5000 }).toBe('delivered')
  expect(outbox.list(1)[0]).toMatchObject({ attempts: 3, lastError: null })
  expect(received).toHaveLength(1)
  // A receiver that never answers well is given up after maxAttempts, with the reason kept.
  failFirst = 100
  outbox.enqueue(null, 'webhook', url, { event: 'alarm.raised', alarm: {}, text: 'thử' })
  await expect.poll(() => outbox.list(1)[0]?.status, { timeout: 5000 }).toBe('failed')
  expect(outbox.list(1)[0]).toMatchObject({ attempts: 5, lastError: 'HTTP 500: busy' })
  await outbox.stop()
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

test('unacknowledged alarms escalate to the officials, then the admins; acknowledging stops it', async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.UTC(2026, 10, 23, 3, 0)) // 10:00 in Hà Nội: no quiet hours involved
  t = await startTestGateway({ smsUrl: url, smsToken: 'sms-token-0123456789' })
  const gw = t.gw
  const person = async (role: 'police' | 'official' | 'admin', phone: string) => {
    const user = gw.users.byUsername(await addUser(gw, role))!
    gw.prefs.set(user.id, NotificationPrefs.parse({ phone, channels: ['sms'], minSeverity: 'warning' }))
  }
  await person('police', '0911000001')
  await person('official', '0911000002')
  await person('admin', '0911000003')
  const cam1 = t.addDevice('camera')
  const cam2 = t.addDevice('camera')
  const reading = (id: string) => ({ device: gw.registry.get(id)!, ts: Date.now(), receivedAt: Date.now(), clock: 'device' as const, fields: { streamAlive: false } })
  gw.alarms.onReading(reading(cam1.id))
  gw.alarms.onReading(reading(cam2.id))
  const phones = (alarmId: number) => gw.outbox.list(100, alarmId).filter((d) => d.channel === 'sms').map((d) => d.recipient).sort()
  const [a1, a2] = [cam1.id, cam2.id].map((id) => gw.alarmStore.list({ deviceId: id, limit: 1 })[0]!)
  expect(phones(a1!.id)).toEqual(['0911000001'])

  vi.setSystemTime(Date.now() + 10 * 60_000)
  gw.alarms.acknowledge(a2!.id, 'police1', 'đã cử người kiểm tra')
  gw.alarms.sweep()
  expect(phones(a1!.id)).toEqual(['0911000001'])

  vi.setSystemTime(Date.now() + 6 * 60_000) // 16 min after raising
  gw.alarms.sweep()
  expect(phones(a1!.id)).toEqual(['0911000001', '0911000002'])
  expect(gw.alarmStore.get(a1!.id)!.escalationLevel).toBe(1)
  vi.setSystemTime(Date.now() + 15 * 60_000)
  gw.alarms.sweep()
  expect(phones(a1!.id)).toEqual(['0911000001', '0911000002', '0911000003'])
  // The acknowledged one went to the police only, and its history says who and why.
  expect(phones(a2!.id)).toEqual(['0911000001'])
  expect(gw.alarmStore.history(a2!.id).map((h) => [h.what, h.comment])).toEqual([['raised', null], ['acknowledged', 'đã cử người kiểm tra']])
  // Nothing further after the last group.
  vi.setSystemTime(Date.now() + 60 * 60_000)
  gw.alarms.sweep()
  expect(gw.alarmStore.get(a1!.id)!.escalationLevel).toBe(2)
})

test('quiet hours hold back a minor notice until they end, never a critical one', () => {
  const prefs = NotificationPrefs.parse({ quietFrom: '22:00', quietTo: '06:00' })
  const at23h = Date.UTC(2026, 10, 23, 16, 0) // 23:00 in Hà Nội
  expect(notBefore(prefs, at23h)).toBe(Date.UTC(2026, 10, 23, 23, 0)) // 06:00 next morning
  expect(notBefore(prefs, Date.UTC(2026, 10, 23, 3, 0))).toBe(Date.UTC(2026, 10, 23, 3, 0))
  expect(notBefore(NotificationPrefs.parse({}), at23h)).toBe(at23h)
})

test('the SMS and Zalo adapters post what their gateways expect, and a Zalo error counts as a failure', async () => {
  await smsChannel(url, 'tok-123').send('0911000001', { event: 'alarm.raised', alarm: {}, text: 'Mực nước vượt báo động II' }, 1)
  expect(received[0]!.headers.authorization).toBe('Bearer tok-123')
  expect(JSON.parse(received[0]!.body)).toEqual({ to: '0911000001', text: 'Mực nước vượt báo động II' })
  await zaloChannel(url, 'oa-token').send('8412345678', { event: 'alarm.raised', alarm: {}, text: 'Vỡ đập' }, 2)
  expect(received[1]!.headers.access_token).toBe('oa-token')
  expect(JSON.parse(received[1]!.body)).toEqual({ recipient: { user_id: '8412345678' }, message: { text: 'Vỡ đập' } })
  answer = '{"error":-216,"message":"Access token is invalid"}'
  await expect(zaloChannel(url, 'old-token').send('8412345678', { event: 'alarm.raised', alarm: {}, text: 'x' }, 3)).rejects.toThrow('Zalo error -216')
})
