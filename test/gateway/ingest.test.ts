// Every message is checked against the contract: good ones are stored, bad ones dropped
// with a reason, counted, logged at most once per device and reason per minute, and nothing stalls.
import { PassThrough } from 'node:stream'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
const logLines: Array<Record<string, unknown>> = []
beforeAll(async () => {
  const log = new PassThrough()
  log.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>)
  })
  t = await startTestGateway({}, { log })
})
afterAll(async () => { await t.stop() })

const metric = async (name: string, reason: string): Promise<number> => {
  const text = await (await fetch(`${t.httpUrl}/metrics`)).text()
  return Number(new RegExp(`^${name}\\{reason="${reason}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
}
const latest = async (id: string) => (await t.gw.store.latest()).get(id)

async function device (kind: 'speaker' | 'camera' | 'water_sensor'): Promise<{ id: string; client: MqttClient }> {
  const { id, secret } = t.addDevice(kind)
  return { id, client: await t.connect(id, secret) }
}

test('valid telemetry of each kind is stored and becomes the device\'s latest values', async () => {
  const samples = {
    speaker: { volume: 70, playing: 'bulletin', playingPriority: 'emergency', amplifierFault: false, signalDbm: -81 },
    camera: { streamAlive: true, fps: 24.5, bitrateKbps: 2048, recording: true, storageState: 'ok', tamper: false },
    water_sensor: { levelM: 41.37, rainMm: 12.5, batteryPct: 76, batteryV: 12.6 }
  } as const
  for (const [kind, fields] of Object.entries(samples)) {
    const { id, client } = await device(kind as keyof typeof samples)
    await client.publishAsync(topics.telemetry(id), JSON.stringify(fields), { qos: 1 })
    await expect.poll(async () => Object.fromEntries(Object.entries(await latest(id) ?? {}).map(([k, v]) => [k, v.value]))).toEqual(fields)
    const api = await (await t.api(`/api/devices/${id}`)).json() as { latest: Record<string, { value: unknown }> }
    expect(Object.keys(api.latest).sort()).toEqual(Object.keys(fields).sort())
  }
})

test('bad payloads are acknowledged, dropped with their reason, and the connection goes on', async () => {
  const { id, client } = await device('water_sensor')
  const bad: Array<[string, string, string]> = [
    [topics.telemetry(id), '{"levelM": 4', 'not_json'],
    [topics.telemetry(id), 'mực nước 4m', 'not_json'],
    [topics.telemetry(id), '{"levelM": 4, "colour": "blue"}', 'schema'],
    [topics.telemetry(id), '{"levelM": "4"}', 'schema'],
    [topics.telemetry(id), '{"batteryPct": 140}', 'schema'],
    [topics.telemetry(id), '{}', 'schema'],
    [topics.telemetry(id), '[1, 2]', 'schema'],
    [topics.telemetry(id), '{"fps": 25}', 'schema'], // a camera's field from a water sensor
    [topics.event(id), '{"type": "tamper"}', 'schema'], // not an event a water sensor has
    [topics.status(id), '{"state": "sleeping"}', 'schema'],
    [`commune/v1/${id}/foo`, '{}', 'unknown_topic'],
    ['weather/today', '{}', 'unknown_topic']
  ]
  for (const [topic, payload, reason] of bad) {
    const before = await metric('gateway_messages_rejected_total', reason)
    await client.publishAsync(topic, payload, { qos: 1 }) // resolves on PUBACK
    expect(await metric('gateway_messages_rejected_total', reason), `${topic} ${payload}`).toBe(before + 1)
  }
  expect(await latest(id)).toBeUndefined()
  expect(t.gw.journal.depth).toBe(0)
  await client.publishAsync(topics.telemetry(id), '{"levelM": 4.5}', { qos: 1 })
  await expect.poll(async () => (await latest(id))?.levelM?.value).toBe(4.5)
})

test('drops are logged at most once per device and reason per minute', async () => {
  const a = await device('camera')
  const b = await device('camera')
  const dropsOf = (id: string) => logLines.filter((l) => l.msg === 'message dropped' && l.deviceId === id)
  for (let i = 0; i < 20; i++) await a.client.publishAsync(topics.telemetry(a.id), 'not json', { qos: 1 })
  await b.client.publishAsync(topics.telemetry(b.id), '{"fps": -1}', { qos: 1 })
  await expect.poll(() => dropsOf(b.id).length).toBe(1)
  expect(dropsOf(a.id)).toHaveLength(1)
  expect(dropsOf(a.id)[0]).toMatchObject({ reason: 'not_json' })
  expect(dropsOf(b.id)[0]).toMatchObject({ reason: 'schema', detail: expect.stringContaining('fps') as unknown })
})

test('device clocks: far future and 1970 are filed at receive time and counted; an hour ago is kept', async () => {
  const { id, client } = await device('water_sensor')
  const future = await metric('gateway_readings_restamped_total', 'future')
  const past = await metric('gateway_readings_restamped_total', 'past')
  const hourAgo = Date.now() - 3_600_000
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ ts: hourAgo, levelM: 1 }), { qos: 1 })
  const sent = Date.now()
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ ts: sent + 600_000, levelM: 2 }), { qos: 1 })
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ ts: 0, levelM: 3 }), { qos: 1 })
  expect(await metric('gateway_readings_restamped_total', 'future')).toBe(future + 1)
  expect(await metric('gateway_readings_restamped_total', 'past')).toBe(past + 1)
  await expect.poll(() => t.gw.journal.depth).toBe(0)
  const all = await t.gw.store.history({ deviceId: id, kind: 'water_sensor', field: 'levelM', from: 0, to: sent + 3_600_000, maxPoints: 10_000 })
  const recent = await t.gw.store.history({ deviceId: id, kind: 'water_sensor', field: 'levelM', from: sent - 1000, to: Date.now() + 1, maxPoints: 1 })
  expect(all.reduce((n, b) => n + b.count, 0)).toBe(3)
  expect(recent).toEqual([expect.objectContaining({ count: 2, min: 2, max: 3 })])
  const kept = await t.gw.store.history({ deviceId: id, kind: 'water_sensor', field: 'levelM', from: hourAgo, to: hourAgo + 1, maxPoints: 1 })
  expect(kept).toEqual([expect.objectContaining({ count: 1, min: 1 })])
})

test('events are stored; a status with firmware updates the device', async () => {
  const { id, client } = await device('camera')
  await client.publishAsync(topics.event(id), JSON.stringify({ type: 'tamper', message: 'ống kính bị che' }), { qos: 1 })
  await client.publishAsync(topics.status(id), JSON.stringify({ state: 'online', firmware: '2.4.1', model: 'IPC-T1' }), { qos: 1, retain: true })
  await expect.poll(async () => (await (await t.api(`/api/devices/${id}/events`)).json() as unknown[]).length).toBe(1)
  const events = await (await t.api(`/api/devices/${id}/events`)).json() as Array<{ type: string; message: string }>
  expect(events[0]).toMatchObject({ type: 'tamper', message: 'ống kính bị che' })
  const api = await (await t.api(`/api/devices/${id}`)).json() as { firmware: string; model: string; online: boolean }
  expect(api).toMatchObject({ firmware: '2.4.1', model: 'IPC-T1', online: true })
})
