// The device's TCP link, wrapped so a scenario can break it the two ways the field does:
//
// - cut(): the socket is destroyed without an MQTT DISCONNECT (a Wi-Fi blip, a modem
//   reset). The broker sees the TCP close at once and publishes the last will.
// - silence(): the device loses power. Nothing more is written or read, not even PINGREQ,
//   and no FIN is sent, because a dead device sends nothing. The broker only learns of it
//   when the keepalive runs out (1.5 x keepalive, [MQTT-3.1.2-24]) and then publishes the
//   will. A broker cannot tell a silent death from a very slow link; that is why the
//   gateway also needs heartbeat timeouts (DESIGN.md, Presence).
//
// MQTT.js takes a stream builder (new MqttClient(builder, options)), so it writes to this
// wrapper and never to the socket itself.
import { Duplex } from 'node:stream'
import { connect, type Socket } from 'node:net'

export class Link extends Duplex {
  private silent = false

  constructor (private readonly tcp: Socket) {
    super()
    tcp.on('data', (chunk: Buffer) => {
      if (this.silent) return
      if (!this.push(chunk)) tcp.pause()
    })
    tcp.on('end', () => { if (!this.silent) this.push(null) })
    tcp.on('error', (err) => { if (!this.silent) this.destroy(err) })
    tcp.on('close', () => { if (!this.silent) this.destroy() })
  }

  override _read (): void {
    this.tcp.resume()
  }

  override _write (chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.silent) { callback(); return }
    this.tcp.write(chunk, callback)
  }

  override _final (callback: (error?: Error | null) => void): void {
    if (this.silent) { callback(); return }
    this.tcp.end(callback)
  }

  override _destroy (err: Error | null, callback: (error?: Error | null) => void): void {
    // A silent link keeps its socket open: closing it would tell the broker at once.
    if (!this.silent) this.tcp.destroy()
    callback(err)
  }

  /** Drops the TCP connection without an MQTT DISCONNECT. */
  cut (): void {
    this.tcp.destroy()
  }

  /**
   * Goes silent and hands back the socket, still open. Incoming bytes are read and thrown
   * away (as a dead NIC would) so the broker's eventual close is noticed and the socket freed.
   */
  silence (): Socket {
    this.silent = true
    this.tcp.on('end', () => this.tcp.destroy())
    this.tcp.on('error', () => this.tcp.destroy())
    this.tcp.resume()
    return this.tcp
  }
}

/** Opens a TCP link to an mqtt:// URL. TLS and WebSocket are for real devices; the simulators speak plain TCP. */
export function openLink (url: URL): Link {
  if (url.protocol !== 'mqtt:' && url.protocol !== 'tcp:') throw new Error(`simulated devices speak mqtt:// only, not ${url.protocol}`)
  const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 1883) })
  socket.setNoDelay(true)
  return new Link(socket)
}

export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 }

/**
 * Delay before reconnect attempt `attempt` (0 first): exponential, capped, with "equal
 * jitter" (half fixed, half random) so a hundred devices back after a power cut do not
 * knock on the broker in the same millisecond, yet none retries at once.
 */
export function backoffMs (attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30))
  return ceiling / 2 + random() * ceiling / 2
}
