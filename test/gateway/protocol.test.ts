// MQTT 3.1.1 as the gateway's broker speaks it, tried with hand-built packets that a client
// library would not send: violations close the connection (and lose nothing acknowledged),
// QoS 2 is exactly once, and a command re-sent on a resumed session says it is a duplicate.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { RawSession, ackPacket, connectPacket, publishPacket, subscribePacket } from '../support/raw-mqtt.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway() })
afterAll(async () => { await t.stop() })

const PUBACK = 4
const PUBREC = 5
const PUBCOMP = 7
const CONNACK = 2
const SUBACK = 9

async function metric (name: string): Promise<number> {
  const text = await (await fetch(`${t.httpUrl}/metrics`)).text()
  return Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
}

/** A raw session connected as a fresh water station. */
async function station (clean = true): Promise<{ id: string; secret: string; s: RawSession }> {
  const { id, secret } = t.addDevice('water_sensor')
  const s = await RawSession.open(t.gw.mqtt.tcp.port)
  s.send(connectPacket({ clientId: id, username: id, password: secret, clean }))
  expect((await s.next(CONNACK))?.body[1]).toBe(0)
  return { id, secret, s }
}

const VIOLATIONS: Array<[string, (id: string) => Buffer]> = [
  ['a QoS 1 PUBLISH with packet id 0 [MQTT-2.3.1-1]', (id) => publishPacket({ topic: topics.telemetry(id), payload: '{"levelM":1}', qos: 1, id: 0 })],
  ['a topic with ill-formed UTF-8 [MQTT-1.5.3-1]', (id) => publishPacket({ topic: Buffer.concat([Buffer.from(topics.telemetry(id)), Buffer.from([0xc3, 0x28])]), payload: '{"levelM":1}', qos: 1, id: 5 })],
  ['a topic with U+0000 [MQTT-1.5.3-2]', (id) => publishPacket({ topic: `${topics.telemetry(id)}\u0000`, payload: '{"levelM":1}', qos: 1, id: 6 })]
]

test.each(VIOLATIONS)('%s closes the connection: no PUBACK, nothing stored, counted', async (_name, bad) => {
  const before = await metric('gateway_messages_rejected_total{reason="protocol_violation"}')
  const { id, s } = await station()
  // A good reading first, in its own segment: acknowledged and stored, the bad one after it not.
  s.send(publishPacket({ topic: topics.telemetry(id), payload: '{"levelM":2.5}', qos: 1, id: 1 }))
  expect(await s.next(PUBACK)).not.toBeNull()
  s.send(bad(id))
  expect(await s.waitClosed()).toBe(true)
  expect(s.packets).toEqual([])
  await expect.poll(() => t.gw.journal.depth).toBe(0)
  expect((await t.gw.store.latest()).get(id)?.levelM?.value).toBe(2.5)
  expect(await metric('gateway_messages_rejected_total{reason="protocol_violation"}')).toBe(before + 1)
})

test.each([2, 5, 6])('protocol level %i is answered with CONNACK 0x01, then the connection closes [MQTT-3.1.2-2]', async (level) => {
  const { id, secret } = t.addDevice('water_sensor')
  const s = await RawSession.open(t.gw.mqtt.tcp.port)
  s.send(connectPacket({ clientId: id, username: id, password: secret, level }))
  expect((await s.next(CONNACK))?.body).toEqual(Buffer.from([0, 1]))
  expect(await s.waitClosed()).toBe(true)
})

test('a will of QoS 3 closes the connection without CONNACK [MQTT-3.1.2-14]', async () => {
  const { id, secret } = t.addDevice('water_sensor')
  const s = await RawSession.open(t.gw.mqtt.tcp.port)
  s.send(connectPacket({ clientId: id, username: id, password: secret, will: { topic: topics.status(id), payload: '{"state":"offline"}', qos: 3 } }))
  expect(await s.waitClosed()).toBe(true)
  expect(s.packets).toEqual([])
})

test('QoS 2 is exactly once: a DUP re-send before PUBREL is stored once; the id after PUBREL is a new message [MQTT-4.3.3]', async () => {
  const start = Date.now()
  const { id, s } = await station()
  const reading = (levelM: number, dup: boolean) => publishPacket({ topic: topics.telemetry(id), payload: JSON.stringify({ levelM }), qos: 2, id: 7, dup })
  s.send(reading(3.25, false))
  expect(await s.next(PUBREC)).not.toBeNull()
  // The PUBREC was lost on the way (as far as the device knows): it sends the message again.
  s.send(reading(3.25, true), reading(3.25, true))
  expect(await s.next(PUBREC)).not.toBeNull()
  expect(await s.next(PUBREC)).not.toBeNull()
  s.send(ackPacket(0x62, 7))
  expect(await s.next(PUBCOMP)).not.toBeNull()
  // The id is free again: the next message with it is a new reading.
  s.send(reading(3.5, false))
  expect(await s.next(PUBREC)).not.toBeNull()
  s.send(ackPacket(0x62, 7))
  expect(await s.next(PUBCOMP)).not.toBeNull()
  s.end()
  await expect.poll(() => t.gw.journal.depth).toBe(0)
  const buckets = await t.gw.store.history({ deviceId: id, kind: 'water_sensor', field: 'levelM', from: start - 1000, to: Date.now() + 1000, maxPoints: 1 })
  expect(buckets.map((b) => [b.count, b.min, b.max])).toEqual([[2, 3.25, 3.5]])
})

test('a command re-sent on a resumed session carries DUP=1 and its packet id [MQTT-3.3.1-1, MQTT-4.4.0-1]', async () => {
  const { id, secret, s } = await station(false)
  s.send(subscribePacket(1, [{ filter: topics.command(id), qos: 1 }]))
  expect((await s.next(SUBACK))?.body[2]).toBe(1)
  s.send(publishPacket({ topic: topics.status(id), payload: '{"state":"online"}', qos: 1, id: 1 }))
  expect(await s.next(PUBACK)).not.toBeNull()
  await expect.poll(() => t.gw.presence.get(id).online).toBe(true)
  await t.gw.commands.send(id, { name: 'reboot', params: {} })
  const first = await s.next(3)
  expect(first).not.toBeNull()
  expect(first!.first & 0x08).toBe(0)
  const packetId = first!.body.readUInt16BE(2 + first!.body.readUInt16BE(0))
  // No PUBACK: the link drops, and the device comes back to its session.
  s.end()
  const again = await RawSession.open(t.gw.mqtt.tcp.port)
  again.send(connectPacket({ clientId: id, username: id, password: secret, clean: false }))
  const connack = await again.next(CONNACK)
  expect(connack?.body).toEqual(Buffer.from([1, 0])) // session present
  const resent = await again.next(3)
  expect(resent).not.toBeNull()
  expect(resent!.body.readUInt16BE(2 + resent!.body.readUInt16BE(0))).toBe(packetId)
  expect(resent!.first & 0x08).toBe(0x08)
  again.end()
})
