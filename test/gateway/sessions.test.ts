// Signing in and out through the real HTTP API: cookies, CSRF, the login limit, password
// changes, the first admin, accounts made by an admin, and the audit log of all of it.
import { Writable } from 'node:stream'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD, signIn, signInAs } from '../support/people.js'

let t: TestGateway
let logs = ''
beforeAll(async () => {
  const sink = new Writable({ write (chunk: Buffer, _enc, done) { logs += chunk.toString(); done() } })
  t = await startTestGateway({ loginAttempts: 3 }, { log: sink })
})
afterAll(async () => { await t.stop() })

const login = (username: string, password: string, headers: Record<string, string> = {}) => fetch(`${t.httpUrl}/api/session`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password })
})

test('the first start makes "admin" with a one-time password, printed once, that must be changed', async () => {
  const line = logs.split('\n').find((l) => l.includes('oneTimePassword'))!
  const { oneTimePassword } = JSON.parse(line) as { oneTimePassword: string }
  const res = await login('admin', oneTimePassword)
  expect(res.status).toBe(201)
  expect(await res.json()).toMatchObject({ username: 'admin', role: 'admin', mustChangePassword: true })
})

test('a login sets an httpOnly, SameSite=Strict cookie; a wrong password is refused and audited', async () => {
  const username = await addUser(t.gw, 'police')
  const wrong = await login(username, 'not the password')
  expect(wrong.status).toBe(401)
  expect(await wrong.json()).toMatchObject({ code: 'GW_ERR_UNAUTHORIZED', message: 'wrong username or password' })
  expect((await login('nobody-here', PASSWORD)).status).toBe(401)

  const res = await login(username, PASSWORD)
  expect(res.status).toBe(201)
  const cookie = res.headers.get('set-cookie')!
  expect(cookie).toMatch(/^gw_session=[\w-]{40,};/)
  expect(cookie).toMatch(/HttpOnly/i)
  expect(cookie).toMatch(/SameSite=Strict/i)
  const me = await res.json() as { role: string; csrfToken: string }
  expect(me).toMatchObject({ username, role: 'police', mustChangePassword: false })

  const audit = t.gw.audit.list({ actor: username, limit: 10 }).map((e) => e.action)
  expect(audit).toEqual(['session.login', 'session.login_failed'])
  expect(t.gw.audit.list({ actor: username, limit: 1 })[0]!.address).toMatch(/127\.0\.0\.1/)
})

test('writes with a session need its CSRF token; the bearer token needs none', async () => {
  const admin = await signInAs(t.gw, t.httpUrl, 'admin')
  const body = JSON.stringify({ kind: 'camera', name: 'Camera thử CSRF', village: 'Thôn Đông', newVillage: true })
  const post = (headers: Record<string, string>) => fetch(`${t.httpUrl}/api/devices`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin.cookie, ...headers }, body })
  const missing = await post({})
  expect(missing.status).toBe(403)
  expect(await missing.json()).toMatchObject({ code: 'GW_ERR_CSRF' })
  expect((await post({ 'x-csrf-token': 'forged' })).status).toBe(403)
  expect((await post({ 'x-csrf-token': admin.csrf })).status).toBe(201)
  expect((await t.api('/api/devices', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(201)
})

test('failed logins are limited per address and username; other people are not locked out', async () => {
  const target = await addUser(t.gw, 'official')
  for (let i = 0; i < 3; i++) expect((await login(target, 'guess-' + i)).status).toBe(401)
  const blocked = await login(target, PASSWORD)
  expect(blocked.status).toBe(429)
  expect(await blocked.json()).toMatchObject({ code: 'GW_ERR_TOO_MANY_REQUESTS' })
  expect((await login(await addUser(t.gw, 'official'), PASSWORD)).status).toBe(201)
})

test('logging out ends the session on the server, not only in the browser', async () => {
  const user = await signInAs(t.gw, t.httpUrl, 'operator')
  expect((await user.fetch('/api/session')).status).toBe(200)
  expect((await user.fetch('/api/session', { method: 'DELETE' })).status).toBe(204)
  expect((await user.fetch('/api/session')).status).toBe(401)
})

test('changing one\'s password checks the old one and ends every other session', async () => {
  const username = await addUser(t.gw, 'official')
  const phone = await signIn(t.httpUrl, username)
  const office = await signIn(t.httpUrl, username)
  const change = (currentPassword: string, newPassword: string) => office.fetch('/api/session/password', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currentPassword, newPassword })
  })
  expect((await change('wrong-password', 'một mật khẩu mới dài')).status).toBe(400)
  const short = await change(PASSWORD, 'short')
  expect(short.status).toBe(400)
  expect(JSON.stringify(await short.json())).toContain('at least 10 characters')
  expect((await change(PASSWORD, 'một mật khẩu mới dài')).status).toBe(200)
  expect((await phone.fetch('/api/session')).status).toBe(401)
  expect((await office.fetch('/api/session')).status).toBe(200)
  expect((await login(username, PASSWORD)).status).toBe(401)
  expect((await login(username, 'một mật khẩu mới dài')).status).toBe(201)
})

test('an admin makes an account: the gateway gives a one-time password that must be changed', async () => {
  const res = await t.api('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'canbo.moi', displayName: 'Cán bộ mới', role: 'official' }) })
  expect(res.status).toBe(201)
  const made = await res.json() as { oneTimePassword: string; mustChangePassword: boolean }
  expect(made.mustChangePassword).toBe(true)
  const first = await signIn(t.httpUrl, 'canbo.moi', made.oneTimePassword)
  expect((await first.fetch('/api/devices')).status).toBe(403)
  const entry = t.gw.audit.list({ action: 'user.create', limit: 10 }).find((e) => e.target === 'canbo.moi')!
  expect(entry).toMatchObject({ actor: 'api-token', role: 'admin' })
  expect(JSON.stringify(entry.details)).not.toContain(made.oneTimePassword)
})

test('the last enabled admin cannot be disabled, demoted or removed', async () => {
  for (const u of t.gw.users.list()) if (u.role === 'admin') await t.gw.users.update(u.id, { role: 'operator' }).catch(() => undefined)
  const admins = t.gw.users.list().filter((u) => u.role === 'admin' && u.enabled)
  expect(admins).toHaveLength(1)
  const patch = (body: object) => t.api(`/api/users/${admins[0]!.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect((await patch({ enabled: false })).status).toBe(409)
  expect((await patch({ role: 'police' })).status).toBe(409)
  expect((await t.api(`/api/users/${admins[0]!.id}`, { method: 'DELETE' })).status).toBe(409)
})

test('a disabled account cannot sign in, and its open sessions end', async () => {
  const username = await addUser(t.gw, 'police')
  const session = await signIn(t.httpUrl, username)
  const id = t.gw.users.byUsername(username)!.id
  expect((await t.api(`/api/users/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"enabled":false}' })).status).toBe(200)
  expect((await session.fetch('/api/session')).status).toBe(401)
  expect((await login(username, PASSWORD)).status).toBe(401)
})

test('the audit log records who changed a device, from where, and only admins read it', async () => {
  const admin = await signInAs(t.gw, t.httpUrl, 'admin')
  const { id } = t.addDevice('speaker')
  const res = await admin.fetch(`/api/devices/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"name":"Cụm loa chợ"}' })
  expect(res.status).toBe(200)
  const log = await (await admin.fetch(`/api/audit?actor=${admin.username}&action=device.`)).json() as Array<{ action: string; target: string; details: unknown; address: string }>
  expect(log[0]).toMatchObject({ action: 'device.update', target: id, details: { name: 'Cụm loa chợ' } })
  expect(log[0]!.address).toMatch(/127\.0\.0\.1/)
  const police = await signInAs(t.gw, t.httpUrl, 'police')
  expect((await police.fetch('/api/audit')).status).toBe(403)
})
