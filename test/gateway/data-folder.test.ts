// The data folder is the gateway's user's alone (issue #14): the folder 0700, every file in it
// 0600 — the SQLite files with their -wal and -shm, secret.key, admin-token, bulletin audio —
// whether made now or left by an older version with looser modes.
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { adminTokenFor } from '../../gateway/app.js'
import { configWith } from '../../gateway/config/load.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
const dataDir = mkdtempSync(join(tmpdir(), 'gw-private-'))
beforeAll(async () => {
  // What an older version left: a readable folder and files.
  mkdirSync(join(dataDir, 'audio'), { recursive: true, mode: 0o755 })
  writeFileSync(join(dataDir, 'audio', 'old-clip.mp3'), 'x', { mode: 0o644 })
  writeFileSync(join(dataDir, 'demo-credentials.json'), '{}', { mode: 0o644 })
  t = await startTestGateway({ dataDir })
})
afterAll(async () => { await t.stop() })

/** Every entry under the folder, with its permission bits. */
function modes (dir: string): Array<{ path: string; dir: boolean; mode: string }> {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).map((e) => {
    const path = join(e.parentPath, e.name)
    return { path: path.slice(dir.length + 1), dir: e.isDirectory(), mode: (statSync(path).mode & 0o777).toString(8) }
  })
}

test('the data folder is 0700 and every file in it 0600, new or left by an older version', async () => {
  adminTokenFor(configWith({ dataDir }))
  const { device } = t.gw.registry.create({ kind: 'speaker', name: 'Cụm loa thử', village: 'Thôn Đông' })
  await t.gw.broadcasts.audio.speak('Thông báo thử', 'north', 'test')
  const client = await t.connect(device.id, t.gw.registry.rotateSecret(device.id).secret)
  await client.publishAsync(`commune/v1/${device.id}/telemetry`, JSON.stringify({ volume: 40 }), { qos: 1 })

  expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700')
  const entries = modes(dataDir)
  const names = entries.map((e) => e.path)
  for (const expected of ['state.db', 'state.db-wal', 'state.db-shm', 'journal.db', 'journal.db-wal', 'telemetry.db', 'secret.key', 'admin-token', 'audio/old-clip.mp3', 'demo-credentials.json']) {
    expect(names).toContain(expected)
  }
  expect(names.some((n) => /^audio\/.+\.mp3$/.test(n) && n !== 'audio/old-clip.mp3')).toBe(true)
  expect(entries.filter((e) => e.mode !== (e.dir ? '700' : '600'))).toEqual([])
})
