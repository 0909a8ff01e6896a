// The CLI sets a camera's endpoint with the password on stdin, sealed like the API does.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { openState } from '../../gateway/app.js'
import { configWith } from '../../gateway/config/load.js'
import { CameraEndpoints } from '../../gateway/registry/camera-endpoints.js'
import { Registry } from '../../gateway/registry/registry.js'
import { SealedBox } from '../../gateway/registry/sealed-box.js'

const dataDir = mkdtempSync(join(tmpdir(), 'cli-endpoint-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const cli = (args: string[], input = ''): string => execFileSync(process.execPath, ['--import', 'tsx', 'gateway/cli.ts', 'device', ...args], {
  env: { ...process.env, GATEWAY_DATA_DIR: dataDir }, input, encoding: 'utf8'
})

test('device endpoint takes the password from stdin, never shows it, and the probe can open it', () => {
  const password = 'Cli-Sentinel-9e107d9d372bb682'
  cli(['add', '--kind', 'camera', '--name', 'Cổng UBND', '--village', 'Thôn 1', '--id', 'cam-cli'])
  const out = cli(['endpoint', 'cam-cli', '--rtsp', 'rtsp://10.0.0.5/Streaming/Channels/102', '--username', 'admin', '--password-stdin'], password + '\n')
  expect(out).toContain('password: set (encrypted)')
  expect(out).not.toContain(password)
  expect(readFileSync(join(dataDir, 'state.db')).includes(Buffer.from(password))).toBe(false)
  const config = configWith({ dataDir })
  const db = openState(config)
  const { endpoints } = new CameraEndpoints(db, new Registry(db, config.commune), SealedBox.forDataDir(dataDir)).forProbe()
  db.close()
  expect(endpoints).toEqual([{ deviceId: 'cam-cli', rtspUrl: 'rtsp://10.0.0.5/Streaming/Channels/102', onvifUrl: null, snapshotUrl: null, username: 'admin', password }])
})
