// Forgetting follows the registry (issue #16): a device removed through the admin API is
// forgotten by every part that kept state about it, through the registry's change event, and
// a device added again under the same id starts clean. Table-driven: a part added to the
// gateway's deviceMemories without a row here fails the first assertion.
import { afterEach, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { Scenes } from '../../simulators/rtsp-camera/scene.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway | null = null
afterEach(async () => { await t?.stop(); t = null })

const RESERVOIR = { name: 'Hồ Khe Mây', referenceLevels: { designFloodM: 33 }, alarmLevels: { level1M: 30, level2M: 31, level3M: 32 }, downstreamVillages: [] }

test('a removed device is forgotten by every part that remembered it, and one added again under its id starts clean', { timeout: 60_000 }, async () => {
  t = await startTestGateway({ cameraProbeTimeoutS: 2 })
  const { gw } = t
  // An MQTT camera that reports, sends a snapshot and is asked for one; a station whose level
  // makes a trend; a probed camera whose RTSP address answers nobody.
  const cam = t.addDevice('camera', { id: 'cam-quen' })
  const station = t.addDevice('water_sensor', { id: 'wl-quen', reservoir: RESERVOIR })
  const probed = t.addDevice('camera', { id: 'cam-rtsp-quen' })
  gw.cameraEndpoints.set(probed.id, { rtspUrl: 'rtsp://127.0.0.1:1/stream' })

  const camClient = await t.connect(cam.id, cam.secret)
  await camClient.publishAsync(topics.telemetry(cam.id), JSON.stringify({ streamAlive: true, tamper: true }), { qos: 1 })
  await camClient.publishAsync(topics.snapshot(cam.id), await new Scenes().picture('day', 0), { qos: 1 })
  await gw.snapshotAsker.tick()
  const stationClient = await t.connect(station.id, station.secret)
  const now = Date.now()
  for (let i = 0; i < 4; i++) {
    await stationClient.publishAsync(topics.telemetry(station.id), JSON.stringify({ ts: now - (3 - i) * 300_000, levelM: 30.1 + i * 0.05 }), { qos: 1 })
  }
  await gw.cameraProbes.runCycle()

  const rows: Record<string, string> = {
    presence: cam.id, live: cam.id, alarms: cam.id, pictures: cam.id, snapshots: cam.id, snapshotAsker: cam.id, snapshotsSent: cam.id,
    trends: station.id, cameraProbes: probed.id
  }
  expect(Object.keys(gw.deviceMemories).sort()).toEqual(Object.keys(rows).sort())
  for (const [part, id] of Object.entries(rows)) {
    await expect.poll(() => gw.deviceMemories[part]!.remembers(id), { message: `${part} remembers ${id}`, timeout: 10_000 }).toBe(true)
  }

  for (const id of [cam.id, station.id, probed.id]) expect((await t.api(`/api/devices/${id}`, { method: 'DELETE' })).status).toBe(204)
  for (const [part, id] of Object.entries(rows)) expect(gw.deviceMemories[part]!.remembers(id), `${part} still remembers ${id}`).toBe(false)
  // Its alarm could never clear on its own: it is cleared, saying why.
  const [alarm] = gw.alarmStore.list({ deviceId: cam.id, limit: 5 })
  expect([alarm?.type, alarm?.state]).toEqual(['tamper', 'cleared'])
  expect(gw.alarmStore.history(alarm!.id).at(-1)).toMatchObject({ what: 'cleared', details: { deviceRemoved: true } })

  const again = t.addDevice('camera', { id: cam.id })
  for (const [part, memory] of Object.entries(gw.deviceMemories)) expect(memory.remembers(again.id), `${part} remembers the new ${again.id}`).toBe(false)
  expect(gw.views.byId(again.id)).toMatchObject({ online: false, since: null, latest: {}, attention: [{ code: 'never_seen' }] })
  expect(gw.alarms.activeAlarms().filter((a) => a.deviceId === again.id)).toEqual([])
})
