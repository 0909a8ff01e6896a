// A long outage overflows the uplink outbox's own budget: the box goes on acknowledging and
// storing locally, drops only the oldest readings from the outbox, and the province is told
// of the hole (a gap record) while alarms still arrive. Real cluster, gateway and stores.
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { startProvinceStack, uplinkSettings, type ProvinceStack } from '../support/province.js'
import { streamReadings } from '../support/stream.js'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js'

let stack: ProvinceStack
let proxy: TcpProxy
let t: TestGateway

beforeAll(async () => {
  stack = await startProvinceStack(['xa-bon', 'xa-nam'], inject('influxUrl'), { sweepMs: 3_600_000 })
  proxy = await startTcpProxy('127.0.0.1', stack.cluster.nodes[2]!.port)
  proxy.cut()
  // About 100 KB of outbox: a few hundred readings.
  t = await startTestGateway({ ...uplinkSettings(stack, 'xa-bon', [proxy.url]), uplinkBudgetMb: 0.1, uplinkReadingsKbps: 0, uplinkHeartbeatS: 1, uplinkAlarmWaitS: 0.5 })
}, 90_000)

afterAll(async () => {
  await t.stop()
  await proxy.close()
  await stack.stop()
})

test('an outage over the outbox budget drops only the oldest readings, keeps the alarms and shows as a gap at the province', { timeout: 90_000 }, async () => {
  const station = t.addDevice('water_sensor')
  const camera = t.addDevice('camera')
  const client = await t.connect(station.id, station.secret)
  const cam = await t.connect(camera.id, camera.secret)
  const t0 = Date.now() - 3_600_000
  const stream = streamReadings(client, station.id, t0, 32)
  await expect.poll(() => stream.acked.size, { timeout: 30_000 }).toBeGreaterThan(3000)
  await stream.stop()
  await cam.publishAsync(topics.telemetry(camera.id), JSON.stringify({ tamper: true }), { qos: 1 })
  // The alarm cannot go up: once it has waited too long, that is itself a local alarm.
  await expect.poll(() => t.gw.uplink!.health().lanes.alarms.oldestAgeS ?? 0).toBeGreaterThan(0.5)
  t.gw.uplink!.checkAlarmWait()
  // Alarm rules run after the PUBACK (issue #18), behind the stream's backlog here.
  await expect.poll(() => t.gw.alarmStore.active().map((a) => a.type).sort(), { timeout: 10_000 }).toEqual(['tamper', 'uplink_stalled'])
  const dropped = t.gw.uplink!.health().lanes.readings.droppedRows
  expect(dropped).toBeGreaterThan(1000)
  expect(t.gw.uplink!.health().outboxBytes).toBeLessThanOrEqual(0.1 * 1024 * 1024)
  // The box itself lost nothing and closed no connection.
  expect(client.connected).toBe(true)
  await expect.poll(() => t.gw.journal.depth, { timeout: 20_000 }).toBe(0)

  proxy.restore()
  await expect.poll(() => t.gw.uplink!.health().lanes.readings.pending, { timeout: 60_000 }).toBe(0)
  await expect.poll(async () => Number((await stack.sql<{ n: string | null }>("SELECT sum(count) AS n FROM gaps WHERE commune = 'xa-bon' AND lane = 'readings'"))[0]!.n ?? 0), { timeout: 20_000 }).toBe(dropped)
  await expect.poll(async () => (await stack.sql("SELECT 1 FROM alarms WHERE commune = 'xa-bon' AND type = 'tamper'")).length, { timeout: 20_000 }).toBe(1)
  await expect.poll(() => t.gw.uplink!.health().lanes.alarms.pending, { timeout: 20_000 }).toBe(0)
  t.gw.uplink!.checkAlarmWait()
  expect(t.gw.alarmStore.active().map((a) => a.type)).toEqual(['tamper'])

  const acked = [...stream.acked].sort((a, b) => a - b)
  await expect.poll(async () => (await stack.storedTimes('xa-bon', station.id)).length, { timeout: 30_000 }).toBe(acked.length - dropped)
  const stored = new Set(await stack.storedTimes('xa-bon', station.id))
  const missing = acked.filter((ts) => !stored.has(ts))
  expect(missing.length).toBe(dropped)
  // The newest readings are all there: what went missing is older than all of them.
  const newestMissing = Math.max(...missing)
  expect(acked.filter((ts) => ts > newestMissing).every((ts) => stored.has(ts))).toBe(true)
  expect(stored.has(acked.at(-1)!)).toBe(true)
  await client.endAsync()
  await cam.endAsync()
})

test('the province raises a silent commune, several level III stations of one basin, and clears them when they end', { timeout: 30_000 }, async () => {
  await expect.poll(async () => (await stack.sql("SELECT 1 FROM commune_health WHERE commune = 'xa-bon'")).length, { timeout: 20_000 }).toBe(1)
  const active = async (): Promise<string[]> => (await stack.sql<{ rule: string; subject: string }>("SELECT rule, subject FROM province_alarms WHERE state = 'active' ORDER BY rule, subject")).map((r) => `${r.rule}:${r.subject}`)
  // xa-nam has no box sending yet: silent. xa-bon's heartbeats arrive every second.
  await stack.service.rules.sweep(Date.now())
  expect(await active()).toEqual(['commune_silent:xa-nam'])
  await stack.service.rules.sweep(Date.now() + 600_000)
  expect(await active()).toEqual(['commune_silent:xa-bon', 'commune_silent:xa-nam'])

  for (const [commune, device] of [['xa-bon', 'wl-1'], ['xa-nam', 'wl-2']]) {
    await stack.sql(`INSERT INTO alarms (commune, alarm_id, version, change, type, severity, state, acknowledged, subject, device_id, received_at)
      VALUES ($1, 9000, 1, 'raised', 'level_3', 'critical', 'active', false, $2, $2, 0)`, [commune, device])
  }
  await stack.service.rules.sweep(Date.now())
  expect(await active()).toEqual(['basin_level_3:song-huong', 'commune_silent:xa-nam'])
  expect((await stack.sql<{ state: string }>("SELECT state FROM province_alarms WHERE rule = 'commune_silent' AND subject = 'xa-bon'"))[0]!.state).toBe('cleared')

  await stack.sql("UPDATE alarms SET state = 'cleared' WHERE alarm_id = 9000 AND commune = 'xa-nam'")
  await stack.service.rules.sweep(Date.now())
  expect(await active()).toEqual(['commune_silent:xa-nam'])
})
