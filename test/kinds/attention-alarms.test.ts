// "Needs attention" and the alarms speak one vocabulary (issue #16): a device's marks are the
// alarms its kind's rules raise for the same values, with the same severities, under the
// device's own threshold overrides. Before, the overview used the default thresholds and its
// own severities: a factory password was `minor` there and `warning` in the alarms.
import { afterEach, expect, test } from 'vitest'
import type { DeviceKind } from '../../gateway/kinds/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway | null = null
afterEach(async () => { await t?.stop(); t = null })

const RESERVOIR = { name: 'Hồ Khe Mây', referenceLevels: { designFloodM: 33 }, alarmLevels: { level1M: 30, level2M: 31, level3M: 32 }, downstreamVillages: [] }

// Per kind: a reading, and an override that makes one of its values an alarm only for this device.
const CASES: Record<DeviceKind, { extra?: Record<string, unknown>; before?: Record<string, unknown>; reading: Record<string, unknown>; override: Record<string, number> }> = {
  camera: { reading: { streamAlive: false, recording: true, tamper: false, defaultPassword: true, storageUsedPct: 93 }, override: { storageFullPct: 90 } },
  speaker: { reading: { amplifierFault: true, temperatureC: 66, volume: 60 }, override: { overheatC: 65 } },
  water_sensor: { extra: { reservoir: RESERVOIR }, reading: { levelM: 31.4, batteryPct: 23 }, override: { lowBatteryPct: 25 } },
  // The air's index is a fact of its last hours: the station first sends 13 hours it logged
  // (PM2.5 200 µg/m³: NowCast 200, index 250, Rất xấu).
  air_quality: { before: { pm25Ugm3: 200 }, reading: { pm25Ugm3: 200, batteryPct: 23 }, override: { lowBatteryPct: 25 } }
}

test.each(Object.keys(CASES) as DeviceKind[])('a %s needs attention for exactly the alarms it raises, at their severities, under its own thresholds', async (kind) => {
  t = await startTestGateway()
  const { gw } = t
  const c = CASES[kind]
  const { id, secret } = t.addDevice(kind, c.extra ?? {})
  gw.thresholds.set({ scope: `device:${id}`, values: c.override })
  const client = await t.connect(id, secret)
  const now = Date.now()
  for (let i = 13 * 12; i > 0 && c.before; i--) {
    await client.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ ts: now - i * 5 * 60_000, ...c.before }), { qos: 1 })
  }
  await client.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify(c.reading), { qos: 1 })
  await expect.poll(() => Object.keys(gw.views.byId(id)!.latest).length, { timeout: 10_000 }).toBe(Object.keys(c.reading).length)

  const alarms = gw.alarms.activeAlarms().filter((a) => a.deviceId === id).map((a) => `${a.type}:${a.severity}`).sort()
  const marks = gw.views.byId(id)!.attention.map((a) => `${a.code}:${a.severity}`).sort()
  // The override made one of these an alarm; without it neither would show it.
  expect(alarms.length).toBeGreaterThanOrEqual(2)
  expect(marks).toEqual(alarms)
})
