// Migration 10 drops the CHECK that listed the device kinds (issue #16): a database made by the
// old schema keeps every device and every row that references one, and takes a new kind.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { openDatabase } from '../../gateway/db/database.js'
import { STATE_MIGRATIONS } from '../../gateway/db/state-schema.js'

const dirs: string[] = []
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }) })

const deviceRow = (id: string, kind: string) =>
  `('${id}', '${kind}', 'Cụm ${id}', 'Xã mẫu', 'Thôn Đông', NULL, NULL, 21.1, 105.2, NULL, 'salt', 'hash', 1, 'fw', 'm', NULL, 1, 2)`

test('a database made before the kinds were definitions keeps its devices and what references them, and takes a new kind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-kinds-migrate-'))
  dirs.push(dir)
  const file = join(dir, 'state.db')
  const old = openDatabase(file, { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS.slice(0, 9) })
  expect(() => old.prepare(`INSERT INTO devices VALUES ${deviceRow('aq-1', 'air_quality')}`).run()).toThrow(/CHECK/)
  old.exec(`INSERT INTO devices VALUES ${deviceRow('spk-1', 'speaker')}, ${deviceRow('cam-1', 'camera')}, ${deviceRow('wl-1', 'water_sensor')};
    INSERT INTO presence_transitions VALUES ('cam-1', 10, 1, 'status'), ('cam-1', 20, 0, 'will'), ('wl-1', 15, 1, 'message');
    INSERT INTO commands (id, device_id, name, params, status, reason, created_at, updated_at, expires_at) VALUES ('c1', 'spk-1', 'set_volume', '{"volume":30}', 'queued', NULL, 1, 1, 99);
    INSERT INTO camera_endpoints VALUES ('cam-1', 'rtsp://10.0.0.5/stream', NULL, NULL, 'admin', NULL, 3);`)
  const before = {
    devices: old.prepare('SELECT * FROM devices ORDER BY id').all(),
    presence: old.prepare('SELECT * FROM presence_transitions ORDER BY device_id, at').all(),
    commands: old.prepare('SELECT * FROM commands').all(),
    endpoints: old.prepare('SELECT * FROM camera_endpoints').all()
  }
  old.close()

  const db = openDatabase(file, { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  expect(db.pragma('user_version', { simple: true })).toBe(STATE_MIGRATIONS.length)
  expect({
    devices: db.prepare('SELECT * FROM devices ORDER BY id').all(),
    presence: db.prepare('SELECT * FROM presence_transitions ORDER BY device_id, at').all(),
    commands: db.prepare('SELECT * FROM commands').all(),
    endpoints: db.prepare('SELECT * FROM camera_endpoints').all()
  }).toEqual(before)
  db.exec(`INSERT INTO devices VALUES ${deviceRow('aq-1', 'air_quality')}`)
  expect(db.prepare('SELECT kind FROM devices WHERE id = ?').get('aq-1')).toEqual({ kind: 'air_quality' })
  // The foreign keys hold again after the migration: removing a device still takes its rows with it.
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
  db.prepare('DELETE FROM devices WHERE id = ?').run('cam-1')
  expect(db.prepare('SELECT count(*) AS n FROM presence_transitions WHERE device_id = ?').get('cam-1')).toEqual({ n: 0 })
  expect(db.prepare('SELECT count(*) AS n FROM camera_endpoints').get()).toEqual({ n: 0 })
  expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'devices' AND sql IS NOT NULL").all()).toEqual([{ name: 'devices_by_village' }])
  db.close()
})

test('a migration that would break a foreign key is rolled back and says which', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-kinds-migrate-'))
  dirs.push(dir)
  const file = join(dir, 'state.db')
  const bad = [...STATE_MIGRATIONS, "INSERT INTO commands (id, device_id, name, params, status, created_at, updated_at, expires_at) VALUES ('c9', 'nobody', 'reboot', '{}', 'queued', 1, 1, 9);"]
  expect(() => openDatabase(file, { synchronous: 'NORMAL', migrations: bad })).toThrow(/migration 11 .* breaks 1 foreign key.*commands → devices/)
  const db = openDatabase(file, { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  expect(db.prepare('SELECT count(*) AS n FROM commands').get()).toEqual({ n: 0 })
  db.close()
})
