// A commune box whose link to the province is cut at steady load, then restored slow, with
// the gateway SIGKILLed during the catch-up: every acknowledged reading reaches the
// provincial store once, in order per device; an alarm raised during a large catch-up
// overtakes the backlog. Real gateway processes, real 3-node cluster, PostgreSQL, influxd.
// PROVINCE_CUT_S sets the outage (the minute: 60; default 20 to keep the suite short).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { openState } from '../../gateway/app.js'
import { configWith } from '../../gateway/config/load.js'
import { topics } from '../../gateway/contract/index.js'
import { Registry } from '../../gateway/registry/registry.js'
import { spawnGateway, type ChildGateway } from '../support/child-gateway.js'
import { startTestGateway } from '../support/gateway.js'
import { freePort } from '../support/ports.js'
import { startProvinceStack, uplinkSettings, type ProvinceStack } from '../support/province.js'
import { streamReadings, type Stream } from '../support/stream.js'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js'
import { auditReadings, isIncreasing, uplinkMetric } from '../support/uplink-check.js'

const CUT_MS = Number(process.env.PROVINCE_CUT_S ?? 20) * 1000
const SLOW_LINK = 100_000 // bytes/s each way once restored

let stack: ProvinceStack
const cleanup: Array<() => Promise<void> | void> = []

beforeAll(async () => {
  stack = await startProvinceStack(['xa-mot', 'xa-hai'], inject('influxUrl'))
}, 90_000)

afterAll(async () => {
  for (const c of cleanup.reverse()) await c()
  await stack.stop()
})

function gatewayEnv (dataDir: string, mqttPort: number, httpPort: number, proxy: TcpProxy, code: string): Record<string, string> {
  const u = uplinkSettings(stack, code, [proxy.url])
  return {
    GATEWAY_DATA_DIR: dataDir, GATEWAY_MQTT_HOST: '127.0.0.1', GATEWAY_MQTT_PORT: String(mqttPort), GATEWAY_MQTT_WS_PORT: 'off',
    GATEWAY_HTTP_HOST: '127.0.0.1', GATEWAY_HTTP_PORT: String(httpPort), GATEWAY_ADMIN_TOKEN: 'province-test-admin-token',
    GATEWAY_UPLINK_URLS: String(u.uplinkUrls), GATEWAY_UPLINK_COMMUNE: code, GATEWAY_UPLINK_SEED_FILE: String(u.uplinkSeedFile),
    GATEWAY_UPLINK_IGNORE_CLUSTER_UPDATES: 'true', GATEWAY_UPLINK_READINGS_KBPS: '0', GATEWAY_UPLINK_ACK_TIMEOUT_S: '2', GATEWAY_UPLINK_HEARTBEAT_S: '2'
  }
}

test('a cut link, a SIGKILL during the catch-up and a slow link lose and duplicate no acknowledged reading, in order per device', { timeout: CUT_MS + 150_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-uplink-'))
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const db = openState(configWith({ dataDir }))
  const registry = new Registry(db, 'Xã Một')
  const devices = Array.from({ length: 4 }, (_, i) => registry.create({ kind: 'water_sensor', name: `Trạm ${i}`, village: 'Thôn Đông' }))
  db.close()
  const proxy = await startTcpProxy('127.0.0.1', stack.cluster.nodes[0]!.port)
  cleanup.push(() => proxy.close())
  const [mqttPort, httpPort] = [await freePort(), await freePort()]
  const env = gatewayEnv(dataDir, mqttPort, httpPort, proxy, 'xa-mot')
  const http = `http://127.0.0.1:${httpPort}`
  let child: ChildGateway = await spawnGateway(env, httpPort)
  cleanup.push(() => child.kill('SIGKILL'))

  // Steady load: each station about 100 readings a second.
  const t0 = Date.now() - 4 * 3_600_000
  const clients: MqttClient[] = []
  const streams: Stream[] = []
  for (const [i, { device, secret }] of devices.entries()) {
    const client = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: device.id, username: device.id, password: secret, reconnectPeriod: 0 })
    clients.push(client)
    streams.push(streamReadings(client, device.id, t0 + i * 1_000_000, 4, 10))
  }
  await expect.poll(() => uplinkMetric(http, 'gateway_uplink_sent_rows', 'readings'), { timeout: 20_000 }).toBeGreaterThan(100)

  proxy.cut()
  await sleep(CUT_MS)
  const backlog = await uplinkMetric(http, 'gateway_uplink_pending_rows', 'readings')
  proxy.throttle(SLOW_LINK)
  proxy.restore()
  // Kill the gateway once the catch-up is under way, not done.
  const sentBefore = await uplinkMetric(http, 'gateway_uplink_sent_rows', 'readings')
  await expect.poll(() => uplinkMetric(http, 'gateway_uplink_sent_rows', 'readings'), { timeout: 30_000, interval: 100 }).toBeGreaterThan(sentBefore + 500)
  const pendingAtKill = await uplinkMetric(http, 'gateway_uplink_pending_rows', 'readings')
  await child.kill('SIGKILL')
  for (const s of streams) await s.stop()
  await Promise.all(clients.map((c) => c.endAsync(true)))
  expect(pendingAtKill).toBeGreaterThan(0)

  child = await spawnGateway(env, httpPort)
  await expect.poll(() => uplinkMetric(http, 'gateway_uplink_pending_rows', 'readings'), { timeout: 120_000, interval: 250 }).toBe(0)

  const acked = streams.reduce((n, s) => n + s.acked.size, 0)
  let lost = 0
  let extra = 0
  for (const [i, { device }] of devices.entries()) {
    const stream = streams[i]!
    await expect.poll(async () => (await stack.storedTimes('xa-mot', device.id)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(stream.acked.size)
    const stored = await stack.storedTimes('xa-mot', device.id)
    const storedSet = new Set(stored)
    lost += [...stream.acked].filter((ts) => !storedSet.has(ts)).length
    // Readings journaled whose PUBACK the kill cut off may be there too; nothing else.
    extra += stored.filter((ts) => !stream.acked.has(ts)).length
    expect(stored.every((ts) => ts >= t0 + i * 1_000_000 && ts < t0 + i * 1_000_000 + stream.sent())).toBe(true)
  }
  const audit = await auditReadings(stack.jsm, 'xa-mot')
  console.info(`catch-up test: ${acked} acknowledged, backlog after ${CUT_MS / 1000} s cut ${backlog}, ${pendingAtKill} pending at SIGKILL, ${lost} lost, ${extra} unacknowledged extras, ${audit.duplicates} duplicate rows in the stream`)
  expect(lost).toBe(0)
  expect(audit.duplicates).toBe(0)
  for (const times of audit.byDevice.values()) expect(isIncreasing(times)).toBe(true)
})

test('an alarm raised during a large catch-up reaches the province within a second of the reconnect, ahead of the readings', { timeout: 90_000 }, async () => {
  const proxy = await startTcpProxy('127.0.0.1', stack.cluster.nodes[1]!.port)
  cleanup.push(() => proxy.close())
  const t = await startTestGateway({ ...uplinkSettings(stack, 'xa-hai', [proxy.url]), uplinkReadingsKbps: 0, uplinkAckTimeoutS: 2 })
  cleanup.push(() => t.stop())
  const station = t.addDevice('water_sensor')
  const camera = t.addDevice('camera')
  const client = await t.connect(station.id, station.secret)
  const cam = await t.connect(camera.id, camera.secret)
  await expect.poll(() => t.gw.uplink!.connected, { timeout: 20_000 }).toBe(true)

  proxy.cut()
  const stream = streamReadings(client, station.id, Date.now() - 7_200_000, 64)
  await expect.poll(() => stream.acked.size, { timeout: 30_000 }).toBeGreaterThan(8000)
  await stream.stop()
  await cam.publishAsync(topics.telemetry(camera.id), JSON.stringify({ tamper: true }), { qos: 1 })
  await expect.poll(() => t.gw.alarmStore.active().length).toBe(1)

  proxy.throttle(SLOW_LINK)
  const restoredAt = Date.now()
  proxy.restore()
  await expect.poll(() => t.gw.uplink!.connected, { timeout: 20_000, interval: 10 }).toBe(true)
  const connectedAt = Date.now()
  await expect.poll(async () => (await stack.sql("SELECT 1 FROM alarms WHERE commune = 'xa-hai' AND type = 'tamper'")).length, { timeout: 20_000, interval: 20 }).toBe(1)
  const alarmAt = Date.now()
  const backlogLeft = t.gw.uplink!.health().lanes.readings.pending
  console.info(`alarm during catch-up: reconnect ${connectedAt - restoredAt} ms, alarm at the province ${alarmAt - connectedAt} ms after, ${backlogLeft} of ${stream.acked.size} readings still waiting`)
  expect(alarmAt - connectedAt).toBeLessThan(1000)
  expect(backlogLeft).toBeGreaterThan(stream.acked.size / 2)
  await client.endAsync()
  await cam.endAsync()
})
