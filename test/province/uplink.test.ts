// The commune's uplink against a real 3-node cluster: readings and alarms go up in their
// lanes, each batch once, under a stable id; the gateway's /metrics shows the progress.
import { connectAsync } from 'mqtt'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { configWith } from '../../gateway/config/load.js'
import { topics } from '../../gateway/contract/index.js'
import { READINGS_STREAM, EVENTS_STREAM } from '../../province/nats/streams.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { freePort } from '../support/ports.js'
import { startTestProvince, uplinkSettings, type TestProvince } from '../support/province.js'

let province: TestProvince
let t: TestGateway

beforeAll(async () => {
  province = await startTestProvince(['xa-dong'])
  t = await startTestGateway({ ...uplinkSettings(province, 'xa-dong'), uplinkReadingsKbps: 0 })
}, 60_000)

afterAll(async () => {
  await t.stop()
  await province.stop()
})

async function subjectsIn (stream: string): Promise<Array<{ subject: string; body: { lane: string; first: number; last: number; rows: Array<{ seq: number; body: unknown }> } }>> {
  const info = await province.jsm.streams.info(stream)
  const out = []
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await province.jsm.streams.getMessage(stream, { seq })
    out.push({ subject: m.subject, body: m.json<{ lane: string; first: number; last: number; rows: Array<{ seq: number; body: unknown }> }>() })
  }
  return out
}

test('readings and an alarm reach the provincial streams in their lanes, each row once and in order', async () => {
  const station = t.addDevice('water_sensor')
  const camera = t.addDevice('camera')
  const client = await connectAsync(t.mqttUrl, { clientId: station.id, username: station.id, password: station.secret, reconnectPeriod: 0 })
  const cam = await connectAsync(t.mqttUrl, { clientId: camera.id, username: camera.id, password: camera.secret, reconnectPeriod: 0 })
  const t0 = Date.now() - 10_000
  for (let i = 0; i < 500; i++) await client.publishAsync(topics.telemetry(station.id), JSON.stringify({ ts: t0 + i, levelM: 10 + i / 1000 }), { qos: 1 })
  await cam.publishAsync(topics.telemetry(camera.id), JSON.stringify({ tamper: true }), { qos: 1 })

  await expect.poll(async () => (await subjectsIn(READINGS_STREAM)).flatMap((m) => m.body.rows).length, { timeout: 20_000 }).toBe(501)
  const readings = await subjectsIn(READINGS_STREAM)
  expect(new Set(readings.map((m) => m.subject))).toEqual(new Set(['up.xa-dong.readings']))
  const seqs = readings.flatMap((m) => m.body.rows.map((r) => r.seq))
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
  const levels = readings.flatMap((m) => m.body.rows.map((r) => r.body as { deviceId: string; ts: number })).filter((p) => p.deviceId === station.id)
  expect(levels.map((p) => p.ts)).toEqual(Array.from({ length: 500 }, (_, i) => t0 + i))

  await expect.poll(async () => (await subjectsIn(EVENTS_STREAM)).filter((m) => m.subject === 'up.xa-dong.alarms').length, { timeout: 10_000 }).toBeGreaterThan(0)
  const alarm = (await subjectsIn(EVENTS_STREAM)).find((m) => m.subject === 'up.xa-dong.alarms')!
  expect(alarm.body.rows[0]!.body).toMatchObject({ type: 'alarm', change: 'raised', alarm: { type: 'tamper', deviceId: camera.id } })

  const metrics = await (await t.api('/metrics')).text()
  expect(metrics).toMatch(/gateway_uplink_connected 1/)
  expect(metrics).toMatch(/gateway_uplink_pending_rows\{lane="readings"\} 0/)
  expect(metrics).toMatch(/gateway_uplink_sent_rows\{lane="readings"\} 50\d/)
  const health = await (await t.api('/health')).json() as { status: string; uplink: { connected: boolean; lanes: Record<string, { pending: number }> } }
  expect(health).toMatchObject({ status: 'ok', uplink: { connected: true, lanes: { readings: { pending: 0 }, alarms: { pending: 0 } } } })
  await client.endAsync()
  await cam.endAsync()
})

test('the province asks for a replay: the box sends the lane again from the rows it kept', async () => {
  const before = t.gw.uplink!.health().lanes.readings
  expect(before.pending).toBe(0)
  const stored = (await province.jsm.streams.info(READINGS_STREAM)).state.messages
  await province.nc.jetstream().publish('down.xa-dong.replay', new TextEncoder().encode(JSON.stringify({ type: 'replay', lane: 'readings', fromSeq: 1 })))
  await expect.poll(() => t.gw.uplink!.health().lanes.readings.sentRows, { timeout: 20_000 }).toBe(before.sentRows * 2)
  expect(t.gw.uplink!.health().lanes.readings.pending).toBe(0)
  // Batched afresh (new ids), so the stream takes them again: what a province that lost them needs.
  expect((await province.jsm.streams.info(READINGS_STREAM)).state.messages).toBeGreaterThan(stored)
})

test('without uplink settings the gateway has no uplink and its health says nothing of one', async () => {
  const plain = await startTestGateway()
  try {
    expect(plain.gw.uplink).toBeNull()
    expect(await (await plain.api('/health')).json()).not.toHaveProperty('uplink')
    expect(await (await plain.api('/metrics')).text()).not.toMatch(/gateway_uplink_/)
  } finally {
    await plain.stop()
  }
})

test('a gateway whose province never answers acknowledges and stores as usual, queues for the province, and stops', async () => {
  const nowhere = await freePort()
  const alone = await startTestGateway({ ...uplinkSettings(province, 'xa-dong', [`nats://127.0.0.1:${nowhere}`]) })
  try {
    const station = alone.addDevice('water_sensor')
    const client = await alone.connect(station.id, station.secret)
    await client.publishAsync(topics.telemetry(station.id), JSON.stringify({ levelM: 12.5 }), { qos: 1 })
    await expect.poll(() => alone.gw.journal.depth).toBe(0)
    expect(alone.gw.uplink!.health()).toMatchObject({ connected: false, lanes: { readings: { pending: 1 } } })
    await client.endAsync()
  } finally {
    await alone.stop()
  }
})

test('settings that name a province but not the commune or its key stop the gateway with a clear message', () => {
  expect(() => configWith({ uplinkUrls: 'nats://127.0.0.1:4222' })).toThrow(/GATEWAY_UPLINK_URLS needs GATEWAY_UPLINK_COMMUNE and GATEWAY_UPLINK_SEED_FILE/)
  expect(() => configWith({ uplinkUrls: 'http://x', uplinkCommune: 'a', uplinkSeedFile: '/x' })).toThrow(/nats:\/\/ or tls:\/\//)
  expect(() => configWith({ uplinkUrls: 'nats://h:1', uplinkCommune: 'Xã A', uplinkSeedFile: '/x' })).toThrow(/GATEWAY_UPLINK_COMMUNE/)
})
