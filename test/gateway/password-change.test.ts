// Changing one's own password (issue #14): wrong current passwords are limited like logins
// and audited; the new one is compared after Unicode normalisation and must not be weak,
// with a Vietnamese message. And a failed login under a name nobody has does not write
// that "name" (often a password typed in the wrong field) into the audit log.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { UNKNOWN_ACTOR } from '../../gateway/http/session.js'
import { passwordWeakness } from '../../gateway/users/strength.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD, signIn, type SignedIn } from '../support/people.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway({ loginAttempts: 3 }) })
afterAll(async () => { await t.stop() })

const change = (who: SignedIn, currentPassword: string, newPassword: string) => who.fetch('/api/session/password', {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currentPassword, newPassword })
})

test('wrong current passwords are audited and limited per person; a weak new one does not count against it', async () => {
  const username = await addUser(t.gw, 'official')
  const me = await signIn(t.httpUrl, username)
  expect((await change(me, PASSWORD, '123456789012')).status).toBe(400)
  for (let i = 0; i < 3; i++) expect((await change(me, `đoán-sai-${i}`, 'một mật khẩu mới dài')).status).toBe(400)
  const blocked = await change(me, PASSWORD, 'một mật khẩu mới dài')
  expect(blocked.status).toBe(429)
  expect(await blocked.json()).toMatchObject({ code: 'GW_ERR_TOO_MANY_REQUESTS' })
  const failures = t.gw.audit.list({ actor: username, action: 'session.password_change_failed', limit: 10 })
  expect(failures).toHaveLength(3)
  expect(failures[0]!.address).toMatch(/127\.0\.0\.1/)
})

test('the new password is compared with the current one after NFC normalisation', async () => {
  const composed = 'Mật-khẩu-Phong-Thạnh-2025'.normalize('NFC')
  const username = await addUser(t.gw, 'police')
  await t.gw.users.update(t.gw.users.byUsername(username)!.id, { password: composed })
  const me = await signIn(t.httpUrl, username, composed)
  const decomposed = composed.normalize('NFD')
  expect(decomposed).not.toBe(composed)
  const res = await change(me, composed, decomposed)
  expect(res.status).toBe(400)
  expect(await res.json()).toMatchObject({ message: expect.stringMatching(/phải khác mật khẩu hiện tại/) as unknown })
})

test('weak passwords are refused with a clear Vietnamese message; a good one is taken', async () => {
  const username = await addUser(t.gw, 'operator')
  const me = await signIn(t.httpUrl, username)
  for (const [weak, reason] of [['123456789012', /dãy liền nhau/], ['matkhau12345', /quá phổ biến/], ['Mật-Khẩu-2024', /quá phổ biến/],
    ['aaaaaaaaaaaa', /ít ký tự khác nhau/], ['ngắn', /ít nhất 10 ký tự/], [`${username}-1234`, /tên đăng nhập/], ['qwertyuiop', /dãy liền nhau/]] as const) {
    const res = await change(me, PASSWORD, weak)
    expect(res.status, weak).toBe(400)
    expect((await res.json() as { message: string }).message, weak).toMatch(reason)
  }
  expect((await change(me, PASSWORD, 'Đồng-lúa-Phong-Thạnh-7f3a')).status).toBe(200)
})

test('the same rules hold for passwords an admin sets', async () => {
  const res = await t.api('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'yeu.mk', displayName: 'Mật khẩu yếu', role: 'operator', password: 'password2024' }) })
  expect(res.status).toBe(400)
  expect(JSON.stringify(await res.json())).toMatch(/quá phổ biến/)
  expect(passwordWeakness('correct-horse-battery')).toBeNull()
})

test('a failed login under an unknown name records no name, only its length; a known name is recorded', async () => {
  const typedPassword = 'Bí-mật-của-tôi-99'
  const res = await fetch(`${t.httpUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: typedPassword, password: 'x' }) })
  expect(res.status).toBe(401)
  const entry = t.gw.audit.list({ action: 'session.login_failed', limit: 1 })[0]!
  expect(entry).toMatchObject({ actor: UNKNOWN_ACTOR, details: { usernameLength: [...typedPassword].length } })
  expect(JSON.stringify(t.gw.audit.list({ limit: 1000 }))).not.toContain(typedPassword)
})
