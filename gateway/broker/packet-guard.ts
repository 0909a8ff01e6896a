// aedes has no maximum packet size (moscajs/aedes#831): its parser buffers a packet of any
// announced length, up to 256 MB, before anyone sees it. This guard sits between the socket
// and aedes, reads each MQTT fixed header as the bytes arrive, and cuts the connection as
// soon as a packet announces more than the limit, before its body is buffered. It also holds
// aedes to what MQTT 3.1.1 requires of a CONNECT and a PUBLISH (protocol-rules.ts).
import { Duplex } from 'node:stream'
import { bytesToInspect, inspectPacket } from './protocol-rules.js'

/** Why a connection is cut: a packet over the size limit, or one that breaks the protocol. */
export type ScanVerdict = { ok: true } | { ok: false; cause: 'oversize' } | { ok: false; cause: 'protocol'; rule: string; reply?: Buffer }

const OK: ScanVerdict = { ok: true }
const NOTHING = Buffer.alloc(0)
export type Refusal = Exclude<ScanVerdict, { ok: true }>

/** Follows MQTT packet boundaries across chunks; decodes headers, and inspects the start of CONNECT and PUBLISH. */
export class PacketScanner {
  private state: 'type' | 'length' | 'body' = 'type'
  private first = 0
  private length = 0
  private multiplier = 1
  private remaining = 0
  /** The start of the current packet's body, kept while the protocol checks need it. */
  private head: Buffer = NOTHING
  private inspected = false

  constructor (private readonly maxBytes: number) {}

  feed (chunk: Buffer): ScanVerdict {
    let i = 0
    while (i < chunk.length) {
      switch (this.state) {
        case 'type':
          this.first = chunk[i++]!
          this.state = 'length'
          this.length = 0
          this.multiplier = 1
          break
        case 'length': {
          const byte = chunk[i++]!
          this.length += (byte & 0x7f) * this.multiplier
          if (this.length > this.maxBytes) return { ok: false, cause: 'oversize' }
          if (byte & 0x80) {
            this.multiplier *= 128
            if (this.multiplier > 128 ** 3) return { ok: false, cause: 'oversize' }
          } else {
            this.remaining = this.length
            this.head = NOTHING
            this.inspected = false
            const verdict = this.collect(chunk, i, i)
            if (!verdict.ok) return verdict
            this.state = this.remaining > 0 ? 'body' : 'type'
          }
          break
        }
        case 'body': {
          const take = Math.min(this.remaining, chunk.length - i)
          if (!this.inspected) {
            const verdict = this.collect(chunk, i, i + take)
            if (!verdict.ok) return verdict
          }
          i += take
          this.remaining -= take
          if (this.remaining === 0) this.state = 'type'
          break
        }
      }
    }
    return OK
  }

  /**
   * Keeps what the protocol checks need of chunk[from, to) and runs them once it is all in
   * (a PUBLISH takes two steps: the topic's length, then the topic and packet id).
   */
  private collect (chunk: Buffer, from: number, to: number): ScanVerdict {
    // Nearly every packet's start is in one chunk: inspected where it lies, not copied (issue #18).
    if (this.head.length === 0 && to > from) {
      const inPlace = chunk.subarray(from, to)
      if (inPlace.length >= bytesToInspect(this.first, this.length, inPlace)) return this.inspect(inPlace)
    }
    for (let at = from; ;) {
      const need = bytesToInspect(this.first, this.length, this.head)
      if (this.head.length >= need) return this.inspect(this.head)
      if (at >= to) return OK
      const n = Math.min(need - this.head.length, to - at)
      this.head = Buffer.concat([this.head, chunk.subarray(at, at + n)])
      at += n
    }
  }

  private inspect (head: Buffer): ScanVerdict {
    this.inspected = true
    this.head = NOTHING
    const verdict = inspectPacket(this.first, head)
    return verdict.ok ? OK : { ok: false, cause: 'protocol', rule: verdict.rule, ...(verdict.reply ? { reply: verdict.reply } : {}) }
  }
}

/** The socket as aedes sees it, minus oversize packets and protocol violations. */
export class PacketSizeGuard extends Duplex {
  private corked = false

  constructor (private readonly socket: Duplex, maxBytes: number, onRefused: (verdict: Refusal) => void) {
    super()
    const scanner = new PacketScanner(maxBytes)
    let refused = false
    socket.on('data', (chunk: Buffer) => {
      if (refused) return
      const verdict = scanner.feed(chunk)
      if (!verdict.ok) {
        // Nothing of this chunk reaches aedes: what it held was not acknowledged, so the
        // device still has it.
        refused = true
        onRefused(verdict)
        if (verdict.cause === 'protocol' && verdict.reply) socket.end(verdict.reply)
        else socket.destroy()
        return
      }
      if (!this.push(chunk)) socket.pause()
    })
    socket.on('end', () => this.push(null))
    socket.on('error', (err) => this.destroy(err))
    socket.on('close', () => this.destroy())
  }

  override _read (): void {
    this.socket.resume()
  }

  override _write (chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // One journal commit releases many PUBACKs in the same tick: send them as one segment.
    if (!this.corked) {
      this.corked = true
      this.socket.cork()
      process.nextTick(() => { this.corked = false; this.socket.uncork() })
    }
    if (this.socket.write(chunk)) callback()
    else this.socket.once('drain', () => callback())
  }

  override _final (callback: (error?: Error | null) => void): void {
    this.socket.end(callback)
  }

  override _destroy (err: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy()
    callback(err)
  }
}
