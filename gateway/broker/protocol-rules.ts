// What MQTT 3.1.1 requires of a packet that aedes 1.2 (and its parser) lets through, checked
// on the raw bytes, where ill-formed UTF-8 can still be told apart (the parser decodes it to
// U+FFFD). Mosquitto refuses all of these; a violation closes the connection [MQTT-4.8.0-1].
import { isUtf8 } from 'node:buffer'

const CONNECT = 1
const PUBLISH = 3

export type ProtocolVerdict =
  | { ok: true }
  /** `reply` is sent before the connection closes (CONNACK 0x01 for an unknown protocol level). */
  | { ok: false; rule: string; reply?: Buffer }

const OK: ProtocolVerdict = { ok: true }
const violation = (rule: string, reply?: Buffer): ProtocolVerdict => ({ ok: false, rule, ...(reply ? { reply } : {}) })
/** CONNACK with return code 0x01, unacceptable protocol level. */
const CONNACK_BAD_LEVEL = Buffer.from([0x20, 0x02, 0x00, 0x01])

/** How many body bytes of a packet the checks need to see (0: none). */
export function bytesToInspect (first: number, bodyLength: number, head: Buffer): number {
  switch (first >> 4) {
    case CONNECT: return bodyLength
    case PUBLISH: {
      if (head.length < 2) return Math.min(2, bodyLength)
      const qos = (first >> 1) & 3
      return Math.min(bodyLength, 2 + head.readUInt16BE(0) + (qos > 0 ? 2 : 0))
    }
    default: return 0
  }
}

/** Checks the inspected start of a packet (see bytesToInspect). */
export function inspectPacket (first: number, head: Buffer): ProtocolVerdict {
  switch (first >> 4) {
    case CONNECT: return inspectConnect(new Reader(head))
    case PUBLISH: return inspectPublish(first, new Reader(head))
    default: return OK
  }
}

function inspectPublish (first: number, r: Reader): ProtocolVerdict {
  const topic = r.string()
  if (topic === null) return violation('PUBLISH shorter than its topic [MQTT-3.3.2-1]')
  if (!wellFormed(topic)) return violation('topic name is not well-formed UTF-8 or holds U+0000 [MQTT-1.5.3-1, MQTT-1.5.3-2]')
  const qos = (first >> 1) & 3
  if (qos === 3) return violation('QoS 3 [MQTT-3.3.1-4]')
  if (qos > 0 && r.uint16() === 0) return violation('QoS 1 or 2 PUBLISH with packet identifier 0 [MQTT-2.3.1-1]')
  return OK
}

function inspectConnect (r: Reader): ProtocolVerdict {
  const name = r.string()
  const level = r.byte()
  const flags = r.byte()
  if (name === null || level === null || flags === null) return violation('CONNECT too short')
  // [MQTT-3.1.2-2]: answer an unsupported level with CONNACK 0x01, then close. 3 is MQTT 3.1 ("MQIsdp").
  if (level !== 3 && level !== 4) return violation(`unsupported protocol level ${level} [MQTT-3.1.2-2]`, CONNACK_BAD_LEVEL)
  if (name.toString('latin1') !== (level === 4 ? 'MQTT' : 'MQIsdp')) return violation('protocol name does not match its level [MQTT-3.1.2-1]')
  if (flags & 0x01) return violation('reserved connect flag set [MQTT-3.1.2-3]')
  const will = (flags & 0x04) !== 0
  const willQos = (flags >> 3) & 3
  if (willQos === 3) return violation('will QoS 3 [MQTT-3.1.2-14]')
  if (!will && (willQos !== 0 || (flags & 0x20))) return violation('will QoS or retain without a will [MQTT-3.1.2-13, MQTT-3.1.2-15]')
  if ((flags & 0x40) && !(flags & 0x80)) return violation('password without a user name [MQTT-3.1.2-22]')
  r.skip(2) // keep alive
  const strings: Array<Buffer | null> = [r.string()]
  if (will) { strings.push(r.string()); r.string() } // will topic, then the will message (binary)
  if (flags & 0x80) strings.push(r.string())
  if (strings.some((s) => s === null || !wellFormed(s))) return violation('client id, will topic or user name is not well-formed UTF-8 [MQTT-1.5.3-1, MQTT-1.5.3-2]')
  return OK
}

/** Well-formed UTF-8 (no overlongs, no surrogates) without U+0000. */
function wellFormed (s: Buffer): boolean {
  return isUtf8(s) && !s.includes(0)
}

/** Reads MQTT fields; null once past the end. */
class Reader {
  private at = 0
  constructor (private readonly buf: Buffer) {}

  byte (): number | null {
    return this.at < this.buf.length ? this.buf[this.at++]! : null
  }

  uint16 (): number | null {
    if (this.at + 2 > this.buf.length) return null
    const v = this.buf.readUInt16BE(this.at)
    this.at += 2
    return v
  }

  skip (n: number): void { this.at += n }

  string (): Buffer | null {
    const len = this.uint16()
    if (len === null || this.at + len > this.buf.length) return null
    const s = this.buf.subarray(this.at, this.at + len)
    this.at += len
    return s
  }
}
