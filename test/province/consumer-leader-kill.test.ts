// The events consumer's leader is SIGKILLed: the workers' pull requests on it are lost, and an
// alarm raised just after must still reach PostgreSQL in seconds, not after the client library's
// default 30 s pull (a flood warning for the villages downstream waits on it). Real 3-node
// cluster, gateway and PostgreSQL.
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { EVENTS_CONSUMER, EVENTS_STREAM } from '../../province/nats/streams.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { startProvinceStack, uplinkSettings, type ProvinceStack } from '../support/province.js'

let stack: ProvinceStack
let t: TestGateway

beforeAll(async () => {
  stack = await startProvinceStack(['xa-ca'], inject('influxUrl'))
  t = await startTestGateway({ ...uplinkSettings(stack, 'xa-ca'), uplinkHeartbeatS: 1 })
}, 90_000)

afterAll(async () => {
  await t?.stop()
  await stack?.stop()
})

const tamperAlarms = async (): Promise<number> =>
  Number((await stack.sql<{ n: string }>("SELECT count(*) AS n FROM alarms WHERE commune = 'xa-ca' AND type = 'tamper'"))[0]!.n)

test('an alarm raised just after the events consumer\'s leader dies reaches PostgreSQL within 20 s (was 44 s)', { timeout: 90_000 }, async () => {
  const camera = t.addDevice('camera')
  const cam = await t.connect(camera.id, camera.secret)
  // The workers are consuming: the box's heartbeats are in PostgreSQL.
  await expect.poll(async () => (await stack.sql("SELECT 1 FROM commune_health WHERE commune = 'xa-ca'")).length, { timeout: 30_000 }).toBe(1)
  const leader = (await stack.jsm.consumers.info(EVENTS_STREAM, EVENTS_CONSUMER)).cluster?.leader
  const node = stack.cluster.nodes.find((n) => n.name === leader)
  expect(node).toBeDefined()
  await node!.kill()
  const killedAt = Date.now()
  await cam.publishAsync(topics.telemetry(camera.id), JSON.stringify({ tamper: true }), { qos: 1 })
  await expect.poll(tamperAlarms, { timeout: 60_000, interval: 100 }).toBe(1)
  const after = Date.now() - killedAt
  console.info(`events consumer leader ${leader} killed: the alarm was in PostgreSQL ${after} ms later`)
  expect(after).toBeLessThan(20_000)
  await cam.endAsync()
  await node!.start()
})
