// The alarm rules on their own: hysteresis, rate of rise, a stuck or jumping sensor, camera
// storage, overheating, night-time cameras, and which threshold wins.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { openDatabase } from '../db/database.js'
import { STATE_MIGRATIONS } from '../db/state-schema.js'
import type { Device } from '../registry/device.js'
import { cameraRules } from '../kinds/behaviour/camera.js'
import { speakerRules } from '../kinds/behaviour/speaker.js'
import { waterRules, type StationMemory } from '../kinds/behaviour/water-sensor.js'
import { sweepConditions, sweepSlices } from './sweep.js'
import { THRESHOLDS, ThresholdStore } from './thresholds.js'

const station: Device = {
  id: 'wl-1', kind: 'water_sensor', name: 'Trạm', commune: 'x', village: 'Thôn Đông', site: null, legacyDistrict: null, lat: null, lon: null,
  reservoir: { name: 'Hồ', referenceLevels: { designFloodM: 33 }, alarmLevels: { level1M: 30, level2M: 31, level3M: 32 }, downstreamVillages: [] },
  enabled: true, firmware: null, model: null, firmwareChangedAt: null, createdAt: 0, updatedAt: 0
}
const T0 = 1_800_000_000_000
const actives = (list: ReturnType<typeof waterRules>) => list.filter((c) => c.active).map((c) => c.type)

const levelOf = (list: ReturnType<typeof waterRules>) => list.find((c) => c.type === 'water_level')!

test('one level alarm per station moves through I, II, III and the design flood and back, clearing only below the hysteresis band', () => {
  let stage = 0
  const at = (levelM: number) => {
    const c = levelOf(waterRules(station, { levelM }, T0, THRESHOLDS, () => false, null, {}, stage))
    stage = c.active ? Number(c.details!.stage) : 0
    return c.active ? `${stage}:${c.severity!}` : 'none'
  }
  expect(at(29.9)).toBe('none')
  expect(at(30)).toBe('1:minor')
  expect(at(31.2)).toBe('2:major')
  expect(at(30.95)).toBe('2:major') // within 0.1 m below level II: kept
  expect(at(30.85)).toBe('1:minor') // and back down a stage, severity with it
  expect(at(33.1)).toBe('4:critical')
  expect(at(32.5)).toBe('3:critical')
  expect(at(29.95)).toBe('1:minor')
  expect(at(29.85)).toBe('none')
  // The alarm carries the next line and when the water reaches it at this rate.
  const level1 = levelOf(waterRules(station, { levelM: 30.5 }, T0, THRESHOLDS, () => false, 20, {}))
  expect(level1.details).toMatchObject({ stage: 1, levelM: 30.5, thresholdM: 30, cmPerHour: 20, next: { stage: 2, levelM: 31, hours: 2.5 } })
})

test('rising fast is its own alarm only below every line: above one, it is a detail of the level alarm', () => {
  const rule = (cm: number, was: boolean, levelM = 20) => actives(waterRules(station, { levelM }, T0, THRESHOLDS, (t) => was && t === 'rapid_rise', cm, {}))
  expect(rule(25, false)).toEqual(['rapid_rise'])
  expect(rule(15, true)).toEqual(['rapid_rise'])
  expect(rule(9, true)).toEqual([])
  expect(rule(15, false)).toEqual([])
  expect(rule(25, true, 30.2)).toEqual(['water_level'])
  expect(levelOf(waterRules(station, { levelM: 30.2 }, T0, THRESHOLDS, () => false, 25, {})).details).toMatchObject({ risingFast: true, cmPerHour: 25 })
  expect(levelOf(waterRules(station, { levelM: 30.2 }, T0, THRESHOLDS, () => false, 5, {})).details).toMatchObject({ risingFast: false })
})

test('a sensor stuck on one value for hours, or jumping metres in minutes, is suspect', () => {
  const memory: StationMemory = {}
  const read = (min: number, levelM: number) => actives(waterRules(station, { levelM }, T0 + min * 60_000, THRESHOLDS, () => false, null, memory))
  expect(read(0, 20)).toEqual([])
  expect(read(15, 20)).toEqual([])
  expect(read(5 * 60, 20)).toEqual([])
  expect(read(6 * 60, 20)).toEqual(['sensor_flat'])
  expect(read(6 * 60 + 15, 22)).toEqual(['sensor_jump'])
  expect(read(6 * 60 + 30, 22.01)).toEqual([])
  expect(actives(waterRules(station, { batteryPct: 12 }, T0, THRESHOLDS, () => false, null, {}))).toEqual(['low_battery'])
})

test('camera storage: failed is major, nearly full is minor; an overheating speaker cools below the line before clearing', () => {
  expect(cameraRules({ storageState: 'failed' }, THRESHOLDS)[0]).toMatchObject({ type: 'storage', active: true, severity: 'major' })
  expect(cameraRules({ storageUsedPct: 99 }, THRESHOLDS)[0]).toMatchObject({ type: 'storage', active: true, severity: 'minor' })
  expect(cameraRules({ storageUsedPct: 60, storageState: 'ok' }, THRESHOLDS)[0]).toMatchObject({ type: 'storage', active: false })
  expect(cameraRules({ fps: 25 }, THRESHOLDS)).toEqual([])
  expect(speakerRules({ temperatureC: 68 }, THRESHOLDS, () => true)[0]).toMatchObject({ active: true })
  expect(speakerRules({ temperatureC: 64 }, THRESHOLDS, () => true)[0]).toMatchObject({ active: false })
})

test('a camera that goes dark at night is critical; by day, major', () => {
  const camera: Device = { ...station, id: 'cam-1', kind: 'camera', reservoir: null }
  const others = [2, 3, 4, 5].map((i) => ({ ...camera, id: `cam-${i}` }))
  const sweepAt = (darkAtUtcHour: number) => sweepConditions({
    devices: [camera, ...others],
    presence: (id) => id === 'cam-1' ? { online: false, since: Date.UTC(2026, 10, 23, darkAtUtcHour), lastSeen: null } : { online: true, since: 0, lastSeen: 0 },
    latest: () => ({}),
    thresholds: () => THRESHOLDS,
    villageThresholds: () => THRESHOLDS,
    now: Date.UTC(2026, 10, 23, darkAtUtcHour, 10)
  }).find((s) => s.subject === 'cam-1')!.conditions[0]
  expect(sweepAt(17)).toMatchObject({ type: 'offline', active: true, severity: 'critical' }) // 00:00 in Hà Nội
  expect(sweepAt(3)).toMatchObject({ type: 'offline', active: true, severity: 'major' }) // 10:00
})

test('when a village\'s power returns, a camera still booting gets its grace again from then, not from the cut', () => {
  const camera: Device = { ...station, id: 'cam-1', kind: 'camera', reservoir: null }
  const others = [2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({ ...camera, id: `cam-${i}` }))
  const cutAt = Date.UTC(2026, 10, 23, 3)
  const powerBackAt = cutAt + 3_600_000
  const graceMs = THRESHOLDS.offlineGraceS * 1000
  // Only cam-1 is still booting: the village is no longer dark, so cam-1 stands alone.
  const cam1At = (now: number, lastDark: number | null) => sweepConditions({
    devices: [camera, ...others],
    presence: (id) => id === 'cam-1' ? { online: false, since: cutAt, lastSeen: null } : { online: true, since: powerBackAt, lastSeen: powerBackAt },
    latest: () => ({}),
    thresholds: () => THRESHOLDS,
    villageThresholds: () => THRESHOLDS,
    villageLastDark: () => lastDark,
    now
  }).find((s) => s.subject === 'cam-1')!.conditions[0]
  expect(cam1At(powerBackAt + 1000, powerBackAt)).toMatchObject({ type: 'offline', active: false, startedAt: cutAt })
  expect(cam1At(powerBackAt + graceMs, powerBackAt)).toMatchObject({ type: 'offline', active: true, startedAt: cutAt })
  // A camera dark alone, in a village that was never dark, alarms after its grace from going dark.
  expect(cam1At(powerBackAt + 1000, null)).toMatchObject({ type: 'offline', active: true })
})

test('the sweep in slices pauses after every slice of devices and finds what the sweep at once finds, villages first', () => {
  const camera: Device = { ...station, id: 'cam-0', kind: 'camera', reservoir: null }
  const cameras = Array.from({ length: 25 }, (_, i) => ({ ...camera, id: `cam-${i}`, village: i < 10 ? 'Thôn Đông' : 'Thôn Tây' }))
  const now = Date.UTC(2026, 10, 23, 3)
  const input = {
    devices: cameras,
    // Thôn Đông dark together (a village alarm), one camera of Thôn Tây dark alone.
    presence: (id: string) => Number(id.slice(4)) < 10 || id === 'cam-20' ? { online: false, since: now - 3_600_000, lastSeen: null } : { online: true, since: 0, lastSeen: now },
    latest: () => ({}),
    thresholds: () => THRESHOLDS,
    villageThresholds: () => THRESHOLDS,
    now
  }
  const slices = [...sweepSlices(input, 10)]
  // 25 devices: pauses after 10 and 20 while counting, the villages, then the devices 10 at a time.
  expect(slices.map((slice) => slice.length)).toEqual([0, 0, 2, 10, 10, 5])
  expect(slices.flat()).toEqual(sweepConditions(input))
  const active = slices.flat().filter((s) => s.conditions.some((c) => c.active)).map((s) => s.subject)
  expect(active).toEqual(['village:Thôn Đông', 'cam-20'])
})

test('thresholds: a device\'s override beats its village\'s, which beats its kind\'s and the defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-th-'))
  const db = openDatabase(join(dir, 'state.db'), { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  try {
    const store = new ThresholdStore(db)
    store.set({ scope: 'kind:water_sensor', values: { riseCmPerH: 30, jumpM: 2 } })
    store.set({ scope: 'village:Thôn Đông', values: { riseCmPerH: 25 } })
    store.set({ scope: 'device:wl-1', values: { riseCmPerH: 15 } })
    expect(store.for(station)).toMatchObject({ riseCmPerH: 15, jumpM: 2, lowBatteryPct: THRESHOLDS.lowBatteryPct })
    store.set({ scope: 'device:wl-1', values: { riseCmPerH: null } })
    expect(new ThresholdStore(db).for(station).riseCmPerH).toBe(25)
    expect(() => store.set({ scope: 'street:x', values: { jumpM: 1 } })).toThrow('invalid threshold override')
    expect(() => store.set({ scope: 'default', values: { speedOfLight: 1 } })).toThrow('invalid threshold override')
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
