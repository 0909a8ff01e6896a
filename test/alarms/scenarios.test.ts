// Alarms from real simulator scenarios through the real broker: heavy rain raises the level
// alarm of each station through its stages and back as the water falls; a flapping camera raises nothing; a
// village losing power raises one alarm, not forty; a camera dark past its grace raises one
// alarm that starts when it went dark.
import { readFileSync } from 'node:fs'
import { afterEach, expect, test } from 'vitest'
import type { Alarm } from '../../gateway/alarms/catalog.js'
import { parseInventory } from '../../gateway/registry/inventory.js'
import { startFleet, type Fleet } from '../../simulators/fleet.js'
import { inventoryDevices } from '../../simulators/inventory.js'
import type { ScenarioName } from '../../simulators/scenario.js'
import { villagesWithoutPower } from '../../simulators/scenario.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

const INVENTORY = readFileSync(new URL('../../simulators/inventory/demo-commune.yaml', import.meta.url), 'utf8')
let t: TestGateway | null = null
let fleet: Fleet | null = null
afterEach(async () => {
  await fleet?.stop()
  await t?.stop()
  fleet = null
  t = null
})

async function commune (scenario: ScenarioName, options: { kinds: string[]; speed: number; keepaliveS?: number; graceS: number; debounceS: number; intervalMs?: number }): Promise<TestGateway> {
  const gw = await startTestGateway({ presenceDebounceS: options.debounceS, alarmSweepS: 0.5 })
  gw.gw.thresholds.set({ scope: 'default', values: { offlineGraceS: options.graceS, riseCmPerH: 1e6 } })
  const devices = inventoryDevices(INVENTORY, 'demo-commune.yaml').filter((d) => options.kinds.includes(d.kind))
  const imported = gw.gw.registry.importMany(parseInventory(INVENTORY, 'yaml').filter((e) => options.kinds.includes((e as { kind: string }).kind)))
  const credentials = Object.fromEntries(imported.created.map((c) => [c.device.id, c.secret]))
  const interval = options.intervalMs ?? 1000
  fleet = startFleet({
    url: gw.mqttUrl, devices, credentials, scenario, speed: options.speed, staggerMs: 2, faults: false,
    intervalsMs: { camera: interval, speaker: interval, water_sensor: interval }, ...(options.keepaliveS ? { keepaliveS: options.keepaliveS } : {})
  })
  t = gw
  return gw
}

const all = (tg: TestGateway): Alarm[] => tg.gw.alarmStore.list({ limit: 1000 })

test('heavy rain: each station has one level alarm that moves I, II, III as the water rises and III, II, I as it falls, then clears', { timeout: 90_000 }, async () => {
  // 3,600 times real time: a simulated hour a second; a reading every 250 ms.
  const tg = await commune('heavy-rain', { kinds: ['water_sensor'], speed: 3600, graceS: 300, debounceS: 5, intervalMs: 250 })
  const levelAlarms = (id: string) => all(tg).filter((a) => a.deviceId === id && a.type === 'water_level')
  const stations = tg.gw.registry.list({ kind: 'water_sensor' })
  await expect.poll(() => stations.every((s) => levelAlarms(s.id).some((a) => a.details.stage === 3)), { timeout: 30_000, interval: 500 }).toBe(true)
  await expect.poll(() => stations.every((s) => levelAlarms(s.id).every((a) => a.state === 'cleared')), { timeout: 45_000, interval: 500 }).toBe(true)
  for (const s of stations) {
    const [alarm, ...more] = levelAlarms(s.id)
    expect(more, s.id).toEqual([])
    expect(alarm!.deviceName).toBe(s.name)
    const history = tg.gw.alarmStore.history(alarm!.id)
    const crossings = history.filter((h) => h.what === 'stage_changed').map((h) => `${String(h.details!.fromStage)}→${String(h.details!.toStage)} ${String(h.details!.to)}`)
    expect(crossings, s.id).toEqual(['1→2 major', '2→3 critical', '3→2 major', '2→1 minor'])
    expect(history[0]!.what).toBe('raised')
    expect(history[0]!.details).toMatchObject({ stage: 1, thresholdM: s.reservoir!.alarmLevels.level1M })
    expect(history.at(-1)!.what).toBe('cleared')
    expect(alarm!.severity).toBe('minor')
  }
})

test('flapping cameras and loudspeakers raise nothing: blips shorter than the grace are not outages', { timeout: 60_000 }, async () => {
  const tg = await commune('flapping', { kinds: ['camera', 'speaker'], speed: 30, graceS: 10, debounceS: 2 })
  await expect.poll(() => fleet!.counts().connected, { timeout: 20_000 }).toBe(130)
  const flapper = fleet!.device('cam-001')!
  await expect.poll(() => flapper.stats.connects, { timeout: 30_000 }).toBeGreaterThanOrEqual(4)
  expect(all(tg).filter((a) => a.type === 'offline' || a.type === 'village_outage')).toEqual([])
})

test('a village losing mains power raises one alarm for the village, not one per device, and it clears when power returns', { timeout: 150_000 }, async () => {
  // The cut starts 10 simulated minutes after every device is up and lasts 1.5 h: at 180 times,
  // 3.3 s and 30 s. The village alarm needs about 14 s of it (keepalive 3 s, debounce, grace
  // 10 s); the rest, and the grace itself, are room for a busy machine, where cameras booting
  // back after the cut took longer than a 5 s grace to reconnect.
  const tg = await commune('power-cut', { kinds: ['camera', 'speaker', 'water_sensor'], speed: 180, keepaliveS: 2, graceS: 10, debounceS: 0.5 })
  const dark = villagesWithoutPower(tg.gw.registry.list().map((d) => d.village))
  const villageAlarms = () => all(tg).filter((a) => a.type === 'village_outage')
  await expect.poll(() => villageAlarms().filter((a) => a.state === 'active').length, { timeout: 60_000, interval: 250 }).toBe(dark.size)
  expect(new Set(villageAlarms().map((a) => a.village))).toEqual(dark)
  expect(all(tg).filter((a) => a.type === 'offline' || a.type === 'power_fault')).toEqual([])
  await expect.poll(() => villageAlarms().every((a) => a.state === 'cleared'), { timeout: 60_000, interval: 500 }).toBe(true)
  expect(villageAlarms()).toHaveLength(dark.size)
  expect(all(tg).filter((a) => a.type === 'offline' || a.type === 'power_fault')).toEqual([])
})

test('a camera dark past its grace raises one alarm that starts when it went dark, and clears when it is back', { timeout: 60_000 }, async () => {
  const tg = await startTestGateway({ presenceDebounceS: 0.3, alarmSweepS: 0.5 })
  t = tg
  tg.gw.thresholds.set({ scope: 'kind:camera', values: { offlineGraceS: 2 } })
  const cams = [0, 1, 2, 3, 4].map(() => tg.addDevice('camera', { village: 'Thôn Chợ' }))
  const clients = await Promise.all(cams.map((c) => tg.connect(c.id, c.secret, { will: { topic: `commune/v1/${c.id}/status`, payload: Buffer.from('{"state":"offline"}'), qos: 1, retain: true } })))
  for (const [i, c] of clients.entries()) await c.publishAsync(`commune/v1/${cams[i]!.id}/status`, '{"state":"online"}', { qos: 1, retain: true })
  const target = cams[0]!
  await expect.poll(() => tg.gw.presence.get(target.id).online).toBe(true)

  clients[0]!.stream.destroy()
  await expect.poll(() => tg.gw.presence.get(target.id).online, { timeout: 5000 }).toBe(false)
  const wentDark = tg.gw.presence.get(target.id).since!
  await expect.poll(() => all(tg).filter((a) => a.deviceId === target.id && a.type === 'offline').length, { timeout: 15_000 }).toBe(1)
  const alarm = all(tg).find((a) => a.deviceId === target.id)!
  expect(alarm.startedAt).toBe(wentDark)
  expect(alarm.raisedAt - wentDark).toBeGreaterThanOrEqual(2000)
  await new Promise((resolve) => setTimeout(resolve, 1500))
  expect(all(tg).filter((a) => a.type === 'offline')).toHaveLength(1)

  const back = await tg.connect(target.id, target.secret)
  await back.publishAsync(`commune/v1/${target.id}/status`, '{"state":"online"}', { qos: 1, retain: true })
  await expect.poll(() => tg.gw.alarmStore.get(alarm.id)!.state, { timeout: 10_000 }).toBe('cleared')
})
