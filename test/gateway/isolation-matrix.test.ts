// The MQTT isolation matrix, twin of the HTTP access matrix: a device with valid credentials
// is not trusted. For every topic it could aim at (its own, another device's, outside the
// contract, reserved) and every way to send (QoS 0, 1, 2, retained, as a last will), and every
// subscription form, this checks what the broker answers, that no other device receives
// anything, that nothing is retained but a device's own status, and what is stored.
import type { Aedes, PublishPacket } from 'aedes'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { MIRROR_ROOT, mirrorTopics } from '../../gateway/broker/mirror.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { connectAsync } from 'mqtt'

let t: TestGateway
let attacker: { id: string; secret: string }
let victim: { id: string; secret: string }
let victimClient: MqttClient
/** Everything the victim device receives, in order. */
const received: string[] = []

beforeAll(async () => {
  t = await startTestGateway()
  attacker = t.addDevice('water_sensor')
  victim = t.addDevice('water_sensor')
  victimClient = await t.connect(victim.id, victim.secret)
  victimClient.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`))
  await victimClient.subscribeAsync(topics.command(victim.id), { qos: 1 })
})
afterAll(async () => { await t.stop() })

/** The gateway's own publish to the victim: everything an attacker sent before it has been routed once it arrives. */
let barriers = 0
async function barrier (): Promise<void> {
  const marker = `barrier-${++barriers}`
  t.gw.broker.publish({ cmd: 'publish', topic: topics.command(victim.id), payload: Buffer.from(marker), qos: 1, retain: false, dup: false }, () => undefined)
  const line = `${topics.command(victim.id)} ${marker}`
  await expect.poll(() => received.at(-1), { timeout: 5000 }).toBe(line)
  expect(received).toEqual([line])
  received.length = 0
}

/** Messages held as retained by the broker (every pattern, `$` topics included). */
async function retained (): Promise<PublishPacket[]> {
  const persistence = (t.gw.broker as Aedes & { persistence: { createRetainedStreamCombi (p: string[]): AsyncIterable<PublishPacket> } }).persistence
  const found: PublishPacket[] = []
  for await (const packet of persistence.createRetainedStreamCombi(['#', '$SYS/#', '$gateway/#'])) found.push(packet)
  return found
}
const retainedTopics = async (): Promise<string[]> => (await retained()).map((p) => p.topic).sort()

type Target = 'own' | 'other'
const contractTopic = (channel: keyof typeof topics, whose: Target) => () => topics[channel](whose === 'own' ? attacker.id : victim.id)
const PAYLOADS = {
  status: '{"state":"online"}',
  telemetry: '{"levelM":7.25}',
  event: '{"type":"reboot"}',
  reply: '{"id":"c-1","status":"done"}',
  cmd: '{"id":"evil","name":"reboot","params":{},"ts":1,"expiresAt":4102444800000}',
  // A camera's picture channel (issue #20): bytes, not JSON; refused from a station, never forwarded.
  snapshot: '\u00ff\u00d8\u00ff not really a picture \u00ff\u00d9'
}

/**
 * Each row: a topic, and what must happen when the attacker publishes there ('ack': the
 * connection goes on and the message is acknowledged; 'closed': the broker closes it), what
 * is retained, and whether the attacker may leave its last will there.
 */
const ROWS: Array<{ name: string; topic: () => string; payload: string; answer: 'ack' | 'closed'; retained: boolean; will: boolean }> = [
  ...(['status', 'telemetry', 'event', 'reply', 'cmd', 'snapshot'] as const).flatMap((channel) => (['own', 'other'] as const).map((whose) => ({
    name: `${whose} ${channel}`,
    topic: contractTopic(channel === 'cmd' ? 'command' : channel, whose),
    payload: PAYLOADS[channel],
    answer: 'ack' as const,
    retained: whose === 'own' && channel === 'status',
    will: whose === 'own' && channel === 'status'
  }))),
  ...['hello/world', 'commune/v1', 'commune/v2/VICTIM/cmd', 'commune/v1/VICTIM/cmd/x', 'commune/v1/VICTIM/telemetry/'].map((topic) => ({
    name: `foreign ${topic}`, topic: () => topic.replace('VICTIM', victim.id), payload: PAYLOADS.cmd, answer: 'ack' as const, retained: false, will: false
  })),
  ...['$SYS/broker/x', '$gateway/consumed'].map((topic) => ({
    name: `reserved ${topic}`, topic: () => topic, payload: PAYLOADS.cmd, answer: 'closed' as const, retained: false, will: false
  }))
]

/** Publishes once from a fresh attacker connection; 'ack' or 'closed'. */
async function publishOnce (topic: string, payload: string, qos: 0 | 1 | 2, retain: boolean): Promise<'ack' | 'closed'> {
  const client = await t.connect(attacker.id, attacker.secret)
  // The attacker listens on its own command topic too: its own messages must not come back.
  const echoed: string[] = []
  client.on('message', (topic) => echoed.push(topic))
  await client.subscribeAsync(topics.command(attacker.id), { qos: 1 })
  const closed = new Promise<'closed'>((resolve) => client.once('close', () => resolve('closed')))
  const sent = client.publishAsync(topic, payload, { qos, retain }).then(() => 'sent' as const, () => 'closed' as const)
  let answer = await Promise.race([sent, closed])
  // QoS 0 has no answer: a PINGREQ round trip after it shows whether the connection survived.
  if (answer === 'sent' && qos === 0) answer = await Promise.race([client.publishAsync(topics.status(attacker.id), PAYLOADS.status, { qos: 1 }).then(() => 'sent' as const), closed])
  if (answer !== 'closed') await client.endAsync()
  expect(echoed).toEqual([])
  return answer === 'sent' ? 'ack' : 'closed'
}

describe('publish', () => {
  const MODES = [
    { mode: 'QoS 0', qos: 0, retain: false },
    { mode: 'QoS 1', qos: 1, retain: false },
    { mode: 'QoS 2', qos: 2, retain: false },
    { mode: 'QoS 1 retained', qos: 1, retain: true },
    { mode: 'QoS 2 retained', qos: 2, retain: true }
  ] as const
  const cases = ROWS.flatMap((row) => MODES.map((m) => ({ ...row, ...m })))

  test.each(cases)('$name, $mode: answered "$answer", delivered to nobody, retained only if own status', async (c) => {
    expect(await publishOnce(c.topic(), c.payload, c.qos, c.retain)).toBe(c.answer)
    await barrier()
    const retained = await retainedTopics()
    expect(retained.filter((topic) => topic !== topics.status(attacker.id))).toEqual([])
    if (c.retain && c.retained) expect(retained).toContain(c.topic())
  })
})

describe('last will', () => {
  test.each(ROWS)('$name as a last will: connection accepted only for the own status topic; never delivered', async (row) => {
    let refused = false
    try {
      const will = `{"state":"offline","firmware":"will-${row.name}"}`
      const client = await t.connect(attacker.id, attacker.secret, { will: { topic: row.topic(), payload: Buffer.from(will), qos: 1, retain: true } })
      // Dies without DISCONNECT: the broker publishes the will, retained as asked on its own status.
      client.stream.destroy()
      await expect.poll(async () => (await retained()).find((p) => p.topic === row.topic())?.payload.toString(), { timeout: 5000 }).toBe(will)
    } catch (err) {
      refused = true
      expect((err as { code?: number }).code).toBe(5)
    }
    expect(refused).toBe(!row.will)
    await barrier()
    expect((await retainedTopics()).filter((topic) => topic !== topics.status(attacker.id))).toEqual([])
  })
})

describe('subscribe', () => {
  const FILTERS: Array<[string, (a: string, v: string) => string, number]> = [
    ['its own command topic', (a) => topics.command(a), 1],
    ['another device\'s command topic', (_a, v) => topics.command(v), 128],
    ['#', () => '#', 128],
    ['+/#', () => '+/#', 128],
    ['commune/#', () => 'commune/#', 128],
    ['every command topic', () => 'commune/v1/+/cmd', 128],
    ['its own topics by wildcard', (a) => `commune/v1/${a}/+`, 128],
    ['its own command topic by wildcard', (a) => `+/v1/${a}/cmd`, 128],
    ['its own telemetry', (a) => topics.telemetry(a), 128],
    ['another device\'s telemetry', (_a, v) => topics.telemetry(v), 128],
    ['its own snapshot topic', (a) => topics.snapshot(a), 128],
    ['another device\'s snapshot topic', (_a, v) => topics.snapshot(v), 128],
    ['every snapshot topic', () => 'commune/v1/+/snapshot', 128],
    ['$SYS/#', () => '$SYS/#', 128],
    ['$gateway/#', () => '$gateway/#', 128],
    ['where consumed messages go', () => '$gateway/consumed', 128],
    ['the integrations\' mirror', () => `${MIRROR_ROOT}/#`, 128],
    ['a reading on the mirror', (_a, v) => mirrorTopics.reading('water_sensor', v), 128]
  ]
  test.each(FILTERS)('%s: SUBACK %i', async (_name, filter, granted) => {
    const client = await t.connect(attacker.id, attacker.secret)
    const answer = await new Promise<number | undefined>((resolve) => {
      client.subscribe(filter(attacker.id, victim.id), { qos: 1 }, (err, g) => {
        resolve(err ? (err as { packet?: { granted?: number[] } }).packet?.granted?.[0] : g?.[0]?.qos)
      })
    })
    expect(answer).toBe(granted)
    await client.endAsync()
  })
})

test('after all of it: the victim, reconnecting, receives nothing; nothing was stored as the victim; the attacker\'s own readings were', async () => {
  await victimClient.endAsync()
  received.length = 0
  victimClient = await t.connect(victim.id, victim.secret)
  victimClient.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`))
  await victimClient.subscribeAsync(topics.command(victim.id), { qos: 1 })
  await barrier()
  await expect.poll(() => t.gw.journal.depth).toBe(0)
  const latest = await t.gw.store.latest()
  expect(latest.get(victim.id)).toBeUndefined()
  expect(latest.get(attacker.id)?.levelM?.value).toBe(7.25)
})

test('a retained flood outside the contract is acknowledged and kept nowhere', async () => {
  const client = await t.connect(attacker.id, attacker.secret)
  const big = Buffer.alloc(60_000, 'x')
  for (let i = 0; i < 300; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => client.publishAsync(`flood/${i + j}`, big, { qos: 1, retain: true })))
  }
  await client.endAsync()
  expect((await retainedTopics()).filter((topic) => topic !== topics.status(attacker.id))).toEqual([])
})

describe('the read-only integration login (issue #22)', () => {
  /** An integration's MQTT connection with a token; resolves to the CONNACK's refusal code, or the client. */
  async function login (secret: string, name: string, options: { clientId?: string; will?: boolean } = {}): Promise<MqttClient | number> {
    try {
      return await connectAsync(t.mqttUrl, {
        clientId: options.clientId ?? `token:${name}`, username: `token:${name}`, password: secret, reconnectPeriod: 0,
        ...(options.will ? { will: { topic: `${MIRROR_ROOT}/x`, payload: Buffer.from('bye'), qos: 0, retain: false } } : {})
      })
    } catch (err) {
      return (err as { code?: number }).code ?? -1
    }
  }
  const subscribe = (client: MqttClient, filter: string) => new Promise<number | undefined>((resolve) => {
    client.subscribe(filter, { qos: 0 }, (err, g) => resolve(err ? (err as { packet?: { granted?: number[] } }).packet?.granted?.[0] : g?.[0]?.qos))
  })

  test('refused: a wrong token, another token\'s name, a token with no read grant, another client id, a last will', async () => {
    const { secret } = t.gw.tokens.create({ name: 'node-red', grants: ['devices.read'], kinds: ['water_sensor'], expiresInDays: 30 }, 'test')
    const sender = t.gw.tokens.create({ name: 'chi-phat', grants: ['broadcasts.send'], expiresInDays: 30 }, 'test')
    expect(await login('gwt_' + 'x'.repeat(43), 'node-red')).toBe(4)
    expect(await login(secret, 'chi-phat')).toBe(4)
    expect(await login(sender.secret, 'chi-phat')).toBe(5)
    expect(await login(secret, 'node-red', { clientId: victim.id })).toBe(2)
    expect(await login(secret, 'node-red', { will: true })).toBe(5)
  })

  test('it subscribes under the mirror only, receives only its kinds and alarms, and is disconnected when it publishes or is revoked', async () => {
    const { token, secret } = t.gw.tokens.create({ name: 'home-assistant', grants: ['devices.read', 'alarms.read'], kinds: ['water_sensor'], expiresInDays: 30 }, 'test')
    const ha = await login(secret, 'home-assistant') as MqttClient
    const got: string[] = []
    ha.on('message', (topic) => got.push(topic))
    expect(await subscribe(ha, `${MIRROR_ROOT}/#`)).toBe(0)
    for (const filter of ['#', 'commune/v1/+/telemetry', topics.command(victim.id), '$gateway/consumed', '$SYS/#']) expect(await subscribe(ha, filter), filter).toBe(128)

    const camera = t.addDevice('camera')
    const cameraClient = await t.connect(camera.id, camera.secret)
    const attackerClient = await t.connect(attacker.id, attacker.secret)
    await cameraClient.publishAsync(topics.telemetry(camera.id), JSON.stringify({ tamper: true, streamAlive: true }), { qos: 1 })
    await attackerClient.publishAsync(topics.telemetry(attacker.id), JSON.stringify({ levelM: 7.5 }), { qos: 1 })
    t.gw.alarms.reportVillage('Thôn Đông', { type: 'broadcast_unconfirmed', active: true, details: { devices: [] } })
    t.gw.alarms.reportVillage('Thôn Đông', { type: 'no_data', active: true, details: {} })
    await expect.poll(() => got, { timeout: 5000 }).toContain(mirrorTopics.reading('water_sensor', attacker.id))
    await expect.poll(() => got, { timeout: 5000 }).toContain(mirrorTopics.alarm(null, 'no_data'))
    await barrier()
    // Not its kind (the camera's reading and tamper alarm), not its business (a bulletin's alarm).
    expect(got.filter((topic) => topic.includes('/camera/') || topic.includes('broadcast_unconfirmed'))).toEqual([])

    // Devices never see the mirror, and nothing an integration sends reaches anyone.
    const closed = new Promise<void>((resolve) => ha.once('close', () => resolve()))
    ha.publish(topics.command(victim.id), '{"id":"x","name":"reboot","params":{},"ts":1,"expiresAt":4102444800000}', { qos: 0 })
    await closed
    await barrier()

    const again = await login(secret, 'home-assistant') as MqttClient
    const revoked = new Promise<void>((resolve) => again.once('close', () => resolve()))
    t.gw.tokens.revoke(token.id, 'test')
    await revoked
    expect(await login(secret, 'home-assistant')).toBe(4)
    await Promise.all([cameraClient.endAsync(), attackerClient.endAsync(), again.endAsync(true)])
  })
})
