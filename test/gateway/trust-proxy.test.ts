// Behind a reverse proxy: the client's address comes from X-Forwarded-For only as the
// trusted proxies wrote it. A header forged by the client, or sent from anywhere that is
// not a trusted proxy, changes neither the audit log nor the login limit (issue #14).
import { afterEach, expect, test } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD } from '../support/people.js'
import { postFrom } from '../support/raw-http.js'

let t: TestGateway | null = null
afterEach(async () => { await t?.stop(); t = null })

const lastFailure = (gw: TestGateway) => gw.gw.audit.list({ action: 'session.login_failed', limit: 1 })[0]!

test('a forged X-Forwarded-For from an address that is not a trusted proxy is ignored', async () => {
  t = await startTestGateway({ trustProxy: '10.9.9.9', loginAttempts: 2, loginAttemptsPerAddress: 50 })
  const name = await addUser(t.gw, 'police')
  const statuses: number[] = []
  // A guesser who claims a new address each time is still one address to the limit.
  for (let i = 0; i < 3; i++) statuses.push((await postFrom(t.httpUrl, '/api/session', { username: name, password: 'guess' }, '127.0.0.5', { 'x-forwarded-for': `203.0.113.${i}` })).status)
  expect(statuses).toEqual([401, 401, 429])
  expect(lastFailure(t).address).toMatch(/127\.0\.0\.5$/)
})

test('through a trusted proxy, the address it saw is used, not what the client wrote before it', async () => {
  t = await startTestGateway({ trustProxy: 'loopback', loginAttempts: 2, loginAttemptsPerAddress: 50 })
  const name = await addUser(t.gw, 'police')
  // The client wrote "1.2.3.4"; the proxy (on loopback) appended the address it really saw.
  const viaProxy = (client: string) => postFrom(t!.httpUrl, '/api/session', { username: name, password: 'guess' }, '127.0.0.1', { 'x-forwarded-for': `1.2.3.4, ${client}` })
  expect((await viaProxy('198.51.100.7')).status).toBe(401)
  expect(lastFailure(t).address).toBe('198.51.100.7')
  expect((await viaProxy('198.51.100.7')).status).toBe(401)
  expect((await viaProxy('198.51.100.7')).status).toBe(429)
  // Another real client behind the same proxy is its own address to the limit.
  expect((await postFrom(t.httpUrl, '/api/session', { username: name, password: PASSWORD }, '127.0.0.1', { 'x-forwarded-for': '198.51.100.8' })).status).toBe(201)
})

test('a hop count trusts exactly that many proxies in front', async () => {
  t = await startTestGateway({ trustProxy: 1 })
  await postFrom(t.httpUrl, '/api/session', { username: 'nobody-here', password: 'guess' }, '127.0.0.1', { 'x-forwarded-for': '1.2.3.4, 198.51.100.9' })
  expect(lastFailure(t).address).toBe('198.51.100.9')
})
