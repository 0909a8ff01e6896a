// Hand-built MQTT 3.1.1 packets, for what a well-behaved client library refuses to send (an
// empty client id with a persistent session, a QoS 1 PUBLISH with packet id 0, a topic that is
// not UTF-8, a will of QoS 3 ...), and a raw session that records what the broker answers.
import { connect, type Socket } from 'node:net'

type Bytes = string | Buffer

const bytes = (s: Bytes): Buffer => typeof s === 'string' ? Buffer.from(s, 'utf8') : s

/** A length-prefixed string [MQTT-1.5.3]. */
export function str (s: Bytes): Buffer {
  const body = bytes(s)
  const len = Buffer.alloc(2)
  len.writeUInt16BE(body.length)
  return Buffer.concat([len, body])
}

function remainingLength (n: number): Buffer {
  const out: number[] = []
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    out.push(byte)
  } while (n > 0)
  return Buffer.from(out)
}

function packet (firstByte: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts)
  return Buffer.concat([Buffer.from([firstByte]), remainingLength(body.length), body])
}

export interface RawConnect {
  clientId: Bytes
  username?: string
  password?: string
  clean?: boolean
  /** Protocol level (4 for 3.1.1) and name. */
  level?: number
  protocol?: string
  will?: { topic: Bytes; payload: Bytes; qos: number; retain?: boolean }
  /** Extra bits OR-ed into the connect flags (bit 0 is reserved). */
  extraFlags?: number
}

export function connectPacket (o: RawConnect): Buffer {
  let flags = (o.clean ?? true ? 0x02 : 0) | (o.extraFlags ?? 0)
  if (o.username !== undefined) flags |= 0x80
  if (o.password !== undefined) flags |= 0x40
  if (o.will) flags |= 0x04 | (o.will.qos << 3) | (o.will.retain ? 0x20 : 0)
  const variable = Buffer.concat([str(o.protocol ?? 'MQTT'), Buffer.from([o.level ?? 4, flags, 0, 30])])
  const payload = [str(o.clientId)]
  if (o.will) payload.push(str(o.will.topic), str(o.will.payload))
  if (o.username !== undefined) payload.push(str(o.username))
  if (o.password !== undefined) payload.push(str(o.password))
  return packet(0x10, variable, ...payload)
}

export function publishPacket (o: { topic: Bytes; payload: Bytes; qos: 0 | 1 | 2; id?: number; dup?: boolean; retain?: boolean }): Buffer {
  const first = 0x30 | (o.dup ? 0x08 : 0) | (o.qos << 1) | (o.retain ? 0x01 : 0)
  const id = Buffer.alloc(o.qos > 0 ? 2 : 0)
  if (o.qos > 0) id.writeUInt16BE(o.id ?? 1)
  return packet(first, str(o.topic), id, bytes(o.payload))
}

export function subscribePacket (id: number, filters: Array<{ filter: Bytes; qos: number }>): Buffer {
  const head = Buffer.alloc(2)
  head.writeUInt16BE(id)
  return packet(0x82, head, ...filters.map((f) => Buffer.concat([str(f.filter), Buffer.from([f.qos])])))
}

/** PUBACK (0x40), PUBREC (0x50), PUBREL (0x62), PUBCOMP (0x70): type byte and a packet id. */
export function ackPacket (firstByte: number, id: number): Buffer {
  const body = Buffer.alloc(2)
  body.writeUInt16BE(id)
  return packet(firstByte, body)
}

/** One packet as received: the first byte (type and flags) and the body. */
export interface RawPacket { first: number; type: number; body: Buffer }

/** A raw TCP session that parses what the broker sends back. */
export class RawSession {
  readonly packets: RawPacket[] = []
  closed = false
  private buffer = Buffer.alloc(0)
  private readonly waiters = new Set<() => void>()

  private constructor (private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => { this.buffer = Buffer.concat([this.buffer, chunk]); this.parse(); this.wake() })
    socket.on('close', () => { this.closed = true; this.wake() })
    socket.on('error', () => undefined)
  }

  static open (port: number): Promise<RawSession> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => { socket.off('error', reject); resolve(new RawSession(socket)) })
      socket.once('error', reject)
    })
  }

  send (...packets: Buffer[]): void {
    if (!this.socket.destroyed) this.socket.write(Buffer.concat(packets))
  }

  /** Resolves when a packet of this type has arrived (or null when the connection closed or time ran out). */
  async next (type: number, timeoutMs = 3000): Promise<RawPacket | null> {
    const found = (): RawPacket | undefined => this.packets.find((p) => p.type === type)
    await this.until(() => found() !== undefined || this.closed, timeoutMs)
    const p = found()
    if (p) this.packets.splice(this.packets.indexOf(p), 1)
    return p ?? null
  }

  /** Resolves true once the broker has closed the connection. */
  async waitClosed (timeoutMs = 3000): Promise<boolean> {
    await this.until(() => this.closed, timeoutMs)
    return this.closed
  }

  end (): void { this.socket.destroy() }

  private until (ready: () => boolean, timeoutMs: number): Promise<void> {
    if (ready()) return Promise.resolve()
    return new Promise((resolve) => {
      const done = (): void => { clearTimeout(timer); this.waiters.delete(check); resolve() }
      const check = (): void => { if (ready()) done() }
      const timer = setTimeout(done, timeoutMs)
      this.waiters.add(check)
    })
  }

  private wake (): void { for (const w of [...this.waiters]) w() }

  private parse (): void {
    for (;;) {
      if (this.buffer.length < 2) return
      let length = 0
      let multiplier = 1
      let i = 1
      for (;;) {
        if (i >= this.buffer.length) return
        const byte = this.buffer[i++]!
        length += (byte & 0x7f) * multiplier
        multiplier *= 128
        if (!(byte & 0x80)) break
      }
      if (this.buffer.length < i + length) return
      const first = this.buffer[0]!
      this.packets.push({ first, type: first >> 4, body: this.buffer.subarray(i, i + length) })
      this.buffer = this.buffer.subarray(i + length)
    }
  }
}

/** The CONNACK return code for a hand-built CONNECT (the connection is then closed). */
export async function rawConnack (port: number, o: RawConnect): Promise<number> {
  const session = await RawSession.open(port)
  session.send(connectPacket(o))
  const connack = await session.next(2)
  session.end()
  if (!connack) throw new Error('no CONNACK')
  return connack.body[1]!
}
