// The admin's account page through the real API (issue #15 point 7): reset a password (made
// by the gateway and shown once, or typed and held to the strength rule), change a role,
// remove an account; the last admin is never removed or demoted and an admin never removes,
// demotes or disables their own account; the sessions and live sockets of a person removed,
// demoted or reset end at once.
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Role } from '../../gateway/users/roles.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD, signIn, signInAs, type SignedIn } from '../support/people.js'

let t: TestGateway
let admin: SignedIn
beforeAll(async () => {
  t = await startTestGateway()
  admin = await signInAs(t.gw, t.httpUrl, 'admin')
})
afterAll(async () => { await t.stop() })

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const idOf = (username: string): number => t.gw.users.byUsername(username)!.id
const login = (username: string, password: string) => fetch(`${t.httpUrl}/api/session`, json('POST', { username, password }))
/** A signed-in person with a live socket subscribed to the overview. */
async function online (role: Role): Promise<{ who: SignedIn; socket: Socket; closed: Promise<string> }> {
  const who = await signInAs(t.gw, t.httpUrl, role)
  const socket = connectSocket(t.httpUrl, { transports: ['websocket'], extraHeaders: { cookie: who.cookie }, reconnection: false })
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject) })
  expect((await socket.emitWithAck('subscribe', 'overview') as { ok: boolean }).ok).toBe(true)
  return { who, socket, closed: new Promise((resolve) => socket.once('disconnect', resolve)) }
}

test('a reset makes a strong temporary password shown once; the person\'s session and socket end, and they must choose a new one', async () => {
  const { who, socket, closed } = await online('police')
  const res = await admin.fetch(`/api/users/${idOf(who.username)}/password`, json('POST', {}))
  expect(res.status).toBe(200)
  const { oneTimePassword } = await res.json() as { oneTimePassword: string }
  expect(oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
  expect(await closed).toBe('io server disconnect')
  socket.close()
  expect((await who.fetch('/api/session')).status).toBe(401)
  expect((await login(who.username, PASSWORD)).status).toBe(401)
  const again = await signIn(t.httpUrl, who.username, oneTimePassword)
  expect((await again.fetch('/api/devices')).status).toBe(403) // a temporary password: change it first
  // Never again: not in the audit log nor in the account.
  expect(await (await admin.fetch('/api/audit?action=user.')).text()).not.toContain(oneTimePassword)
  expect(await (await admin.fetch('/api/users')).text()).not.toContain(oneTimePassword)
  expect(t.gw.audit.list({ action: 'user.reset_password', limit: 1 })[0]).toMatchObject({ actor: admin.username, target: who.username, details: { typed: false } })
})

test('a typed temporary password must pass the strength rule, the username included; a good one is not echoed', async () => {
  const username = await addUser(t.gw, 'operator')
  for (const weak of ['short', '1234567890', 'matkhau2024', `${username}-2024-xyz`]) {
    const res = await admin.fetch(`/api/users/${idOf(username)}/password`, json('POST', { password: weak }))
    expect(res.status, weak).toBe(400)
    expect((await res.json() as { message: string }).message).toMatch(/Mật khẩu/)
  }
  const res = await admin.fetch(`/api/users/${idOf(username)}/password`, json('POST', { password: 'Sông Hương 27 mùa lũ' }))
  expect(res.status).toBe(200)
  expect(await res.json()).toEqual({ username })
  expect((await login(username, 'Sông Hương 27 mùa lũ')).status).toBe(201)
})

test('changing a role ends the person\'s sessions and sockets; they come back with the new role\'s rights', async () => {
  const { who, closed } = await online('operator')
  expect((await admin.fetch(`/api/users/${idOf(who.username)}`, json('PATCH', { role: 'police' }))).status).toBe(200)
  expect(await closed).toBe('io server disconnect')
  expect((await who.fetch('/api/session')).status).toBe(401)
  const back = await signIn(t.httpUrl, who.username)
  expect((await back.fetch('/api/devices?kind=camera')).status).toBe(200)
  expect((await back.fetch('/api/devices?kind=water_sensor')).status).toBe(403)
  expect(t.gw.audit.list({ action: 'user.update', limit: 1 })[0]).toMatchObject({ target: who.username, details: { role: 'police' } })
})

test('a removed account\'s session and socket end at once and it can no longer sign in', async () => {
  const { who, closed } = await online('official')
  expect((await admin.fetch(`/api/users/${idOf(who.username)}`, { method: 'DELETE' })).status).toBe(204)
  expect(await closed).toBe('io server disconnect')
  expect((await who.fetch('/api/session')).status).toBe(401)
  expect((await login(who.username, PASSWORD)).status).toBe(401)
  expect(t.gw.audit.list({ action: 'user.remove', limit: 1 })[0]).toMatchObject({ target: who.username, details: { role: 'official' } })
})

test('an admin cannot remove, demote or disable their own account; another admin can, but never the last one', async () => {
  const me = idOf(admin.username)
  for (const [init, path] of [[{ method: 'DELETE' }, `/api/users/${me}`], [json('PATCH', { role: 'operator' }), `/api/users/${me}`], [json('PATCH', { enabled: false }), `/api/users/${me}`]] as const) {
    const res = await admin.fetch(path, init)
    expect(res.status).toBe(409)
    expect((await res.json() as { message: string }).message).toMatch(/chính mình.*\/ you cannot/)
  }
  expect((await admin.fetch('/api/session')).status).toBe(200)
  // A second admin removes the first; then it is the last and cannot be removed or demoted, even by the token.
  const other = await signInAs(t.gw, t.httpUrl, 'admin')
  for (const u of t.gw.users.list()) if (u.role === 'admin' && u.username !== other.username && u.username !== admin.username) t.gw.users.remove(u.id)
  expect((await other.fetch(`/api/users/${me}`, { method: 'DELETE' })).status).toBe(204)
  const last = idOf(other.username)
  const byToken = await t.api(`/api/users/${last}`, { method: 'DELETE' })
  expect(byToken.status).toBe(409)
  expect((await byToken.json() as { message: string }).message).toContain('quản trị viên cuối cùng')
  expect((await t.api(`/api/users/${last}`, json('PATCH', { role: 'police' }))).status).toBe(409)
  expect((await other.fetch('/api/session')).status).toBe(200)
})
