// RTP packets of a simulated H.264 stream, sent interleaved on the RTSP connection
// (RFC 2326 §10.12: '$', channel, 16-bit length, packet). Each frame gets a new 90 kHz
// timestamp and new content, split into packets of at most 1,400 bytes with the marker
// bit on the last (RFC 6184). A frozen camera sends the same frame and timestamp forever.
import type { Socket } from 'node:net'
import type { SimCamera } from './camera.js'

const MAX_PAYLOAD = 1400
const CLOCK_RATE = 90_000

export class RtpStream {
  private timer: NodeJS.Timeout | null = null
  private frame = 0
  private sequence = Math.floor(Math.random() * 0xffff)
  private readonly ssrc = Math.floor(Math.random() * 0xffff_ffff)
  private readonly timestampBase = Math.floor(Math.random() * 0xffff_ffff)
  private readonly frameBytes: number

  constructor (private readonly camera: SimCamera, private readonly socket: Socket, private readonly channel: number) {
    this.frameBytes = Math.max(200, Math.round((camera.kbps * 1000) / 8 / camera.fps))
  }

  start (): void {
    if (this.timer) return
    this.timer = setInterval(() => this.sendFrame(), 1000 / this.camera.fps)
  }

  stop (): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private sendFrame (): void {
    if (this.socket.destroyed || this.socket.writableNeedDrain) return // a slow reader drops frames, as a camera does
    if (!this.camera.faults.frozen) this.frame++
    const timestamp = (this.timestampBase + Math.round((this.frame * CLOCK_RATE) / this.camera.fps)) >>> 0
    for (let offset = 0; offset < this.frameBytes; offset += MAX_PAYLOAD) {
      const size = Math.min(MAX_PAYLOAD, this.frameBytes - offset)
      const last = offset + size >= this.frameBytes
      const packet = Buffer.allocUnsafe(4 + 12 + size)
      packet[0] = 0x24
      packet[1] = this.channel
      packet.writeUInt16BE(12 + size, 2)
      packet[4] = 0x80 // RTP version 2
      packet[5] = (last ? 0x80 : 0) | 96
      packet.writeUInt16BE(this.sequence, 6)
      this.sequence = (this.sequence + 1) & 0xffff
      packet.writeUInt32BE(timestamp, 8)
      packet.writeUInt32BE(this.ssrc, 12)
      // Content that differs per frame (and per packet within it), like a real encoder's.
      packet.fill((this.frame * 31 + offset) & 0xff, 16)
      packet[16] = 0x7c // FU-A indicator, NRI 3
      if (size >= 6) packet.writeUInt32BE(this.frame >>> 0, 18)
      this.socket.write(packet)
    }
  }
}
