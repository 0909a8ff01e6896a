// Is the picture moving? A camera can keep its socket open and its RTP flowing while the
// encoder is stuck on one frame (a hung DSP, a frozen sensor): police would see a still
// picture of a street while something happens in it. So "stream alive" here means frames
// really advance: RTP timestamps move forward (each frame gets a new one, RFC 3550 §5.1)
// AND the payload changes. A frozen stream repeats the same timestamp, or the same bytes.
import { createHash } from 'node:crypto'

export interface RtpPacket {
  marker: boolean
  payloadType: number
  sequence: number
  timestamp: number
  payload: Buffer
}

/** Parses the fixed RTP header (RFC 3550 §5.1), skipping CSRCs and the header extension. */
export function parseRtp (data: Buffer): RtpPacket | null {
  if (data.length < 12 || data[0]! >> 6 !== 2) return null
  const csrcCount = data[0]! & 0x0f
  let offset = 12 + 4 * csrcCount
  if (data[0]! & 0x10) {
    if (data.length < offset + 4) return null
    offset += 4 + 4 * data.readUInt16BE(offset + 2)
  }
  let end = data.length
  if (data[0]! & 0x20) end -= data[data.length - 1]! // padding
  if (offset > end) return null
  return {
    marker: (data[1]! & 0x80) !== 0,
    payloadType: data[1]! & 0x7f,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    payload: data.subarray(offset, end)
  }
}

export interface StreamStats {
  packets: number
  /** Frames seen complete (RTP marker bit: last packet of an access unit, RFC 6184 §5.1). */
  frames: number
  /** Distinct RTP timestamps that moved forward. */
  timestampSteps: number
  /** Frames whose content differs from the frame before. */
  changedFrames: number
  bytes: number
  durationMs: number
  fps: number
  bitrateKbps: number
  /** Frames advance: timestamps move and content changes. */
  alive: boolean
}

/** Accumulates the packets of a short read of the stream. */
export class FrameWatch {
  private packets = 0
  private frames = 0
  private bytes = 0
  private timestampSteps = 0
  private changedFrames = 0
  private lastTimestamp: number | null = null
  private lastFrameHash: string | null = null
  private frameHash = createHash('sha1')
  private firstAt: number | null = null
  private lastAt = 0

  constructor (private readonly payloadType: number | null = null) {}

  add (packet: RtpPacket, at: number): void {
    if (this.payloadType !== null && packet.payloadType !== this.payloadType) return
    this.firstAt ??= at
    this.lastAt = at
    this.packets++
    this.bytes += packet.payload.length
    // Timestamps are 32-bit and wrap: a step forward is a difference below 2^31.
    if (this.lastTimestamp !== null && packet.timestamp !== this.lastTimestamp &&
      ((packet.timestamp - this.lastTimestamp) >>> 0) < 0x8000_0000) this.timestampSteps++
    this.lastTimestamp = packet.timestamp
    this.frameHash.update(packet.payload)
    if (packet.marker) {
      this.frames++
      const hash = this.frameHash.digest('hex')
      if (this.lastFrameHash !== null && hash !== this.lastFrameHash) this.changedFrames++
      this.lastFrameHash = hash
      this.frameHash = createHash('sha1')
    }
  }

  stats (windowMs: number): StreamStats {
    // Rates over the time packets arrived, or the window when only one came.
    const durationMs = this.firstAt === null ? windowMs : Math.max(1, this.lastAt - this.firstAt)
    const perS = 1000 / durationMs
    return {
      packets: this.packets,
      frames: this.frames,
      timestampSteps: this.timestampSteps,
      changedFrames: this.changedFrames,
      bytes: this.bytes,
      durationMs,
      // n frames between the first and last packet span n-1 intervals.
      fps: this.frames > 1 ? Math.round((this.frames - 1) * perS * 10) / 10 : 0,
      bitrateKbps: Math.round((this.bytes * 8 * perS) / 1000),
      alive: this.timestampSteps > 0 && this.changedFrames > 0
    }
  }
}
