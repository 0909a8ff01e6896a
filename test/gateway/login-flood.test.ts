// A login flood and large bodies from people nobody knows (issue #14): a limit per address
// whatever the username, a bounded queue for password hashing that refuses at once beyond
// it, and bodies read only once the caller is known and allowed. The times are in
// bench/login-flood.ts and docs/benchmarks.md; here, the mechanisms.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { hashGates } from '../../gateway/users/passwords.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { PASSWORD, signInAs } from '../support/people.js'
import { announceBody, postFrom } from '../support/raw-http.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway({ loginAttempts: 3, loginAttemptsPerAddress: 5 }) })
afterAll(async () => { await t.stop() })

const randomName = () => `u${randomBytes(6).toString('hex')}`

test('failed logins from one address are limited whatever the usernames; another address still signs in', async () => {
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) statuses.push((await postFrom(t.httpUrl, '/api/session', { username: randomName(), password: 'x' }, '127.0.0.2')).status)
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429])
  const refused = await postFrom(t.httpUrl, '/api/session', { username: randomName(), password: 'x' }, '127.0.0.2')
  expect(JSON.parse(refused.body)).toMatchObject({ code: 'GW_ERR_TOO_MANY_REQUESTS', message: expect.stringMatching(/vui lòng chờ/) as unknown })
  // The real user at another address is not locked out by it.
  await t.gw.users.create({ username: 'canbo.that', displayName: 'Cán bộ thật', role: 'official', password: PASSWORD })
  expect((await postFrom(t.httpUrl, '/api/session', { username: 'canbo.that', password: PASSWORD }, '127.0.0.3')).status).toBe(201)
})

test('while the hashing queue of unknown names is full, such a login is refused at once with 429, and a real person still signs in', async () => {
  const hashGate = hashGates.unknown
  // Fill every turn and every waiting place of the gateway's gate with hashes the test holds.
  const release: Array<() => void> = []
  const held: Array<Promise<void>> = []
  for (let i = 0; i < 1000; i++) {
    const run = hashGate.run(() => new Promise<void>((resolve) => release.push(resolve)))
    const full = await Promise.race([run.then(() => false, () => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))])
    if (full) break
    held.push(run)
  }
  expect(hashGate.busy.running).toBeGreaterThan(0)
  // A new address each time: the per-address limit is not what answers here.
  const refused = await postFrom(t.httpUrl, '/api/session', { username: randomName(), password: 'x' }, '127.0.1.1')
  expect(refused.status).toBe(429)
  expect(JSON.parse(refused.body)).toMatchObject({ code: 'GW_ERR_TOO_MANY_REQUESTS', message: expect.stringMatching(/busy/) as unknown })
  expect(release.length).toBe(hashGate.busy.running) // nothing held had finished when the refusal came
  // A real account's check has its own lane: the flood of invented names does not hold it up.
  await t.gw.users.create({ username: 'canbo.ban', displayName: 'Cán bộ bận', role: 'official', password: PASSWORD })
  expect((await postFrom(t.httpUrl, '/api/session', { username: 'canbo.ban', password: PASSWORD }, '127.0.1.3')).status).toBe(201)
  while (release.length > 0) { release.shift()!(); await new Promise((resolve) => setImmediate(resolve)) }
  await Promise.all(held)
  expect((await postFrom(t.httpUrl, '/api/session', { username: randomName(), password: 'x' }, '127.0.1.2')).status).toBe(401)
})

test('an unknown caller\'s large body is refused with 401 without being read, and the connection closed', async () => {
  for (const [path, contentType] of [['/api/devices/import', 'text/csv'], ['/api/devices', 'application/json'], ['/api/audio', 'audio/mpeg']]) {
    const answer = await announceBody(t.httpUrl, { path: path!, contentType: contentType!, announced: 4_900_000, sent: 1024 })
    expect(answer, path).toMatchObject({ status: 401, closed: true })
  }
})

test('a login body over 4 KB is refused with 413 unread; a signed-in role without the right gets 403 unread', async () => {
  expect(await announceBody(t.httpUrl, { path: '/api/session', contentType: 'application/json', announced: 1_000_000, sent: 100 })).toMatchObject({ status: 413, closed: true })
  const police = await signInAs(t.gw, t.httpUrl, 'police')
  const answer = await announceBody(t.httpUrl, {
    path: '/api/devices/import', contentType: 'text/csv', announced: 4_900_000, sent: 1024, headers: { cookie: police.cookie, 'x-csrf-token': police.csrf }
  })
  expect(answer).toMatchObject({ status: 403, closed: true })
})

test('bodies are still read where the caller may send them', async () => {
  const csv = 'kind,name,village\ncamera,Camera nhập thử,Thôn Đông\n'
  const res = await t.api('/api/devices/import', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv })
  expect(res.status).toBe(201)
})
