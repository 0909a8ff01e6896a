// docs/integration.md's `sh` blocks, run in order by bash against a real gateway with a
// water station, a reading and an alarm: the integrator's ten minutes work as written.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
let dir: string

beforeAll(async () => {
  t = await startTestGateway()
  dir = mkdtempSync(join(tmpdir(), 'gw-integration-doc-'))
  const station = t.addDevice('water_sensor', { name: 'Hồ Khe Ngang', reservoir: { name: 'Hồ Khe Ngang', alarmLevels: { level1M: 40 } } })
  const client = await t.connect(station.id, station.secret)
  await client.publishAsync(`commune/v1/${station.id}/telemetry`, JSON.stringify({ levelM: 41.2 }), { qos: 1 })
  t.gw.alarms.reportVillage('Thôn Đông', { type: 'no_data', active: true, details: {} })
})
afterAll(async () => {
  await t.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('every command of docs/integration.md runs against a real gateway and prints what the page says', async () => {
  const blocks = [...readFileSync('docs/integration.md', 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)
  expect(blocks.length).toBeGreaterThanOrEqual(6)
  const script = ['set -euo pipefail', ...blocks].join('\n')
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd: dir, env: { ...process.env, BOX: t.httpUrl, ADMIN_TOKEN: t.gw.adminToken } })
  expect(stdout).toContain('"name": "lgsp-tinh"')
  expect(stdout).toContain('"levelM": 41.2')
  expect(stdout).toContain('"unit": "m"')
  expect(stdout).toMatch(/"acknowledged": true,\s+"ackedBy": "token:lgsp-tinh"/)
  expect(stdout).toContain('403')
  expect(stdout).toContain('"device.online"')
  expect(stdout).toContain('Mực nước · Hồ Khe Ngang')
  expect(readFileSync(join(dir, 'level.csv'), 'utf8').length).toBeGreaterThan(10)
})
