// The admin's device pages through the real API (issue #15 point 7): a device added or
// re-keyed gets a strong secret made by the server, shown in that answer only; real MQTT.js
// clients connect with it until the device is disabled or removed; a village is one the
// registry knows, or a new one confirmed out loud; RTSP-only cameras are offered no command.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { connectAsync } from 'mqtt'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { signInAs, type SignedIn } from '../support/people.js'

let t: TestGateway
let admin: SignedIn
beforeAll(async () => {
  t = await startTestGateway()
  admin = await signInAs(t.gw, t.httpUrl, 'admin')
  t.addDevice('speaker', { village: 'Thôn Đông' })
  t.addDevice('speaker', { village: 'Thôn Tây Hạ' })
})
afterAll(async () => { await t.stop() })

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const canConnect = (id: string, password: string) =>
  connectAsync(t.mqttUrl, { clientId: id, username: id, password, reconnectPeriod: 0, connectTimeout: 10_000 }).then((c) => c.endAsync().then(() => true), () => false)

test('a device added by the admin gets a strong secret shown once, which connects until the device is disabled or removed', async () => {
  const res = await admin.fetch('/api/devices', json('POST', { kind: 'camera', id: 'cam-cong-ubnd', name: 'Camera cổng UBND', village: 'Thôn Đông', site: 'Cổng UBND', lat: 16.4, lon: 107.55 }))
  expect(res.status).toBe(201)
  const { device, secret } = await res.json() as { device: { id: string; village: string }; secret: string }
  expect(device).toMatchObject({ id: 'cam-cong-ubnd', village: 'Thôn Đông' })
  expect(secret.length).toBeGreaterThanOrEqual(32) // 24+ random bytes, base64url
  expect(new Set(secret).size).toBeGreaterThan(12)

  // Never again: not in the device, the list, the audit log, nor the database.
  for (const path of ['/api/devices/cam-cong-ubnd', '/api/devices', '/api/audit?action=device.']) {
    expect(await (await admin.fetch(path)).text(), path).not.toContain(secret)
  }
  const db = new Database(join(t.dataDir, 'state.db'), { readonly: true })
  expect(JSON.stringify(db.prepare('SELECT * FROM devices WHERE id = ?').get('cam-cong-ubnd'))).not.toContain(secret)
  db.close()

  expect(await canConnect('cam-cong-ubnd', secret)).toBe(true)
  expect((await admin.fetch('/api/devices/cam-cong-ubnd', json('PATCH', { enabled: false }))).status).toBe(200)
  expect(await canConnect('cam-cong-ubnd', secret)).toBe(false)
  expect((await admin.fetch('/api/devices/cam-cong-ubnd', json('PATCH', { enabled: true }))).status).toBe(200)
  expect(await canConnect('cam-cong-ubnd', secret)).toBe(true)

  // A new secret: the old one stops working at once.
  const rotated = await (await admin.fetch('/api/devices/cam-cong-ubnd/credentials', json('POST', {}))).json() as { secret: string }
  expect(rotated.secret).not.toBe(secret)
  expect(await canConnect('cam-cong-ubnd', secret)).toBe(false)
  expect(await canConnect('cam-cong-ubnd', rotated.secret)).toBe(true)

  expect((await admin.fetch('/api/devices/cam-cong-ubnd', { method: 'DELETE' })).status).toBe(204)
  expect(await canConnect('cam-cong-ubnd', rotated.secret)).toBe(false)
  const actions = t.gw.audit.list({ actor: admin.username, limit: 20 }).map((e) => e.action)
  expect(actions).toEqual(expect.arrayContaining(['device.create', 'device.update', 'device.rotate_secret', 'device.remove']))
})

test('an id must follow its kind\'s prefix rules, and a taken id is refused without touching the first device', async () => {
  for (const id of ['Cam 1!', 'spk-cong', 'cong-ubnd']) {
    const bad = await admin.fetch('/api/devices', json('POST', { kind: 'camera', id, name: 'Camera', village: 'Thôn Đông' }))
    expect(bad.status, id).toBe(400)
  }
  const said = await (await admin.fetch('/api/devices', json('POST', { kind: 'camera', id: 'spk-cong', name: 'Camera', village: 'Thôn Đông' }))).json() as { message: string }
  expect(said.message).toContain('cam-')
  const first = await (await admin.fetch('/api/devices', json('POST', { kind: 'speaker', id: 'spk-cho', name: 'Loa chợ', village: 'Thôn Đông' }))).json() as { secret: string }
  const again = await admin.fetch('/api/devices', json('POST', { kind: 'speaker', id: 'spk-cho', name: 'Loa chợ 2', village: 'Thôn Đông' }))
  expect(again.status).toBe(409)
  expect(await canConnect('spk-cho', first.secret)).toBe(true)
})

test('a misspelled village is refused with the close matches, in Vietnamese and English; a new one needs newVillage: true', async () => {
  const res = await admin.fetch('/api/devices', json('POST', { kind: 'speaker', name: 'Loa đầu thôn', village: 'Thon Dong' }))
  expect(res.status).toBe(400)
  const body = await res.json() as { code: string; message: string; details: { unknownVillage: string; closeMatches: string[] } }
  expect(body.code).toBe('GW_ERR_VALIDATION')
  expect(body.details).toMatchObject({ unknownVillage: 'Thon Dong', closeMatches: ['Thôn Đông'] })
  expect(body.message).toContain('chưa có trong danh sách')
  expect(body.message).toContain('is not a known village')
  expect(body.message).toContain('Thôn Đông')
  expect(t.gw.registry.villages()).not.toContain('Thon Dong')

  const typo = await (await admin.fetch('/api/devices', json('POST', { kind: 'speaker', name: 'Loa', village: 'Thôn Tây Ha' }))).json() as { details: { closeMatches: string[] } }
  expect(typo.details.closeMatches[0]).toBe('Thôn Tây Hạ')

  expect((await admin.fetch('/api/devices', json('POST', { kind: 'speaker', name: 'Loa', village: 'Thôn Mới', newVillage: 'yes' }))).status).toBe(400)
  const confirmed = await admin.fetch('/api/devices', json('POST', { kind: 'speaker', name: 'Loa thôn mới', village: 'Thôn Mới', newVillage: true }))
  expect(confirmed.status).toBe(201)
  expect(await (await admin.fetch('/api/villages')).json()).toContain('Thôn Mới')
  const entry = t.gw.audit.list({ action: 'device.create', limit: 1 })[0]!
  expect(entry.details).toMatchObject({ village: 'Thôn Mới', newVillage: true })
})

test('editing keeps the thresholds and the reservoir; moving to an unknown village is refused the same way', async () => {
  const reservoir = { name: 'Hồ Khe Ngang', alarmLevels: { level1M: 40, level2M: 41, level3M: 42 } }
  const { id } = t.addDevice('water_sensor', { village: 'Thôn Đông', reservoir })
  const moved = await admin.fetch(`/api/devices/${id}`, json('PATCH', { village: 'Thôn Tay Ha' }))
  expect(moved.status).toBe(400)
  expect(((await moved.json()) as { details: { closeMatches: string[] } }).details.closeMatches).toEqual(['Thôn Tây Hạ'])
  const edited = await admin.fetch(`/api/devices/${id}`, json('PATCH', { name: 'Trạm đo hồ Khe Ngang', village: 'Thôn Tây Hạ', site: 'Đập chính', lat: 16.41, lon: 107.5 }))
  expect(edited.status).toBe(200)
  expect(t.gw.registry.get(id)).toMatchObject({ name: 'Trạm đo hồ Khe Ngang', village: 'Thôn Tây Hạ', site: 'Đập chính', reservoir: { alarmLevels: { level1M: 40, level2M: 41, level3M: 42 } } })
})

test('an RTSP/ONVIF-only camera is offered no command and a reboot is refused in words; an MQTT camera keeps its snapshot and reboot', async () => {
  const probed = t.addDevice('camera', { name: 'Camera bến đò' }).id
  t.gw.cameraEndpoints.set(probed, { rtspUrl: 'rtsp://192.0.2.10:554/stream1' })
  const mqttCamera = t.addDevice('camera').id
  const speaker = t.addDevice('speaker').id
  const offered = async (id: string) => ((await (await admin.fetch(`/api/devices/${id}`)).json()) as { commands: string[] }).commands
  expect(await offered(probed)).toEqual([])
  expect((await offered(mqttCamera)).sort()).toEqual(['reboot', 'snapshot'])
  expect((await offered(speaker)).sort()).toEqual(['reboot', 'set_volume', 'stop'])

  const refused = await admin.fetch(`/api/devices/${probed}/commands`, json('POST', { name: 'reboot', params: {} }))
  expect(refused.status).toBe(409)
  const body = await refused.json() as { message: string }
  expect(body.message).toContain('Camera bến đò')
  expect(body.message).toMatch(/RTSP\/ONVIF.*không có kênh lệnh MQTT/)
  expect(t.gw.commands.list(probed, 10)).toEqual([])

  const wrongKind = await admin.fetch(`/api/devices/${mqttCamera}/commands`, json('POST', { name: 'set_volume', params: { volume: 10 } }))
  expect(wrongKind.status).toBe(400)
  expect((await admin.fetch(`/api/devices/${mqttCamera}/commands`, json('POST', { name: 'reboot', params: {} }))).status).toBe(202)
})
