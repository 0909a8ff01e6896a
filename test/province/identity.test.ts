// Per-commune identity on the real cluster: a box signs in with its own nkey and may publish
// only on its own subjects, read replies only under its own inbox and pull only its own
// commands. Tried as an attacker holding commune A's key.
import { Events, connect, nkeyAuthenticator, type NatsConnection } from 'nats'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { COMMANDS_STREAM } from '../../edge/uplink/nats-transport.js'
import { newUserKey } from '../../province/identity/auth.js'
import { READINGS_STREAM } from '../../province/nats/streams.js'
import { startTestProvince, type TestProvince } from '../support/province.js'

let province: TestProvince
let a: NatsConnection
/** Asynchronous errors the server sent to commune A's connection (their code only). */
const errors: string[] = []

beforeAll(async () => {
  province = await startTestProvince(['xa-a', 'xa-b'])
  a = await province.connectAs('xa-a')
  void (async () => { for await (const s of a.status()) if (s.type === Events.Error) errors.push(typeof s.data === 'string' ? s.data : JSON.stringify(s.data)) })()
}, 60_000)

afterAll(async () => {
  await a.close()
  await province.stop()
})

const readingsOf = async (code: string): Promise<number> => {
  const info = await province.jsm.streams.info(READINGS_STREAM, { subjects_filter: `up.${code}.>` })
  return info.state.subjects?.[`up.${code}.readings`] ?? 0
}

test('a commune publishes its own readings and they are stored', async () => {
  const js = a.jetstream()
  const ack = await js.publish('up.xa-a.readings', new TextEncoder().encode('{"rows":[]}'), { msgID: 'xa-a:readings:1-1' })
  expect(ack.stream).toBe(READINGS_STREAM)
  expect(await readingsOf('xa-a')).toBe(1)
})

test('a commune cannot publish as another: the server refuses it and nothing is stored', async () => {
  const js = a.jetstream()
  const before = errors.length
  await expect(js.publish('up.xa-b.readings', new TextEncoder().encode('{"rows":[]}'), { msgID: 'forged', timeout: 1500 })).rejects.toThrow()
  await expect.poll(() => errors.slice(before)).toContain('PERMISSIONS_VIOLATION')
  expect(await readingsOf('xa-b')).toBe(0)
})

test("a commune cannot read another's inbox", async () => {
  // Nor every inbox at once, nor the whole subject space.
  for (const subject of ['_INBOX_xa-b.>', '_INBOX.>', '>', 'up.>']) {
    const refused = new Promise<string>((resolve) => {
      a.subscribe(subject, { callback: (err) => { if (err) resolve(err.message) } })
    })
    expect(await refused).toBe(`'Permissions Violation for Subscription to "${subject}"'`)
  }
  expect(a.isClosed()).toBe(false)
})

test("a commune cannot pull another's commands, but pulls its own", async () => {
  await province.nc.jetstream().publish('down.xa-b.replay', new TextEncoder().encode('{"type":"replay","lane":"readings","fromSeq":1}'))
  await province.nc.jetstream().publish('down.xa-a.replay', new TextEncoder().encode('{"type":"replay","lane":"alarms","fromSeq":1}'))
  const before = errors.length
  await expect(a.request(`$JS.API.CONSUMER.MSG.NEXT.${COMMANDS_STREAM}.cmd-xa-b`, new TextEncoder().encode('{"batch":1,"no_wait":true}'), { timeout: 1500 })).rejects.toThrow()
  await expect.poll(() => errors.slice(before)).toContain('PERMISSIONS_VIOLATION')
  const b = await province.jsm.consumers.info(COMMANDS_STREAM, 'cmd-xa-b')
  expect(b.delivered.stream_seq).toBe(0)

  // The call a commune's uplink makes (it may not read the consumer's info).
  const own = a.jetstream().fetch(COMMANDS_STREAM, 'cmd-xa-a', { batch: 5, expires: 1000 })
  const got: string[] = []
  for await (const m of own) { got.push(m.subject); m.ack() }
  expect(got).toEqual(['down.xa-a.replay'])
})

test('a commune cannot send a provincial bulletin to another commune, nor to itself: only the province publishes commands', async () => {
  const bulletin = new TextEncoder().encode(JSON.stringify({ type: 'bulletin', id: '00000000-0000-4000-8000-000000000000', title: 'Giả mạo', priority: 'emergency', text: 'x', villages: null, ttlS: 600, issuedAt: Date.now(), issuer: 'Tỉnh', createdBy: 'x', approvedBy: 'x' }))
  const before = (await province.jsm.streams.info(COMMANDS_STREAM)).state.messages
  for (const subject of ['down.xa-b.bulletin', 'down.xa-a.bulletin']) {
    const seen = errors.length
    // Through JetStream (which would store it) and as a plain publish.
    await expect(a.jetstream().publish(subject, bulletin, { timeout: 1500 })).rejects.toThrow()
    a.publish(subject, bulletin)
    await expect.poll(() => errors.slice(seen)).toContain('PERMISSIONS_VIOLATION')
  }
  await a.flush()
  expect((await province.jsm.streams.info(COMMANDS_STREAM)).state.messages).toBe(before)
  expect(a.isClosed()).toBe(false)
})

test('a box with a key the province does not know is refused', async () => {
  const stranger = newUserKey()
  await expect(connect({ servers: province.cluster.urls, authenticator: nkeyAuthenticator(new TextEncoder().encode(stranger.seed)), maxReconnectAttempts: 0, reconnect: false }))
    .rejects.toThrow(/Authorization Violation/i)
})
