// Who may connect, publish and subscribe: real MQTT.js clients against the gateway's broker.
import { connectAsync, type IClientOptions } from 'mqtt'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { rawConnack } from '../support/raw-mqtt.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway() })
afterAll(async () => { await t.stop() })

/** The CONNACK refusal code MQTT.js reports, or 0 when the connection is accepted. */
async function connackCode (options: IClientOptions): Promise<number> {
  try {
    const client = await connectAsync(t.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, ...options })
    await client.endAsync()
    return 0
  } catch (err) {
    return (err as { code?: number }).code ?? -1
  }
}

const metric = async (name: string): Promise<number> => {
  const text = await (await fetch(`${t.httpUrl}/metrics`)).text()
  return Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
}

test('CONNACK: accepted with the right secret; 4 for a wrong one, an unknown device or none; 2 for a borrowed id', async () => {
  const { id, secret } = t.addDevice('camera')
  expect(await connackCode({ clientId: id, username: id, password: secret })).toBe(0)
  expect(await connackCode({ clientId: id, username: id, password: secret + 'x' })).toBe(4)
  expect(await connackCode({ clientId: 'cam-nobody', username: 'cam-nobody', password: secret })).toBe(4)
  expect(await connackCode({ clientId: id, username: id })).toBe(4)
  const other = t.addDevice('camera')
  expect(await connackCode({ clientId: other.id, username: id, password: secret })).toBe(2)
  // An empty client id with a persistent session is refused (MQTT-3.1.3-8). MQTT.js will
  // not send one, so the CONNECT is built by hand.
  expect(await rawConnack(t.gw.mqtt.tcp.port, { clientId: '', clean: false, username: id, password: secret })).toBe(2)
  expect(await rawConnack(t.gw.mqtt.tcp.port, { clientId: id, clean: false, username: id, password: secret })).toBe(0)
})

test('CONNACK 5 for a disabled device', async () => {
  const { id, secret } = t.addDevice('speaker')
  t.gw.registry.update(id, { enabled: false })
  expect(await connackCode({ clientId: id, username: id, password: secret })).toBe(5)
})

test('a device subscribes only to its own command topic', async () => {
  const a = t.addDevice('speaker')
  const b = t.addDevice('speaker')
  const client = await t.connect(a.id, a.secret)
  const grantedQos = (topic: string) => new Promise<number | undefined>((resolve) => {
    // MQTT.js reports a refused subscription as an error carrying the SUBACK.
    client.subscribe(topic, { qos: 1 }, (err, granted) => {
      resolve(err ? (err as { packet?: { granted?: number[] } }).packet?.granted?.[0] : granted?.[0]?.qos)
    })
  })
  expect(await grantedQos(topics.command(a.id))).toBe(1)
  for (const topic of [topics.command(b.id), '#', 'commune/v1/+/telemetry', topics.telemetry(a.id)]) {
    expect(await grantedQos(topic)).toBe(128)
  }
})

test('a device cannot publish as another: dropped, counted, nothing stored', async () => {
  const a = t.addDevice('water_sensor')
  const b = t.addDevice('water_sensor')
  const before = await metric('gateway_messages_rejected_total{reason="not_own_topic"}')
  const client = await t.connect(a.id, a.secret)
  await client.publishAsync(topics.telemetry(b.id), JSON.stringify({ levelM: 99 }), { qos: 1 })
  await client.publishAsync(topics.command(a.id), JSON.stringify({ id: 'x' }), { qos: 1 })
  await client.publishAsync(topics.telemetry(a.id), JSON.stringify({ levelM: 1 }), { qos: 1 })
  await expect.poll(() => t.gw.journal.depth).toBe(0)
  expect(await metric('gateway_messages_rejected_total{reason="not_own_topic"}')).toBe(before + 2)
  expect((await t.gw.store.latest()).get(b.id)).toBeUndefined()
  expect((await t.gw.store.latest()).get(a.id)?.levelM?.value).toBe(1)
})

test('a command reaches only its device', async () => {
  const a = t.addDevice('speaker')
  const b = t.addDevice('speaker')
  const received: Record<string, string[]> = { [a.id]: [], [b.id]: [] }
  for (const d of [a, b]) {
    const client = await t.connect(d.id, d.secret)
    client.on('message', (topic) => received[d.id]!.push(topic))
    await client.subscribeAsync(topics.command(d.id), { qos: 1 })
    await client.publishAsync(topics.status(d.id), '{"state":"online"}', { qos: 1, retain: true })
  }
  await t.gw.commands.send(a.id, { name: 'stop' })
  await expect.poll(() => received[a.id]).toEqual([topics.command(a.id)])
  expect(received[b.id]).toEqual([])
})

test('IPv6, and MQTT over WebSocket', async () => {
  const { id, secret } = t.addDevice('camera')
  const v6 = await connectAsync(`mqtt://[::1]:${t.gw.mqtt.tcp.port}`, { clientId: id, username: id, password: secret, reconnectPeriod: 0 })
  await v6.publishAsync(topics.telemetry(id), JSON.stringify({ fps: 20 }), { qos: 1 })
  await v6.endAsync()
  const ws = await connectAsync(`ws://127.0.0.1:${t.gw.mqtt.ws!.port}`, { clientId: id, username: id, password: secret, reconnectPeriod: 0 })
  await ws.publishAsync(topics.telemetry(id), JSON.stringify({ fps: 21 }), { qos: 1 })
  await ws.endAsync()
  await expect.poll(async () => (await t.gw.store.latest()).get(id)?.fps?.value).toBe(21)
})
