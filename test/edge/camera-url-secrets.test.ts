// A camera's login never travels in its URLs (issue #14): user:password@ or a query string
// such as ?user=admin&password=... is refused by the API and the CLI, naming the field to use
// instead, and nothing of it is stored, answered or audited.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { credentialsIn } from '../../gateway/registry/camera-endpoints.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway() })
afterAll(async () => { await t.stop() })

const SECRET = 'Sentinel-b1946ac92492d234'
const put = (id: string, body: object) => t.api(`/api/devices/${id}/endpoint`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

test('the API refuses credentials in any URL, names the field to use, and keeps nothing of them', async () => {
  const { id } = t.addDevice('camera')
  const cases: Array<[object, RegExp]> = [
    [{ rtspUrl: `rtsp://10.0.0.5/cam/realmonitor?channel=1&subtype=1&password=${SECRET}` }, /rtspUrl: .*"password=" in the query string.*"password" field/],
    [{ rtspUrl: 'rtsp://10.0.0.5/live', snapshotUrl: `http://10.0.0.5/cgi-bin/snapshot.cgi?user=admin&pwd=${SECRET}` }, /snapshotUrl: .*"password" field/],
    [{ rtspUrl: 'rtsp://10.0.0.5/live', onvifUrl: 'http://10.0.0.5/onvif/device_service?username=admin' }, /onvifUrl: .*"username=" in the query string.*"username" field/],
    [{ rtspUrl: `rtsp://admin:${SECRET}@10.0.0.5/live` }, /user:password@.*"password" field/]
  ]
  for (const [body, message] of cases) {
    const res = await put(id, body)
    expect(res.status).toBe(400)
    const text = await res.text()
    expect((JSON.parse(text) as { details: string[] }).details.join('\n')).toMatch(message)
    expect(text).not.toContain(SECRET)
  }
  expect((await t.api(`/api/devices/${id}/endpoint`)).status).toBe(404)
  expect(JSON.stringify(t.gw.audit.list({ limit: 1000 }))).not.toContain(SECRET)
  expect(readFileSync(join(t.dataDir, 'state.db')).includes(Buffer.from(SECRET))).toBe(false)
  // Ordinary query strings (Dahua's channel and subtype) are fine.
  expect((await put(id, { rtspUrl: 'rtsp://10.0.0.5/cam/realmonitor?channel=1&subtype=1', username: 'viewer', password: SECRET })).status).toBe(200)
})

test('the CLI refuses them too and says which option to use', () => {
  const { id } = t.addDevice('camera')
  const run = () => execFileSync(process.execPath, ['--import', 'tsx', 'gateway/cli.ts', 'device', 'endpoint', id, '--rtsp', `rtsp://10.0.0.5/live?password=${SECRET}`], {
    env: { ...process.env, GATEWAY_DATA_DIR: t.dataDir }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe']
  })
  let stderr = ''
  let status = 0
  try { run() } catch (err) { ({ stderr, status } = err as { stderr: string; status: number }) }
  expect(status).toBe(2)
  expect(stderr).toMatch(/--rtsp: no login in the URL \("password=" in the query string\); give it with --password-stdin instead/)
  expect(stderr).not.toContain(SECRET)
})

test('which field a URL\'s credentials belong in', () => {
  expect(credentialsIn('rtsp://10.0.0.5/Streaming/Channels/102')).toBeNull()
  expect(credentialsIn('http://10.0.0.5/x?Passwd=1')).toMatchObject({ field: 'password' })
  expect(credentialsIn('http://10.0.0.5/x?token=1')).toMatchObject({ field: 'password' })
  expect(credentialsIn('http://admin@10.0.0.5/x')).toMatchObject({ field: 'username' })
})
