// The dashboard's live link over real MQTT and real socket.io: a snapshot on subscribe, then
// a few batched deltas a second however many messages arrive; presence changes pushed;
// the link closed when the session ends; other origins refused.
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DevicesDelta, Overview, SubscribeReply } from '../../gateway/realtime/protocol.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { signInAs } from '../support/people.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway({ presenceDebounceS: 0.2 }) })
afterAll(async () => { await t.stop() })

async function liveAs (role: 'police' | 'operator' | 'admin'): Promise<{ socket: Socket; cookie: string }> {
  const { cookie } = await signInAs(t.gw, t.httpUrl, role)
  const socket = connectSocket(t.httpUrl, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false })
  await new Promise<void>((resolve, reject) => { socket.on('connect', resolve); socket.on('connect_error', reject) })
  return { socket, cookie }
}

test('a subscription answers with a snapshot, then 200 readings arrive as a handful of deltas', async () => {
  const { id, secret } = t.addDevice('camera')
  const device = await t.connect(id, secret)
  const { socket } = await liveAs('police')
  const snapshot = await socket.emitWithAck('subscribe', 'camera') as SubscribeReply
  expect(snapshot.ok && snapshot.channel === 'camera' && snapshot.devices.map((d) => d.id)).toContain(id)

  // A channel that does not exist is refused with a reason, and the link stays up.
  expect(await socket.emitWithAck('subscribe', 'weather')).toEqual({ ok: false, code: 'VALIDATION', message: 'no channel weather' })

  const deltas: DevicesDelta[] = []
  socket.on('devices', (d: DevicesDelta) => deltas.push(d))
  const started = Date.now()
  for (let i = 1; i <= 200; i++) await device.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ fps: i % 30, streamAlive: true }), { qos: 1 })
  const last = 200 % 30
  await expect.poll(() => deltas.at(-1)?.devices.find((d) => d.id === id)?.latest.fps?.value, { timeout: 5000 }).toBe(last)
  const seconds = (Date.now() - started) / 1000
  // At most four a second (250 ms batches), plus one for the partial batches at either end.
  expect(deltas.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2)
  expect(deltas.length).toBeLessThan(200)
  socket.disconnect()
})

test('going offline is pushed to the kind\'s room and to the overview', async () => {
  const { id, secret } = t.addDevice('water_sensor')
  const device = await t.connect(id, secret)
  await device.publishAsync(`commune/v1/${id}/status`, JSON.stringify({ state: 'online' }), { qos: 1, retain: true })
  const { socket } = await liveAs('operator')
  const overviews: Overview[] = []
  socket.on('overview', (o: Overview) => overviews.push(o))
  const deltas: DevicesDelta[] = []
  socket.on('devices', (d: DevicesDelta) => deltas.push(d))
  await socket.emitWithAck('subscribe', 'overview')
  await socket.emitWithAck('subscribe', 'water_sensor')
  await expect.poll(() => t.gw.presence.get(id).online).toBe(true)

  await device.endAsync(true)
  await expect.poll(() => deltas.flatMap((d) => d.devices).find((d) => d.id === id && !d.online)?.attention.map((a) => a.code), { timeout: 5000 }).toContain('offline')
  await expect.poll(() => overviews.at(-1)?.attention.some((a) => a.id === id), { timeout: 5000 }).toBe(true)
  // The operator's overview holds water stations only.
  expect(Object.keys(overviews.at(-1)!.byKind)).toEqual(['water_sensor'])
  socket.disconnect()
})

test('logging out closes the live link of that session', async () => {
  const { socket, cookie } = await liveAs('admin')
  const closed = new Promise<string>((resolve) => socket.on('disconnect', resolve))
  const csrf = (await (await fetch(`${t.httpUrl}/api/session`, { headers: { cookie } })).json() as { csrfToken: string }).csrfToken
  expect((await fetch(`${t.httpUrl}/api/session`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrf } })).status).toBe(204)
  expect(await closed).toBe('io server disconnect')
})

test('a page on another origin cannot open the live link with the user\'s cookie', async () => {
  const { cookie } = await signInAs(t.gw, t.httpUrl, 'police')
  const socket = connectSocket(t.httpUrl, { transports: ['websocket'], extraHeaders: { cookie, origin: 'http://evil.example' }, reconnection: false })
  const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve))
  expect(error.message).toMatch(/websocket error|cross-origin|xhr poll error/i)
  expect(socket.connected).toBe(false)
  socket.disconnect()
  // The same cookie from the gateway's own origin is let in.
  const own = connectSocket(t.httpUrl, { transports: ['websocket'], extraHeaders: { cookie, origin: t.httpUrl }, reconnection: false })
  await new Promise<void>((resolve, reject) => { own.on('connect', resolve); own.on('connect_error', reject) })
  own.disconnect()
})
