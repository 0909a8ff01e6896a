// The uplink over NATS JetStream: the gateway is a plain client of the provincial cluster (no
// second server on the box). It connects in the background and never holds up the gateway:
// the box works alone until the province answers.
import { Events, connect, headers as natsHeaders, nkeyAuthenticator, type NatsConnection, type JetStreamClient } from 'nats'
import type { Logger } from '../../gateway/log.js'
import type { Command, Reply, Stored, UplinkTransport } from './transport.js'

export interface NatsTransportOptions {
  servers: string[]
  /** The commune's code: its own inbox prefix and command consumer follow from it. */
  commune: string
  /** The nkey seed ("SU..."), read from a file only the gateway can read. */
  seed: string
  /** How long a publish waits for the province's acknowledgement. */
  ackTimeoutMs: number
  /**
   * Only for tests that cut the link with a proxy: otherwise the client learns the other
   * cluster nodes from the server and reconnects around the proxy (shared/PROVINCE.md's trap).
   */
  ignoreClusterUpdates?: boolean
}

const FIRST_CONNECT_RETRY_MS = 2000

/** The commands stream and this commune's durable consumer on it (made by the province). */
export const COMMANDS_STREAM = 'COMMANDS'
export const commandConsumer = (commune: string): string => `cmd-${commune}`
/** Each commune reads replies only under its own inbox prefix; its permissions allow no other. */
export const inboxPrefix = (commune: string): string => `_INBOX_${commune}`

export class NatsTransport implements UplinkTransport {
  private nc: NatsConnection | null = null
  private js: JetStreamClient | null = null
  private closed = false
  private retry: (() => void) | null = null
  private readonly connecting: Promise<void>

  constructor (private readonly options: NatsTransportOptions, private readonly log: Logger) {
    this.connecting = this.connectLoop()
  }

  get connected (): boolean { return this.nc !== null && !this.nc.isClosed() && this.up }
  private up = false

  async publish (subject: string, payload: Uint8Array, msgId: string): Promise<Stored> {
    const js = this.js
    if (!js || !this.up) throw new Error('not connected to the province')
    const ack = await js.publish(subject, payload, { msgID: msgId, timeout: this.options.ackTimeoutMs })
    return { duplicate: ack.duplicate }
  }

  async pullCommands (max: number, waitMs: number): Promise<Command[]> {
    const js = this.js
    if (!js || !this.up) return []
    const out: Command[] = []
    // The consumer's info is not readable with a commune's permissions; fetch asks for the next
    // messages directly ($JS.API.CONSUMER.MSG.NEXT), which is all a commune may do.
    const batch = js.fetch(COMMANDS_STREAM, commandConsumer(this.options.commune), { batch: max, expires: waitMs })
    for await (const m of batch) out.push({ subject: m.subject, data: m.data, ack: () => { m.ack() }, nak: (delayMs) => { m.nak(delayMs) } })
    return out
  }

  async request (subject: string, payload: Uint8Array, timeoutMs: number, sent?: Record<string, string>): Promise<Reply> {
    const nc = this.nc
    if (!nc || !this.up) throw new Error('not connected to the province')
    const h = sent ? natsHeaders() : undefined
    for (const [k, v] of Object.entries(sent ?? {})) h!.set(k, v)
    const m = await nc.request(subject, payload, { timeout: timeoutMs, ...(h ? { headers: h } : {}) })
    const headers: Record<string, string> = {}
    for (const [k, v] of m.headers ?? []) headers[k] = v[0] ?? ''
    return { data: m.data, headers }
  }

  async close (): Promise<void> {
    this.closed = true
    this.retry?.()
    const nc = this.nc
    this.nc = null
    if (nc) await nc.close().catch(() => {})
    await this.connecting
  }

  /**
   * Until the province answers once, tries every few seconds (a cancellable wait of ours, so
   * closing never waits on a province that never answered); from then on the client's own
   * reconnection takes over, for ever.
   */
  private async connectLoop (): Promise<void> {
    const { servers, commune, seed } = this.options
    let logged = false
    while (!this.closed) {
      try {
        const nc = await connect({
          servers,
          name: `gateway-${commune}`,
          authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
          inboxPrefix: inboxPrefix(commune),
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
          reconnectJitter: 200,
          pingInterval: 10_000,
          maxPingOut: 2,
          ignoreClusterUpdates: this.options.ignoreClusterUpdates ?? false
        })
        if (this.closed) { await nc.close(); return }
        this.nc = nc
        this.js = nc.jetstream()
        this.up = true
        this.log.info({ server: nc.getServer() }, 'uplink connected to the province')
        void this.watch(nc)
        return
      } catch (err) {
        if (!logged) this.log.warn({ err }, 'the province does not answer; the box goes on alone and tries again')
        logged = true
        await new Promise<void>((resolve) => { const t = setTimeout(resolve, FIRST_CONNECT_RETRY_MS); this.retry = () => { clearTimeout(t); resolve() } })
        this.retry = null
      }
    }
  }

  private async watch (nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect) { this.up = false; this.log.warn({ server: s.data }, 'uplink lost the province') }
      if (s.type === Events.Reconnect) { this.up = true; this.log.info({ server: s.data }, 'uplink back') }
      if (s.type === Events.Error) this.log.warn({ err: s.data }, 'uplink error from the province')
    }
  }
}
