import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway() })
afterAll(async () => { await t.stop() })

test('a reading goes from a device to the store and the API', async () => {
  const { id, secret } = t.addDevice('water_sensor')
  const client = await t.connect(id, secret)
  const ts = Date.now() - 1000
  await client.publishAsync(topics.status(id), JSON.stringify({ state: 'online', firmware: '1.0.0' }), { qos: 1, retain: true })
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ ts, levelM: 12.5, rainMm: 3 }), { qos: 1 })
  await expect.poll(() => t.gw.journal.depth).toBe(0)
  const res = await t.api(`/api/devices/${id}/history?field=levelM&from=${ts - 1000}&to=${ts + 1000}&points=10`)
  expect(res.status).toBe(200)
  const body = await res.json() as { buckets: Array<{ mean: number; count: number }> }
  expect(body.buckets).toEqual([expect.objectContaining({ mean: 12.5, count: 1 })])
  const device = await (await t.api(`/api/devices/${id}`)).json() as { online: boolean; firmware: string; latest: Record<string, { value: number }> }
  expect(device.online).toBe(true)
  expect(device.firmware).toBe('1.0.0')
  expect(device.latest.levelM?.value).toBe(12.5)
})
