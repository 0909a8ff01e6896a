import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
beforeAll(async () => {
  t = await startTestGateway({ presenceDebounceS: 0.5, heartbeatS_water_sensor: 1.5, heartbeatS_camera: 600 })
})
afterAll(async () => { await t.stop() })

const offlineWill = (id: string) => ({ topic: topics.status(id), payload: Buffer.from('{"state":"offline"}'), qos: 1 as const, retain: true })
const sayOnline = (client: MqttClient, id: string) =>
  client.publishAsync(topics.status(id), '{"state":"online"}', { qos: 1, retain: true })
const transitions = (id: string) => t.gw.presence.history(id, 10).reverse().map((c) => `${c.online ? 'online' : 'offline'}:${c.reason}`)

test('online from the status topic; offline by the last will after the debounce', async () => {
  const { id, secret } = t.addDevice('camera')
  const client = await t.connect(id, secret, { will: offlineWill(id) })
  await sayOnline(client, id)
  expect(t.gw.presence.get(id).online).toBe(true)
  client.stream.destroy() // the link dies: no DISCONNECT, so the broker publishes the will
  await expect.poll(() => transitions(id), { timeout: 5000 }).toEqual(['online:status', 'offline:will'])
  const api = await (await t.api(`/api/devices/${id}/presence`)).json() as { online: boolean; transitions: unknown[] }
  expect(api.online).toBe(false)
  expect(api.transitions).toHaveLength(2)
})

test('offline after the heartbeat timeout when a connected device goes silent', async () => {
  const { id, secret } = t.addDevice('water_sensor')
  const client = await t.connect(id, secret, { keepalive: 60 })
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ levelM: 3 }), { qos: 1 })
  expect(t.gw.presence.get(id).online).toBe(true)
  await expect.poll(() => transitions(id), { timeout: 6000 }).toEqual(['online:message', 'offline:heartbeat_timeout'])
  expect(client.connected).toBe(true)
})

test('a link that drops and comes back within the debounce makes no transition', async () => {
  const { id, secret } = t.addDevice('camera')
  for (let i = 0; i < 3; i++) {
    const client = await t.connect(id, secret, { will: offlineWill(id) })
    await sayOnline(client, id)
    client.stream.destroy()
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const last = await t.connect(id, secret, { will: offlineWill(id) })
  await sayOnline(last, id)
  await new Promise((resolve) => setTimeout(resolve, 1000)) // past the debounce
  expect(transitions(id)).toEqual(['online:status'])
  expect(t.gw.presence.get(id).online).toBe(true)
})

test('a device that says goodbye goes offline too', async () => {
  const { id, secret } = t.addDevice('camera')
  const client = await t.connect(id, secret)
  await sayOnline(client, id)
  await client.endAsync()
  await expect.poll(() => transitions(id), { timeout: 5000 }).toEqual(['online:status', 'offline:disconnected'])
})

test('presence is filtered in the device list', async () => {
  const { id, secret } = t.addDevice('camera')
  const client = await t.connect(id, secret)
  await sayOnline(client, id)
  const online = await (await t.api('/api/devices?online=true')).json() as Array<{ id: string }>
  const offline = await (await t.api('/api/devices?online=false')).json() as Array<{ id: string }>
  expect(online.map((d) => d.id)).toContain(id)
  expect(offline.map((d) => d.id)).not.toContain(id)
})

test('the live overview counts devices online by kind and village', async () => {
  const before = await (await t.api('/api/live')).json() as { total: number; online: number; byKind: Record<string, { total: number; online: number }> }
  const { id, secret } = t.addDevice('speaker', { village: 'Thôn Tây' })
  const client = await t.connect(id, secret)
  await sayOnline(client, id)
  const after = await (await t.api('/api/live')).json() as typeof before & { byVillage: Record<string, { total: number; online: number }> }
  expect(after.total).toBe(before.total + 1)
  expect(after.online).toBe(before.online + 1)
  expect(after.byKind.speaker).toEqual({ total: (before.byKind.speaker?.total ?? 0) + 1, online: (before.byKind.speaker?.online ?? 0) + 1 })
  expect(after.byVillage['Thôn Tây']).toEqual({ total: 1, online: 1, byKind: { speaker: { total: 1, online: 1 } } })
})
