import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { openDatabase } from '../db/database.js'
import { STATE_MIGRATIONS } from '../db/state-schema.js'
import { Registry, type RegistryChange } from './registry.js'
import { ShellChanges } from './shell-changes.js'

const dir = mkdtempSync(join(tmpdir(), 'gw-shell-changes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('changes committed by another connection are announced once each; the gateway\'s own are not announced again', () => {
  const file = join(dir, 'state.db')
  const open = () => openDatabase(file, { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  const gatewayDb = open()
  const shellDb = open()
  const gateway = new Registry(gatewayDb, 'Xã thử')
  const shell = new Registry(shellDb, 'Xã thử')
  const kept = gateway.create({ kind: 'camera', name: 'Cổng', village: 'Thôn Đông' }).device.id
  const watch = new ShellChanges(gatewayDb, gateway, 60_000)
  watch.start()
  const heard: RegistryChange[] = []
  gateway.onChange((c) => heard.push(c))
  try {
    expect(watch.poll()).toEqual([])
    // The gateway's own change: its listeners hear it where it is made, the watch stays quiet.
    gateway.update(kept, { name: 'Cổng chính' })
    expect(watch.poll()).toEqual([])

    const added = shell.create({ kind: 'speaker', name: 'Cụm loa', village: 'Thôn Đông' }).device.id
    shell.update(kept, { enabled: false })
    const changes = watch.poll()
    expect(changes).toEqual([
      { type: 'updated', device: expect.objectContaining({ id: kept, enabled: false }) as unknown },
      { type: 'created', device: expect.objectContaining({ id: added }) as unknown }
    ])
    // Nothing new since: nothing announced twice.
    expect(watch.poll()).toEqual([])

    shell.rotateSecret(added)
    shell.remove(kept)
    expect(watch.poll()).toEqual([{ type: 'secret-rotated', id: added }, { type: 'removed', id: kept }])
    // The gateway's cache saw it too.
    expect(gateway.get(kept)).toBeNull()
    expect(heard.map((c) => c.type)).toEqual(['updated', 'updated', 'created', 'secret-rotated', 'removed'])
  } finally {
    watch.stop()
    gatewayDb.close()
    shellDb.close()
  }
})
