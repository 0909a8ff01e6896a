import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, expect, test } from 'vitest'
import { openDatabase } from '../db/database.js'
import { STATE_MIGRATIONS } from '../db/state-schema.js'
import { GatewayError } from '../errors.js'
import { formatOf, parseInventory } from './inventory.js'
import { Registry } from './registry.js'

const dir = mkdtempSync(join(tmpdir(), 'gw-inventory-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
let registry: Registry
beforeEach(() => {
  const db = openDatabase(join(dir, `state-${++n}.db`), { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  registry = new Registry(db, 'Xã mặc định')
  return () => db.close()
})

/** The message and details of the GatewayError a call throws, as one text. */
function problem (fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof GatewayError) return [err.message, ...((err.details as string[] | undefined) ?? [])].join('\n')
    throw err
  }
  throw new Error('expected a GatewayError, nothing was thrown')
}

// The same commune inventory, as exported from a spreadsheet and as written by hand.
const CSV = `\ufeffID, Kind, Name, Commune, Village, Lat, Lon, Reservoir, Dead level m, Pre flood level m, Normal level m, Design flood level m, Check flood level m, Alarm1 m, Alarm2 m, Alarm3 m, Downstream villages
wl-01,water_sensor,Trạm hồ Khe Ngang,,Thôn Tây,"16,42",107.56,Hồ Khe Ngang,30,40.5,41.5,44.2,45.1,42.1,42.8,43.5,Thôn Tây; Thôn Đông
cam-001,camera,Camera cổng UBND,Xã Phong Hiền,Thôn Đông,,,,,,,,,,,,

spk-001,speaker,Loa chợ,, Thôn Đông ,16.4,107.5,,,,,,,,,,
`
const YAML = `commune: Xã Phong Điền
devices:
  - id: wl-01
    kind: water_sensor
    name: Trạm hồ Khe Ngang
    village: Thôn Tây
    lat: 16.42
    lon: 107.56
    reservoir:
      name: Hồ Khe Ngang
      referenceLevels: { deadM: 30, preFloodM: 40.5, normalM: 41.5, designFloodM: 44.2, checkFloodM: 45.1 }
      alarmLevels: { level1M: 42.1, level2M: 42.8, level3M: 43.5 }
      downstreamVillages: [Thôn Tây, Thôn Đông]
  - { id: cam-001, kind: camera, name: Camera cổng UBND, commune: Xã Phong Hiền, village: Thôn Đông }
  - { id: spk-001, kind: speaker, name: Loa chợ, village: Thôn Đông, lat: 16.4, lon: 107.5 }
`

test('CSV and YAML inventories describe the same devices, reservoir levels included', () => {
  const fromCsv = parseInventory(CSV, 'csv')
  const fromYaml = parseInventory(YAML, 'yaml')
  // The YAML's top-level commune is a default; a CSV leaves the commune to the box's.
  expect(fromYaml.map((d) => (d as { commune?: string }).commune)).toEqual(['Xã Phong Điền', 'Xã Phong Hiền', 'Xã Phong Điền'])
  const withoutDefault = fromYaml.map((d) => {
    const { commune, ...rest } = d as { commune?: string }
    return commune === 'Xã Phong Điền' ? rest : d
  })
  expect(fromCsv).toEqual(withoutDefault)
  const { created } = registry.importMany(fromCsv)
  expect(created.map((c) => c.device.id)).toEqual(['wl-01', 'cam-001', 'spk-001'])
  expect(registry.get('wl-01')).toMatchObject({
    commune: 'Xã mặc định',
    lat: 16.42, // a decimal comma, as Vietnamese spreadsheets write it
    reservoir: {
      name: 'Hồ Khe Ngang',
      referenceLevels: { deadM: 30, preFloodM: 40.5, normalM: 41.5, designFloodM: 44.2, checkFloodM: 45.1 },
      alarmLevels: { level1M: 42.1, level2M: 42.8, level3M: 43.5 },
      downstreamVillages: ['Thôn Tây', 'Thôn Đông']
    }
  })
  expect(registry.get('cam-001')).toMatchObject({ commune: 'Xã Phong Hiền', reservoir: null, lat: null })
  expect(registry.get('spk-001')).toMatchObject({ village: 'Thôn Đông', lat: 16.4, lon: 107.5 })
})

test('a CSV with a level that is not a number is refused with its row and column', () => {
  const csv = 'id,kind,name,village,reservoir,alarm1_m,alarm2_m\nwl-01,water_sensor,Trạm,Thôn Tây,Hồ A,4.5,5\nwl-02,water_sensor,Trạm 2,Thôn Tây,Hồ B,cao,5\n'
  expect(problem(() => registry.importMany(parseInventory(csv, 'csv')))).toMatch(/entry 2 \(wl-02\): reservoir\.alarmLevels\.level1M/)
  expect(registry.count()).toBe(0)
})

test('unreadable inventories give a clear error', () => {
  expect(problem(() => parseInventory('id,kind\n"cam-1,camera\n', 'csv'))).toMatch(/not valid CSV/)
  expect(problem(() => parseInventory('id,kind,name,village\ncam-1,camera,Camera\n', 'csv'))).toMatch(/not valid CSV.*line 2/)
  const unknown = problem(() => parseInventory('id,kind,nmae,village\ncam-1,camera,Camera,Thôn\n', 'csv'))
  expect(unknown).toMatch(/unknown CSV column\(s\): nmae; known: id, kind, name/)
  expect(problem(() => parseInventory('devices: [unclosed', 'yaml'))).toMatch(/not valid YAML/)
  expect(problem(() => parseInventory('just: text', 'yaml'))).toMatch(/"devices" list/)
  expect(problem(() => parseInventory('- a\n- b\n', 'yaml'))).toMatch(/"devices" list/)
})

test('an empty inventory imports nothing', () => {
  expect(parseInventory('id,kind,name,village\n', 'csv')).toEqual([])
  expect(parseInventory('devices: []', 'yaml')).toEqual([])
  expect(registry.importMany([])).toEqual({ created: [], skipped: [] })
})

test('the format follows the file name or media type', () => {
  expect(['devices.csv', 'DEVICES.CSV', 'text/csv; charset=utf-8'].map(formatOf)).toEqual(['csv', 'csv', 'csv'])
  expect(['a.yaml', 'a.yml', 'a.json', 'application/json', 'application/yaml'].map(formatOf)).toEqual(['yaml', 'yaml', 'yaml', 'yaml', 'yaml'])
  expect(formatOf('devices.xlsx')).toBeNull()
})
