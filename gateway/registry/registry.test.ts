import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, expect, test } from 'vitest'
import { openDatabase, type Db } from '../db/database.js'
import { STATE_MIGRATIONS } from '../db/state-schema.js'
import { GatewayError } from '../errors.js'
import { freshId, Registry, type RegistryChange } from './registry.js'

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

/** The GatewayError a call throws. */
function thrown (fn: () => unknown): GatewayError {
  try {
    fn()
  } catch (err) {
    if (err instanceof GatewayError) return err
    throw err
  }
  throw new Error('expected a GatewayError, nothing was thrown')
}

test('create, get, list with filters; the commune defaults to the box\'s', () => {
  const { device } = registry.create({ kind: 'camera', name: 'Camera chợ', village: 'Thôn Đông' })
  registry.create({ kind: 'speaker', name: 'Loa chợ', village: 'Thôn Đông' })
  registry.create({ id: 'wl-01', kind: 'water_sensor', name: 'Trạm hồ', village: 'Thôn Tây', reservoir })
  registry.create({ id: 'spk-02', kind: 'speaker', name: 'Loa xã bên', commune: 'Xã Phong Hiền', village: 'Thôn Đông' })
  expect(device).toMatchObject({ kind: 'camera', commune: 'Xã Phong Điền', enabled: true, lat: null, reservoir: null })
  expect(device.id).toMatch(/^cam-/)
  expect(registry.get(device.id)).toEqual(device)
  expect(registry.get('cam-none')).toBeNull()
  expect(registry.count()).toBe(4)
  expect(registry.list({ village: 'Thôn Đông' })).toHaveLength(3)
  expect(registry.list({ village: 'Thôn Đông', kind: 'speaker' }).map((d) => d.commune).sort()).toEqual(['Xã Phong Hiền', 'Xã Phong Điền'])
  expect(registry.list({ commune: 'Xã Phong Hiền' }).map((d) => d.id)).toEqual(['spk-02'])
  expect(registry.list({ kind: 'water_sensor' }).map((d) => d.reservoir)).toEqual([{ ...reservoir, downstreamVillages: [] }])
  expect(thrown(() => registry.create({ id: 'wl-01', kind: 'water_sensor', name: 'x', village: 'y' }))).toMatchObject({ code: 'GW_ERR_CONFLICT', message: expect.stringMatching(/already exists/) as unknown })
})

test('secrets: only a salted hash is stored; a wrong secret or an unknown id fails', () => {
  const { device, secret } = registry.create({ kind: 'camera', name: 'Camera', village: 'Thôn Đông' })
  const other = registry.create({ kind: 'camera', name: 'Camera 2', village: 'Thôn Đông' })
  const row = db.prepare('SELECT * FROM devices WHERE id = ?').get(device.id) as Record<string, unknown>
  expect(Object.values(row).some((v) => typeof v === 'string' && v.includes(secret))).toBe(false)
  expect(row.secret_hash).toEqual(expect.any(String))
  expect(secret.length).toBeGreaterThanOrEqual(32) // 192 random bits
  expect(registry.authenticate(device.id, secret)?.id).toBe(device.id)
  expect(registry.authenticate(device.id, secret.slice(1))).toBeNull()
  expect(registry.authenticate(device.id, '')).toBeNull()
  expect(registry.authenticate(device.id, other.secret)).toBeNull() // another device's secret
  expect(registry.authenticate('cam-none', secret)).toBeNull()
})

test('rotating a secret invalidates the old one', () => {
  const { device, secret } = registry.create({ kind: 'camera', name: 'Camera', village: 'Thôn Đông' })
  const changes: RegistryChange[] = []
  registry.onChange((c) => changes.push(c))
  const rotated = registry.rotateSecret(device.id)
  expect(rotated.secret).not.toBe(secret)
  expect(registry.authenticate(device.id, secret)).toBeNull()
  expect(registry.authenticate(device.id, rotated.secret)?.id).toBe(device.id)
  expect(changes).toEqual([{ type: 'secret-rotated', id: device.id }]) // the broker drops the old session on this
  expect(thrown(() => registry.rotateSecret('cam-none')).code).toBe('GW_ERR_NOT_FOUND')
})

test('validation names every problem, including reservoir levels out of order', () => {
  const err = thrown(() => registry.create({
    kind: 'camera', name: '', village: 'Thôn', lat: 16.4, reservoir: { ...reservoir, alarmLevels: { level1M: 43, level2M: 42 } }
  }))
  expect(err.code).toBe('GW_ERR_VALIDATION')
  const details = (err.details as string[]).join('\n')
  expect(details).toMatch(/name/)
  expect(details).toMatch(/level2M must be above level1M/)
  expect(details).toMatch(/only water sensors have a reservoir/)
  expect(details).toMatch(/lat and lon go together/)
  expect(registry.count()).toBe(0)
})

test('update changes only what is given; remove deletes; unknown ids and bad changes are refused', () => {
  const { device } = registry.create({ kind: 'speaker', name: 'Loa', village: 'Thôn Đông', lat: 16.4, lon: 107.5 })
  const updated = registry.update(device.id, { village: 'Thôn Tây', enabled: false })
  expect(updated).toMatchObject({ name: 'Loa', village: 'Thôn Tây', enabled: false, lat: 16.4, lon: 107.5 })
  expect(registry.get(device.id)).toEqual(updated)
  expect(registry.update(device.id, { lat: null, lon: null })).toMatchObject({ lat: null, lon: null })
  expect(thrown(() => registry.update(device.id, { lat: 16 })).message).toMatch(/lat and lon go together/)
  expect(thrown(() => registry.update(device.id, { reservoir })).message).toMatch(/only water sensors/)
  expect(thrown(() => registry.update(device.id, { kind: 'camera' })).code).toBe('GW_ERR_VALIDATION') // kind never changes
  expect(thrown(() => registry.update('spk-none', { name: 'x' })).code).toBe('GW_ERR_NOT_FOUND')
  expect(registry.list({ village: 'Thôn Tây' }).map((d) => d.id)).toEqual([device.id]) // the list kept in memory follows
  registry.remove(device.id)
  expect(registry.get(device.id)).toBeNull()
  expect(registry.list()).toEqual([])
  expect(thrown(() => registry.remove(device.id)).message).toMatch(/no device/)
})

test('a change made through another connection (the CLI) is seen', async () => {
  const { device } = registry.create({ kind: 'camera', name: 'Camera', village: 'Thôn Đông' })
  expect(registry.get(device.id)?.name).toBe('Camera') // now cached
  expect(registry.list().map((d) => d.name)).toEqual(['Camera']) // the list too
  const cli = openDatabase(file, { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  const shell = new Registry(cli, 'Xã Phong Điền')
  shell.update(device.id, { name: 'Camera cổng' })
  const added = shell.create({ kind: 'speaker', name: 'Loa', village: 'Thôn Đông' }).device
  cli.close()
  await expect.poll(() => registry.get(device.id)?.name, { interval: 50 }).toBe('Camera cổng')
  await expect.poll(() => registry.list().map((d) => d.id).sort(), { interval: 50 }).toEqual([device.id, added.id].sort())
})

test('import is all or nothing and lists every problem of every entry', () => {
  registry.create({ id: 'cam-000', kind: 'camera', name: 'Đã có', village: 'Thôn Đông' })
  const err = thrown(() => registry.importMany([
    { id: 'cam-001', kind: 'camera', name: 'Camera 1', village: 'Thôn Đông' },
    { id: 'cam-001', kind: 'camera', name: 'Again', village: 'Thôn Đông' },
    { id: 'spk-9', kind: 'radio', name: 'X', village: 'Y' },
    { id: 'wl-2', kind: 'water_sensor', name: 'Trạm', village: 'Y', reservoir: { ...reservoir, alarmLevels: { level1M: 2, level2M: 1 } } },
    { kind: 'camera', village: 'Y' },
    null
  ]))
  expect(err.code).toBe('GW_ERR_VALIDATION')
  expect(err.message).toMatch(/nothing was imported/)
  expect(err.details).toEqual([
    'entry 2: id cam-001 appears twice',
    expect.stringMatching(/^entry 3 \(spk-9\): kind/),
    expect.stringMatching(/^entry 4 \(wl-2\): reservoir.alarmLevels: level2M must be above level1M/),
    expect.stringMatching(/^entry 5: name/),
    expect.stringMatching(/^entry 6: /)
  ])
  expect(registry.list().map((d) => d.id)).toEqual(['cam-000'])
})

test('a second import skips the ids that exist and leaves their secrets alone', () => {
  const entries = [
    { id: 'cam-001', kind: 'camera', name: 'Camera 1', village: 'Thôn Đông' },
    { id: 'wl-01', kind: 'water_sensor', name: 'Trạm 1', village: 'Thôn Tây', reservoir }
  ]
  const first = registry.importMany(entries)
  expect(first.created.map((c) => c.device.id)).toEqual(['cam-001', 'wl-01'])
  expect(first.skipped).toEqual([])
  const changes: RegistryChange[] = []
  registry.onChange((c) => changes.push(c))
  const again = registry.importMany([...entries, { id: 'spk-01', kind: 'speaker', name: 'Loa 1', village: 'Thôn Tây' }])
  expect(again.skipped).toEqual(['cam-001', 'wl-01'])
  expect(again.created.map((c) => c.device.id)).toEqual(['spk-01'])
  expect(changes.map((c) => c.type)).toEqual(['created'])
  for (const { device, secret } of first.created) expect(registry.authenticate(device.id, secret)?.id).toBe(device.id)
  expect(registry.count()).toBe(3)
})

test('a generated id already taken is drawn again, never refused: a registration of 10,050 devices in a benchmark met one', () => {
  const { device } = registry.create({ kind: 'water_sensor', name: 'Trạm đầu', village: 'Thôn Đông' })
  const draws = [Buffer.from(device.id.slice(3), 'hex'), Buffer.from('0badcafe', 'hex')]
  const id = freshId('wl', (candidate) => registry.get(candidate) !== null, () => draws.shift()!)
  expect(id).toBe('wl-0badcafe')
  expect(draws).toEqual([])
})
