// aedes has no maximum packet size (moscajs/aedes#831): its parser buffers a packet of any
// announced length, up to 256 MB, before anyone sees it. This guard sits between the socket
// and aedes, reads each MQTT fixed header as the bytes arrive, and cuts the connection as
// soon as a packet announces more than the limit, before its body is buffered.
import { Duplex } from 'node:stream'

/** Follows MQTT packet boundaries across chunks; only headers are decoded. */
export class PacketScanner {
  private state: 'type' | 'length' | 'body' = 'type'
  private length = 0
  private multiplier = 1
  private remaining = 0

  constructor (private readonly maxBytes: number) {}

  /** False when a packet is larger than the limit (or its length field is malformed). */
  feed (chunk: Buffer): boolean {
    let i = 0
    while (i < chunk.length) {
      switch (this.state) {
        case 'type':
          i++
          this.state = 'length'
          this.length = 0
          this.multiplier = 1
          break
        case 'length': {
          const byte = chunk[i++]!
          this.length += (byte & 0x7f) * this.multiplier
          if (this.length > this.maxBytes) return false
          if (byte & 0x80) {
            this.multiplier *= 128
            if (this.multiplier > 128 ** 3) return false
          } else {
            this.remaining = this.length
            this.state = this.remaining > 0 ? 'body' : 'type'
          }
          break
        }
        case 'body': {
          const take = Math.min(this.remaining, chunk.length - i)
          i += take
          this.remaining -= take
          if (this.remaining === 0) this.state = 'type'
          break
        }
      }
    }
    return true
  }
}

/** The socket as aedes sees it, minus oversize packets. */
export class PacketSizeGuard extends Duplex {
  private corked = false

  constructor (private readonly socket: Duplex, maxBytes: number, onOversize: () => void) {
    super()
    const scanner = new PacketScanner(maxBytes)
    socket.on('data', (chunk: Buffer) => {
      if (!scanner.feed(chunk)) {
        onOversize()
        socket.destroy()
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
