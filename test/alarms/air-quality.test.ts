// The air-quality kind end to end: a simulated station sends its logged hours through the real
// broker, the gateway computes the hourly VN_AQI from them, raises the air alarm when the
// smoke comes (critical in Rất xấu), clears it when the air is clean again, and says when the
// station's data stops.
import { afterEach, expect, test } from 'vitest'
import type { AlarmNotice } from '../../gateway/alarms/engine.js'
import { topics } from '../../gateway/contract/index.js'
import { AirStationModel } from '../../simulators/air-quality.js'
import { simClock } from '../../simulators/clock.js'
import { SimDevice } from '../../simulators/device.js'
import { seededRandom } from '../../simulators/patterns.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

const HOUR = 3_600_000
let t: TestGateway | null = null
let station: SimDevice<'air_quality', AirStationModel> | null = null
afterEach(async () => { await station?.stop(); station = null; await t?.stop(); t = null })

test('a station\'s smoky evening raises a critical air alarm through the broker, and the clean night after clears it', async () => {
  t = await startTestGateway()
  const gw = t.gw
  const { id, secret } = t.addDevice('air_quality', { name: 'Trạm không khí trường THCS', village: 'Thôn An Lỗ' })
  const notices: AlarmNotice[] = []
  gw.bus.on('alarm', (n) => { if (n.alarm.deviceId === id) notices.push(n) })

  // Its logger holds the last 20 hours: straw smoke (260 µg/m³ of PM2.5 more) from the 2nd to
  // the 8th hour, clean air after. It sends them, oldest first, when it first connects.
  const now = Date.now()
  const from = now - 20 * HOUR
  const model = new AirStationModel({ random: seededRandom(7), simNow: from, site: 1, sensorFaultsPerH: 0, smoke: (ms) => (ms >= from + 2 * HOUR && ms < from + 8 * HOUR ? 260 : 0) })
  station = new SimDevice(id, model, { url: t.mqttUrl, secret, clock: simClock(), intervalMs: HOUR, history: { fromSimMs: from, everySimMs: 300_000 } })
  station.start()

  await expect.poll(() => gw.alarmStore.list({ deviceId: id, limit: 5 }).map((a) => a.state), { timeout: 60_000, interval: 250 }).toEqual(['cleared'])
  const [alarm] = gw.alarmStore.list({ deviceId: id, limit: 5 })
  expect(alarm).toMatchObject({ type: 'air_quality', kind: 'air_quality', deviceName: 'Trạm không khí trường THCS' })
  // Raised in the smoke (PM2.5 named), critical once the index reached Rất xấu; then down the bands as the air cleared.
  expect(notices[0]?.change).toBe('raised')
  expect(notices[0]?.alarm.details).toMatchObject({ dominant: 'pm25' })
  const worst = notices.find((n) => n.alarm.severity === 'critical')
  expect(Number(worst?.alarm.details.aqi)).toBeGreaterThanOrEqual(201)
  const stages = gw.alarmStore.history(alarm!.id).filter((h) => h.what === 'stage_changed').map((h) => Number(h.details!.toStage))
  expect(stages.at(-1)).toBe(1) // through Xấu on the way down
  expect(notices.at(-1)?.change).toBe('cleared')

  // The device view: the index of the last hour, Tốt or Trung bình again, and a full trend.
  const view = await (await t.api(`/api/devices/${id}`)).json() as { outlook: { hourly: { aqi: number; band: string } | null; trend: Array<{ aqi: number | null }> } }
  expect(view.outlook.hourly?.aqi).toBeLessThanOrEqual(100)
  expect(view.outlook.trend).toHaveLength(24)
  expect(Math.max(...view.outlook.trend.map((p) => p.aqi ?? 0))).toBeGreaterThanOrEqual(201)
})

test('a station whose readings stopped coming raises "no data" at the sweep, and its next reading clears it', async () => {
  t = await startTestGateway()
  const gw = t.gw
  const { id, secret } = t.addDevice('air_quality')
  const client = await t.connect(id, secret)
  // The last reading it managed to send was measured two hours ago (65 minutes is the limit).
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ ts: Date.now() - 2 * HOUR, pm25Ugm3: 30, pm10Ugm3: 45 }), { qos: 1 })
  await expect.poll(() => gw.live.get(id).pm25Ugm3?.value).toBe(30)
  gw.alarms.sweep()
  expect(gw.alarmStore.list({ deviceId: id, limit: 5 })).toMatchObject([{ type: 'air_no_data', state: 'active', severity: 'major' }])
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ pm25Ugm3: 31, pm10Ugm3: 44 }), { qos: 1 })
  await expect.poll(() => gw.alarmStore.list({ deviceId: id, limit: 5 }).map((a) => a.state)).toEqual(['cleared'])
})

test('a reading with an impossible or negative concentration is refused at the door and changes no index', async () => {
  t = await startTestGateway()
  const gw = t.gw
  const { id, secret } = t.addDevice('air_quality')
  const client = await t.connect(id, secret)
  for (const bad of [{ pm25Ugm3: -3 }, { pm25Ugm3: 9000 }, { coUgm3: '900' }, { pm25ppm: 12 }]) {
    await client.publishAsync(topics.telemetry(id), JSON.stringify(bad), { qos: 1 })
  }
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ pm25Ugm3: 12.5 }), { qos: 1 })
  await expect.poll(() => gw.live.get(id).pm25Ugm3?.value).toBe(12.5)
  expect(gw.live.get(id).coUgm3).toBeUndefined()
  expect(gw.alarmStore.list({ deviceId: id, limit: 5 })).toEqual([])
})

test('after a restart the station\'s index is back at once, from the readings in the store', async () => {
  t = await startTestGateway()
  const { id, secret } = t.addDevice('air_quality')
  const client = await t.connect(id, secret)
  const now = Date.now()
  // 13 logged hours of PM2.5 60 µg/m³: NowCast 60, 100 + (150 − 100)/(80 − 50) × 10 = 116.7 → 117, Kém.
  for (let i = 13 * 12; i >= 0; i--) await client.publishAsync(topics.telemetry(id), JSON.stringify({ ts: now - i * 5 * 60_000, pm25Ugm3: 60 }), { qos: 1 })
  const aqi = async (): Promise<number | null> => ((await (await t!.api(`/api/devices/${id}`)).json()) as { outlook: { hourly: { aqi: number } | null } }).outlook.hourly?.aqi ?? null
  await expect.poll(aqi, { timeout: 20_000 }).toBe(117)
  await client.endAsync()
  const dataDir = t.dataDir
  await t.stop({ keepData: true })
  t = await startTestGateway({ dataDir })
  await expect.poll(aqi, { timeout: 20_000 }).toBe(117)
})
