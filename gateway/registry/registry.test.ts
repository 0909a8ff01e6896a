import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, expect, test } from 'vitest'
import { openDatabase, type Db } from '../db/database.js'
import { STATE_MIGRATIONS } from '../db/state-schema.js'
import type { GatewayError } from '../errors.js'
import { parseInventory } from './inventory.js'
import { Registry } from './registry.js'

const dir = mkdtempSync(join(tmpdir(), 'gw-registry-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
let file: string
let db: Db
let registry: Registry
beforeEach(() => {
  file = join(dir, `state-${++n}.db`)
  db = openDatabase(file, { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  registry = new Registry(db, 'Xã Phong Điền')
  return () => db.close()
})

const reservoir = {
  name: 'Hồ Khe Ngang',
  referenceLevels: { deadM: 30, normalM: 41.5, designFloodM: 44.2 },
  alarmLevels: { level1M: 42.1, level2M: 42.8, level3M: 43.5 }
}

test('create, get, list with filters; the commune defaults to the box\'s', () => {
  const { device } = registry.create({ kind: 'camera', name: 'Camera chợ', village: 'Thôn Đông' })
  registry.create({ kind: 'speaker', name: 'Loa chợ', village: 'Thôn Đông' })
  registry.create({ id: 'wl-01', kind: 'water_sensor', name: 'Trạm hồ', village: 'Thôn Tây', reservoir })
  expect(device).toMatchObject({ kind: 'camera', commune: 'Xã Phong Điền', enabled: true })
  expect(device.id).toMatch(/^cam-/)
  expect(registry.get(device.id)).toEqual(device)
  expect(registry.list({ village: 'Thôn Đông' })).toHaveLength(2)
  expect(registry.list({ kind: 'water_sensor' }).map((d) => d.reservoir?.alarmLevels.level3M)).toEqual([43.5])
  expect(() => registry.create({ id: 'wl-01', kind: 'water_sensor', name: 'x', village: 'y' })).toThrow(/already exists/)
})

test('secrets: only a salted hash is stored; a wrong or unknown one fails; rotation replaces it', () => {
  const { device, secret } = registry.create({ kind: 'camera', name: 'Camera', village: 'Thôn Đông' })
  const row = db.prepare('SELECT * FROM devices WHERE id = ?').get(device.id) as Record<string, unknown>
  expect(JSON.stringify(row)).not.toContain(secret)
  expect(registry.authenticate(device.id, secret)?.id).toBe(device.id)
  expect(registry.authenticate(device.id, secret.slice(1))).toBeNull()
  expect(registry.authenticate('cam-none', secret)).toBeNull()
  const rotated = registry.rotateSecret(device.id)
  expect(registry.authenticate(device.id, secret)).toBeNull()
  expect(registry.authenticate(device.id, rotated.secret)?.id).toBe(device.id)
})

test('validation names every problem, including reservoir levels out of order', () => {
  try {
    registry.create({ kind: 'camera', name: '', village: 'Thôn', lat: 16.4, reservoir: { ...reservoir, alarmLevels: { level1M: 43, level2M: 42 } } })
    expect.unreachable()
  } catch (err) {
    const details = (err as GatewayError).details as string[]
    expect(details.join('\n')).toMatch(/name/)
    expect(details.join('\n')).toMatch(/level2M must be above level1M/)
    expect(details.join('\n')).toMatch(/only water sensors have a reservoir/)
    expect(details.join('\n')).toMatch(/lat and lon go together/)
  }
})

test('update and remove', () => {
  const { device } = registry.create({ kind: 'speaker', name: 'Loa', village: 'Thôn Đông' })
  expect(registry.update(device.id, { village: 'Thôn Tây', enabled: false })).toMatchObject({ village: 'Thôn Tây', enabled: false })
  expect(registry.get(device.id)?.village).toBe('Thôn Tây')
  registry.remove(device.id)
  expect(registry.get(device.id)).toBeNull()
  expect(() => registry.remove(device.id)).toThrow(/no device/)
})

test('a change made through another connection (the CLI) is seen', async () => {
  const { device } = registry.create({ kind: 'camera', name: 'Camera', village: 'Thôn Đông' })
  expect(registry.get(device.id)?.name).toBe('Camera') // now cached
  const cli = openDatabase(file, { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  new Registry(cli, 'Xã Phong Điền').update(device.id, { name: 'Camera cổng' })
  cli.close()
  await expect.poll(() => registry.get(device.id)?.name, { interval: 50 }).toBe('Camera cổng')
})

test('import: all or nothing with every problem listed; a second import skips what exists', () => {
  const yaml = `commune: Xã Phong Điền
devices:
  - { id: cam-001, kind: camera, name: Camera 1, village: Thôn Đông }
  - { id: wl-01, kind: water_sensor, name: Trạm 1, village: Thôn Tây, reservoir: { name: Hồ A, referenceLevels: { deadM: 1, normalM: 5, designFloodM: 7 }, alarmLevels: { level1M: 5.5, level2M: 6, level3M: 6.5 } } }
`
  const bad = `${yaml}  - { id: cam-001, kind: camera, name: Again, village: Thôn Đông }\n  - { id: spk-9, kind: radio, name: X, village: Y }\n`
  try {
    registry.importMany(parseInventory(bad, 'yaml'))
    expect.unreachable()
  } catch (err) {
    expect((err as GatewayError).details).toEqual([
      expect.stringContaining('entry 3: id cam-001 appears twice'),
      expect.stringContaining('entry 4 (spk-9): kind')
    ])
  }
  expect(registry.count()).toBe(0)
  expect(registry.importMany(parseInventory(yaml, 'yaml')).created.map((c) => c.device.id)).toEqual(['cam-001', 'wl-01'])
  expect(registry.importMany(parseInventory(yaml, 'yaml'))).toEqual({ created: [], skipped: ['cam-001', 'wl-01'] })
})

test('CSV and YAML inventories describe the same devices', () => {
  const csv = `ID, Kind, Name, Village, Lat, Lon, Reservoir, Dead level m, Normal level m, Design flood level m, Alarm1 m, Alarm2 m, Alarm3 m, Downstream villages
wl-01,water_sensor,Trạm hồ,Thôn Tây,"16,42",107.56,Hồ A,1,5,7,5.5,6,6.5,Thôn Tây;Thôn Đông
cam-001,camera,Camera 1,Thôn Đông,,,,,,,,,,
`
  const yaml = `devices:
  - { id: wl-01, kind: water_sensor, name: Trạm hồ, village: Thôn Tây, lat: 16.42, lon: 107.56, reservoir: { name: Hồ A, referenceLevels: { deadM: 1, normalM: 5, designFloodM: 7 }, alarmLevels: { level1M: 5.5, level2M: 6, level3M: 6.5 }, downstreamVillages: [Thôn Tây, Thôn Đông] } }
  - { id: cam-001, kind: camera, name: Camera 1, village: Thôn Đông }
`
  expect(parseInventory(csv, 'csv')).toEqual(parseInventory(yaml, 'yaml'))
  expect(registry.importMany(parseInventory(csv, 'csv')).created).toHaveLength(2)
})

test('unreadable inventories give a clear error', () => {
  expect(() => parseInventory('devices: [unclosed', 'yaml')).toThrow(/not valid YAML/)
  expect(() => parseInventory('just: text', 'yaml')).toThrow(/"devices" list/)
  expect(() => parseInventory('id,kind\n"cam-1,camera\n', 'csv')).toThrow(/CSV/i)
})
