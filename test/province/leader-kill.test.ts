// The readings stream's leader is SIGKILLed while a commune catches up: the cluster elects
// another, the uplink retries its saved batch under the same id, the workers carry on, and
// the stores hold every acknowledged reading once. Real 3-node cluster, gateway, stores.
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { READINGS_STREAM } from '../../province/nats/streams.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { startProvinceStack, uplinkSettings, type ProvinceStack } from '../support/province.js'
import { streamReadings, type Stream } from '../support/stream.js'
import { auditReadings, isIncreasing } from '../support/uplink-check.js'

let stack: ProvinceStack
let t: TestGateway

beforeAll(async () => {
  stack = await startProvinceStack(['xa-ba'], inject('influxUrl'))
  // A readings budget below what the stations send, so a backlog builds and is being caught up.
  t = await startTestGateway({ ...uplinkSettings(stack, 'xa-ba'), uplinkReadingsKbps: 150, uplinkAckTimeoutS: 2 })
}, 90_000)

afterAll(async () => {
  await t.stop()
  await stack.stop()
})

test('SIGKILL of the readings stream leader during a catch-up loses and duplicates nothing at the stores', { timeout: 120_000 }, async () => {
  const stations = Array.from({ length: 3 }, () => t.addDevice('water_sensor'))
  const camera = t.addDevice('camera')
  const t0 = Date.now() - 3 * 3_600_000
  const streams: Stream[] = []
  for (const [i, s] of stations.entries()) streams.push(streamReadings(await t.connect(s.id, s.secret), s.id, t0 + i * 1_000_000, 16))
  await expect.poll(() => t.gw.uplink!.health().lanes.readings.pending, { timeout: 30_000 }).toBeGreaterThan(2000)
  await expect.poll(() => t.gw.uplink!.health().lanes.readings.sentRows, { timeout: 30_000 }).toBeGreaterThan(500)

  const leader = (await stack.jsm.streams.info(READINGS_STREAM)).cluster?.leader
  const node = stack.cluster.nodes.find((n) => n.name === leader)
  expect(node).toBeDefined()
  await node!.kill()
  const killedAt = Date.now()
  // An alarm during the election goes up too.
  const cam = await t.connect(camera.id, camera.secret)
  await cam.publishAsync(topics.telemetry(camera.id), JSON.stringify({ tamper: true }), { qos: 1 })
  await sleep(2000)
  for (const s of streams) await s.stop()

  await expect.poll(() => t.gw.uplink!.health().lanes.readings.pending, { timeout: 90_000, interval: 250 }).toBe(0)
  const newLeader = (await stack.jsm.streams.info(READINGS_STREAM)).cluster?.leader
  let lost = 0
  for (const [i, s] of stations.entries()) {
    const stream = streams[i]!
    await expect.poll(async () => (await stack.storedTimes('xa-ba', s.id)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(stream.acked.size)
    const stored = await stack.storedTimes('xa-ba', s.id)
    const storedSet = new Set(stored)
    lost += [...stream.acked].filter((ts) => !storedSet.has(ts)).length
    expect(new Set(stored).size).toBe(stored.length)
    expect(stored.every((ts) => ts >= t0 + i * 1_000_000 && ts < t0 + i * 1_000_000 + stream.sent())).toBe(true)
  }
  await expect.poll(async () => Number((await stack.sql<{ n: string }>("SELECT count(*) AS n FROM alarms WHERE commune = 'xa-ba' AND type = 'tamper'"))[0]!.n), { timeout: 30_000 }).toBe(1)
  const alarms = await stack.sql<{ n: string }>("SELECT count(*) AS n FROM alarms WHERE commune = 'xa-ba' AND type = 'tamper'")
  const audit = await auditReadings(stack.jsm, 'xa-ba')
  const acked = streams.reduce((n, s) => n + s.acked.size, 0)
  console.info(`leader kill: ${leader} killed, ${newLeader} leads after; ${acked} acknowledged, ${lost} lost, ${audit.duplicates} duplicate rows in the stream, caught up ${Math.round((Date.now() - killedAt) / 1000)} s after the kill`)
  expect(lost).toBe(0)
  expect(Number(alarms[0]!.n)).toBe(1)
  expect(newLeader).not.toBe(leader)
  for (const times of audit.byDevice.values()) expect(isIncreasing(times)).toBe(true)
  await node!.start()
})
