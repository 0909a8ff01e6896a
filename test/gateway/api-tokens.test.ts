// Integration tokens (issue #22): made by the admin with separate grants, an expiry and a note;
// shown once and stored hashed; listed with their last use; revocable; every use audited under
// the token's name. What each grant opens, route by route, is in access-matrix.test.ts.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { io as connectSocket } from 'socket.io-client'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { signInAs, type SignedIn } from '../support/people.js'

let t: TestGateway
let admin: SignedIn
let clock = Date.now()
const DAY = 86_400_000

beforeAll(async () => {
  t = await startTestGateway({}, { now: () => clock })
  admin = await signInAs(t.gw, t.httpUrl, 'admin')
})
afterAll(async () => { await t.stop() })

const post = (who: SignedIn, path: string, body: unknown) => who.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const bearer = (secret: string, path: string, init: RequestInit = {}) =>
  fetch(`${t.httpUrl}${path}`, { ...init, headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...init.headers } })
interface Made { token: { id: number; name: string; lastUsedAt: number | null; lastUsedAddress: string | null; revokedAt: number | null; expiresAt: number }; secret: string }

test('the admin makes a token that is shown once, kept only as a hash, and listed with its last use', async () => {
  const res = await post(admin, '/api/tokens', { name: 'grafana-xa', grants: ['devices.read'], kinds: ['water_sensor'], expiresInDays: 90, note: 'Grafana của huyện' })
  expect(res.status).toBe(201)
  const made = await res.json() as Made
  expect(made.secret).toMatch(/^gwt_[A-Za-z0-9_-]{43}$/)
  expect(made.token.expiresAt).toBe(clock + 90 * DAY)
  // Neither the list nor the database file holds the secret.
  const listed = await (await admin.fetch('/api/tokens')).text()
  expect(listed).not.toContain(made.secret)
  expect(readFileSync(join(t.dataDir, 'state.db')).includes(made.secret.slice(4))).toBe(false)

  const station = t.addDevice('water_sensor').id
  expect((await bearer(made.secret, `/api/devices/${station}`)).status).toBe(200)
  const token = (await (await admin.fetch('/api/tokens')).json() as Made['token'][]).find((x) => x.name === 'grafana-xa')!
  expect(token.lastUsedAt).toBe(clock)
  expect(token.lastUsedAddress).toMatch(/127\.0\.0\.1/)
})

test('every use is in the audit log under the token\'s name, with what it did', async () => {
  const { secret } = t.gw.tokens.create({ name: 'lgsp-tinh', grants: ['alarms.acknowledge'], kinds: ['water_sensor'], expiresInDays: 30 }, 'quantri')
  const station = t.addDevice('water_sensor').id
  const alarm = t.gw.alarmStore.raise({ subject: station, deviceId: station, village: 'Thôn Đông', kind: 'water_sensor', type: 'no_data', severity: 'major', details: {}, startedAt: clock, nextEscalationAt: null }, clock)
  expect((await bearer(secret, '/api/alarms?state=active')).status).toBe(200)
  expect((await bearer(secret, `/api/alarms/${alarm.id}/acknowledge`, { method: 'POST', body: JSON.stringify({ comment: 'Đã cử người kiểm tra' }) })).status).toBe(200)
  expect((await bearer(secret, `/api/alarms/${alarm.id}/clear`, { method: 'POST', body: '{}' })).status).toBe(403)
  const log = await (await admin.fetch('/api/audit?actor=token:lgsp-tinh')).json() as Array<{ action: string; target: string; role: string | null; details: { method?: string; status?: number } }>
  expect(log.map((e) => `${e.action} ${e.target}`)).toEqual([
    `token.use /api/alarms/${alarm.id}/clear`, `token.use /api/alarms/${alarm.id}/acknowledge`, `alarm.acknowledge ${alarm.id}`, 'token.use /api/alarms?state=active'
  ])
  expect(log[0]).toMatchObject({ role: null, details: { method: 'POST', status: 403 } })
  expect(t.gw.alarmStore.get(alarm.id)).toMatchObject({ acknowledged: true, ackedBy: 'token:lgsp-tinh' })
})

test('a revoked token is refused from its next request on and stays listed; an expired one is refused', async () => {
  const made = await (await post(admin, '/api/tokens', { name: 'node-red', grants: ['alarms.read'], kinds: ['camera'], expiresInDays: 1 })).json() as Made
  expect((await bearer(made.secret, '/api/alarms')).status).toBe(200)
  clock += DAY
  const expired = await bearer(made.secret, '/api/alarms')
  expect(expired.status).toBe(401)
  expect(await expired.json()).toMatchObject({ code: 'GW_ERR_UNAUTHORIZED', message: 'unknown, expired or revoked token' })
  admin = await signInAs(t.gw, t.httpUrl, 'admin') // the admin's own session is a day idle too

  const other = await (await post(admin, '/api/tokens', { name: 'home-assistant', grants: ['devices.read'], kinds: ['speaker'], expiresInDays: 365 })).json() as Made
  expect((await bearer(other.secret, '/api/devices')).status).toBe(200)
  const revoked = await admin.fetch(`/api/tokens/${other.token.id}`, { method: 'DELETE' })
  expect(revoked.status).toBe(200)
  expect((await bearer(other.secret, '/api/devices')).status).toBe(401)
  const listed = await (await admin.fetch('/api/tokens')).json() as Made['token'][]
  expect(listed.find((x) => x.name === 'home-assistant')).toMatchObject({ revokedAt: clock })
  const log = await (await admin.fetch(`/api/audit?actor=${admin.username}&action=token.`)).json() as Array<{ action: string; target: string }>
  expect(log.map((e) => `${e.action} ${e.target}`)).toEqual(['token.revoke home-assistant', 'token.create home-assistant'])
})

test('bad token requests get a clear error and make nothing', async () => {
  const cases: Array<[unknown, number]> = [
    [{ name: 'Có Dấu', grants: ['devices.read'], kinds: ['camera'], expiresInDays: 30 }, 400],
    [{ name: 'no-grant', grants: [], kinds: ['camera'], expiresInDays: 30 }, 400],
    [{ name: 'approver', grants: ['broadcasts.approve'], expiresInDays: 30 }, 400],
    [{ name: 'no-kinds', grants: ['devices.read'], expiresInDays: 30 }, 400],
    [{ name: 'forever', grants: ['alarms.read'], kinds: ['camera'], expiresInDays: 10_000 }, 400],
    [{ name: 'no-expiry', grants: ['alarms.read'], kinds: ['camera'] }, 400],
    [{ name: 'grafana-xa', grants: ['alarms.read'], kinds: ['camera'], expiresInDays: 30 }, 409]
  ]
  const before = t.gw.tokens.list().length
  for (const [body, status] of cases) {
    const res = await post(admin, '/api/tokens', body)
    expect(res.status, JSON.stringify(body)).toBe(status)
    expect((await res.json() as { message: string }).message.length).toBeGreaterThan(5)
  }
  expect(t.gw.tokens.list().length).toBe(before)
})

test('a token makes no tokens, approves no bulletin, opens no live socket; officials and operators manage no tokens', async () => {
  const { secret } = t.gw.tokens.create({ name: 'tat-ca', grants: ['devices.read', 'alarms.read', 'alarms.acknowledge', 'broadcasts.send'], kinds: ['speaker', 'camera', 'water_sensor'], expiresInDays: 30 }, 'quantri')
  expect((await bearer(secret, '/api/tokens', { method: 'POST', body: JSON.stringify({ name: 'con', grants: ['alarms.read'], kinds: ['camera'], expiresInDays: 1 }) })).status).toBe(403)
  expect((await bearer(secret, '/api/broadcasts/00000000-0000-4000-8000-000000000000/approve', { method: 'POST', body: '{}' })).status).not.toBe(200)
  for (const role of ['official', 'operator', 'police'] as const) {
    expect((await (await signInAs(t.gw, t.httpUrl, role)).fetch('/api/tokens')).status).toBe(403)
  }
  const socket = connectSocket(t.httpUrl, { transports: ['websocket'], auth: { token: secret }, reconnection: false })
  const error = await new Promise<Error & { data?: { code: string } }>((resolve) => socket.on('connect_error', resolve))
  expect(error.data?.code).toBe('UNAUTHORIZED')
  socket.disconnect()
})
