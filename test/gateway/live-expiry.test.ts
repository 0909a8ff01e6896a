// A live socket ends with its session: by expiry as well as by logout (issue #14). The
// sessions' clock is the test's, moved past the session's maximum age. Two gateways: one
// whose sweep never comes during the test (the check on subscribe), one that sweeps often
// (the socket that does nothing).
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { SubscribeReply } from '../../gateway/realtime/protocol.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { signInAs, type SignedIn } from '../support/people.js'

const DAY_MS = 86_400_000
let now = Date.now()
const limits = { sessionMaxDays: 1, sessionIdleMin: 24 * 60 * 10 }
let onSubscribe: TestGateway
let swept: TestGateway
beforeAll(async () => {
  onSubscribe = await startTestGateway(limits, { now: () => now, liveSweepMs: 3_600_000 })
  swept = await startTestGateway(limits, { now: () => now, liveSweepMs: 50 })
})
afterAll(async () => { await onSubscribe.stop(); await swept.stop() })

const open = (t: TestGateway, who: SignedIn): Promise<Socket> => new Promise((resolve, reject) => {
  const socket = connectSocket(t.httpUrl, { transports: ['websocket'], extraHeaders: { cookie: who.cookie }, reconnection: false })
  socket.once('connect', () => resolve(socket))
  socket.once('connect_error', reject)
})
const closedByServer = (socket: Socket): Promise<string> => new Promise((resolve) => socket.once('disconnect', resolve))

test('after its session expires, a socket\'s next subscribe is refused and the socket closed', async () => {
  const who = await signInAs(onSubscribe.gw, onSubscribe.httpUrl, 'official')
  const socket = await open(onSubscribe, who)
  expect((await socket.emitWithAck('subscribe', 'overview') as SubscribeReply).ok).toBe(true)
  const closed = closedByServer(socket)
  now += DAY_MS + 1
  expect((await who.fetch('/api/session')).status).toBe(401)
  expect(await socket.emitWithAck('subscribe', 'speaker')).toMatchObject({ ok: false, code: 'UNAUTHORIZED' })
  expect(await closed).toBe('io server disconnect')
})

test('a socket that does nothing is closed by the sweep once its session expires, not before', async () => {
  const who = await signInAs(swept.gw, swept.httpUrl, 'police')
  const socket = await open(swept, who)
  expect((await socket.emitWithAck('subscribe', 'camera') as SubscribeReply).ok).toBe(true)
  // Several sweeps pass while the session lives: the socket stays.
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(socket.connected).toBe(true)
  const closed = closedByServer(socket)
  now += DAY_MS + 1
  expect(await closed).toBe('io server disconnect')
  expect((await who.fetch('/api/session')).status).toBe(401)
})
