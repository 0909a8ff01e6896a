import { expect, test } from 'vitest'
import { connectPacket, publishPacket } from '../../test/support/raw-mqtt.js'
import { PacketScanner, type ScanVerdict } from './packet-guard.js'

/** A QoS 0 PUBLISH on topic "t" with a body of `size` bytes (at least 3). */
function packet (size: number): Buffer {
  return publishPacket({ topic: 't', payload: Buffer.alloc(size - 3, 1), qos: 0 })
}

/** Feeds a stream in steps of `step` bytes; the first refusal, or ok. */
function scan (stream: Buffer, step: number, maxBytes = 1024): ScanVerdict {
  const scanner = new PacketScanner(maxBytes)
  for (let i = 0; i < stream.length; i += step) {
    const verdict = scanner.feed(stream.subarray(i, i + step))
    if (!verdict.ok) return verdict
  }
  return { ok: true }
}

const STEPS = [1, 2, 3, 7, 500, 100_000]

test('packets up to the limit pass, whole or split anywhere, one after another', () => {
  const stream = Buffer.concat([packet(3), packet(100), packet(1024), packet(5)])
  for (const step of STEPS) expect(scan(stream, step)).toEqual({ ok: true })
})

test('a packet announcing more than the limit is caught from its header, before its body', () => {
  const scanner = new PacketScanner(1024)
  expect(scanner.feed(packet(10)).ok).toBe(true)
  expect(scanner.feed(packet(1025).subarray(0, 3))).toEqual({ ok: false, cause: 'oversize' })
  expect(new PacketScanner(1024).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]))).toEqual({ ok: false, cause: 'oversize' }) // 256 MB announced
  expect(new PacketScanner(1e9).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toEqual({ ok: false, cause: 'oversize' }) // malformed length
})

const connect = { clientId: 'wl-1', username: 'wl-1', password: 's' }
const topic = 'commune/v1/wl-1/telemetry'

// Each row: a stream that breaks MQTT 3.1.1, and the clause it breaks. Fed whole and split
// at every step, so a rule that reads across chunk boundaries is tested there too.
const VIOLATIONS: Array<[string, Buffer, RegExp]> = [
  ['QoS 1 PUBLISH with packet id 0', publishPacket({ topic, payload: '{}', qos: 1, id: 0 }), /MQTT-2\.3\.1-1/],
  ['QoS 2 PUBLISH with packet id 0', publishPacket({ topic, payload: '{}', qos: 2, id: 0 }), /MQTT-2\.3\.1-1/],
  ['topic with ill-formed UTF-8', publishPacket({ topic: Buffer.from([0x61, 0xc3, 0x28]), payload: '{}', qos: 1, id: 1 }), /MQTT-1\.5\.3-1/],
  ['topic with an overlong encoding', publishPacket({ topic: Buffer.from([0xc0, 0xaf]), payload: '{}', qos: 0 }), /MQTT-1\.5\.3-1/],
  ['topic with a UTF-16 surrogate', publishPacket({ topic: Buffer.from([0xed, 0xa0, 0x80]), payload: '{}', qos: 0 }), /MQTT-1\.5\.3-1/],
  ['topic with U+0000', publishPacket({ topic: 'commune/v1/wl-1\u0000/telemetry', payload: '{}', qos: 1, id: 2 }), /MQTT-1\.5\.3-2/],
  ['PUBLISH of QoS 3', Buffer.from([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01]), /MQTT-3\.3\.1-4/],
  ['protocol level 2', connectPacket({ ...connect, level: 2 }), /MQTT-3\.1\.2-2/],
  ['protocol level 5', connectPacket({ ...connect, level: 5 }), /MQTT-3\.1\.2-2/],
  ['protocol name of another level', connectPacket({ ...connect, level: 3 }), /MQTT-3\.1\.2-1/],
  ['reserved connect flag', connectPacket({ ...connect, extraFlags: 0x01 }), /MQTT-3\.1\.2-3/],
  ['will QoS 3', connectPacket({ ...connect, will: { topic, payload: '{}', qos: 3 } }), /MQTT-3\.1\.2-14/],
  ['will QoS without a will', connectPacket({ ...connect, extraFlags: 0x08 }), /MQTT-3\.1\.2-13/],
  ['password without a user name', connectPacket({ clientId: 'wl-1', password: 's' }), /MQTT-3\.1\.2-22/],
  ['client id with ill-formed UTF-8', connectPacket({ ...connect, clientId: Buffer.from([0xff, 0x41]) }), /MQTT-1\.5\.3-1/],
  ['will topic with U+0000', connectPacket({ ...connect, will: { topic: 'a\u0000', payload: '{}', qos: 1 } }), /MQTT-1\.5\.3/]
]

test.each(VIOLATIONS)('refused: %s', (_name, bad, rule) => {
  for (const step of STEPS) {
    // A well-formed CONNECT and PUBLISH first: the scanner must find the bad packet after them.
    const verdict = scan(Buffer.concat([connectPacket(connect), packet(40), bad]), step)
    expect(verdict.ok).toBe(false)
    if (!verdict.ok && verdict.cause === 'protocol') expect(verdict.rule).toMatch(rule)
    else throw new Error(`not a protocol refusal: ${JSON.stringify(verdict)}`)
  }
})

test('an unsupported protocol level is answered with CONNACK 0x01 before the close [MQTT-3.1.2-2]', () => {
  const verdict = scan(connectPacket({ ...connect, level: 5 }), 100_000)
  expect(verdict).toMatchObject({ ok: false, reply: Buffer.from([0x20, 0x02, 0x00, 0x01]) })
})

test('well-formed packets pass: MQTT 3.1 and 3.1.1, wills, UTF-8 beyond ASCII, QoS 0 with no packet id', () => {
  const good = [
    connectPacket(connect),
    connectPacket({ ...connect, level: 3, protocol: 'MQIsdp' }),
    connectPacket({ ...connect, will: { topic: 'commune/v1/wl-1/status', payload: Buffer.from([0, 0xff]), qos: 1, retain: true } }),
    publishPacket({ topic: 'thôn/Đông/😀', payload: '{}', qos: 1, id: 65535 }),
    publishPacket({ topic, payload: Buffer.alloc(300, 0), qos: 0 })
  ]
  for (const step of STEPS) expect(scan(Buffer.concat(good), step, 4096)).toEqual({ ok: true })
})
