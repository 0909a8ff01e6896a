// A simulated device on the wire: the MQTT side every kind shares. It speaks only the
// contract (gateway/contract): retained status with a QoS1 last will, QoS1 telemetry and
// events, commands on its cmd topic answered on its reply topic. What it measures comes
// from its DeviceModel; how its link breaks comes from the scenario (see link.ts).
import type { Socket } from 'node:net'
import { MqttClient, Store, type IClientOptions } from 'mqtt'
import { describeIssues, TELEMETRY, topics, type Command, type CommandReply, type DeviceKind, type Status } from '../gateway/contract/index.js'
import type { SimClock } from './clock.js'
import { checkCommand } from './command-check.js'
import { backoffMs, DEFAULT_BACKOFF, openLink, type BackoffOptions, type Link } from './link.js'
import type { DeviceModel, ModelCommandOf } from './model.js'
import { Player } from './player.js'

export interface SimDeviceOptions {
  /** mqtt://host:port of the gateway's broker. */
  url: string
  /** The device's own password; its id is both client id and username. */
  secret: string
  clock: SimClock
  /** Real milliseconds between readings. */
  intervalMs: number
  /** MQTT keepalive in seconds; the broker declares a silent device dead after 1.5 x this. */
  keepaliveS?: number
  backoff?: BackoffOptions
  /** Real milliseconds a reboot takes before the device connects again. */
  rebootMs?: number
  random?: () => number
  /** Connection refusals, socket errors, readings the contract refuses: reported, never thrown. */
  onError?: (err: Error) => void
  /** Loudspeakers: the share of bulletins that fail to play (an amplifier fault), 0 to 1. */
  playFailShare?: number
  /** Loudspeakers: keep the MP3 bytes of the streams they play (tests decode them). */
  keepStreams?: boolean
  /** Loudspeakers: each piece of a stream as it arrives. */
  onStream?: (broadcastId: string, chunk: Buffer) => void
  /**
   * A logger that recorded before the gateway heard of it: on its first connection the device
   * sends a reading every `everySimMs` from `fromSimMs` up to now, oldest first, each with the
   * real time it was measured at (an air-quality station's last hours, which its hourly index needs).
   */
  history?: { fromSimMs: number; everySimMs: number }
}

export interface DeviceStats {
  /** Messages the broker acknowledged (PUBACK). */
  published: number
  commands: number
  connects: number
}

type Outgoing = { topic: string; payload: string | Buffer; retain: boolean }

/** Readings kept while the link is down, oldest dropped first, as a logger with a small flash buffer. */
const BACKLOG_LIMIT = 200
/** Command ids remembered so a redelivered command (QoS1, persistent session) is answered, not run twice. */
const REMEMBERED_COMMANDS = 100

export class SimDevice<K extends DeviceKind, M extends DeviceModel<K> = DeviceModel<K>> {
  readonly stats: DeviceStats = { published: 0, commands: 0, connects: 0 }
  private client: MqttClient | null = null
  private link: Link | null = null
  /** Sockets of power-cut links, left open until the broker gives up on them. */
  private readonly silentSockets = new Set<Socket>()
  private powered = false
  private stopping = false
  private attempt = 0
  private reconnectTimer: NodeJS.Timeout | null = null
  private readingTimers: NodeJS.Timeout[] = []
  private backlog: Outgoing[] = []
  private readonly answered = new Map<string, { status: CommandReply['status']; reason?: string }>()
  private rebootReply: string | null = null
  private rebootTimer: NodeJS.Timeout | null = null
  private readonly random: () => number
  /** Loudspeakers play bulletins; other kinds have none. */
  private readonly player: Player | null

  constructor (readonly id: string, readonly model: M, private readonly options: SimDeviceOptions) {
    this.random = options.random ?? Math.random
    this.player = model.kind === 'speaker'
      ? new Player({ reply: (cid, status, reason) => { void this.reply(cid, status, reason) }, changed: () => this.publishReading(), failShare: options.playFailShare, random: this.random, keepStreams: options.keepStreams, onStream: options.onStream })
      : null
  }

  get connected (): boolean {
    return this.client?.connected ?? false
  }

  /** Powers the device on: it connects and starts measuring. */
  start (): void {
    if (this.powered) return
    this.stopping = false
    this.powerOn()
  }

  /** Shuts down politely: an "offline" status, then DISCONNECT (so the broker sends no will). */
  async stop (): Promise<void> {
    this.stopping = true
    const client = this.client
    this.client = null // so that its close does not schedule a reconnect
    this.powerOff()
    if (this.rebootTimer) clearTimeout(this.rebootTimer)
    if (client?.connected) {
      const offline: Status = { state: 'offline', ts: this.options.clock.now() }
      await within(client.publishAsync(topics.status(this.id), JSON.stringify(offline), { qos: 1, retain: true }), 2000)
      await within(client.endAsync(), 2000)
    }
    client?.end(true)
    for (const socket of this.silentSockets) socket.destroy()
  }

  /** Drops the TCP connection without DISCONNECT (and a stream being played): the broker publishes the will; the device reconnects. */
  cut (): void {
    this.link?.cut()
    this.player?.dropStream()
  }

  /** The MP3 bytes of a stream this loudspeaker played (with keepStreams), every attempt in order. */
  streamed (broadcastId: string): Buffer {
    return Buffer.concat(this.player?.streams.get(broadcastId) ?? [])
  }

  /** Power lost: silence on the link (no FIN, no PINGREQ). The will comes after the keepalive expires. */
  powerCut (): void {
    if (!this.powered) return
    const socket = this.link?.silence()
    if (socket && !socket.destroyed) {
      this.silentSockets.add(socket)
      socket.once('close', () => this.silentSockets.delete(socket))
    }
    this.powerOff()
  }

  /** Power back: the device boots (uptime restarts, a "reboot" event) and connects again. */
  powerRestore (): void {
    if (this.powered || this.stopping) return
    this.boot()
    this.powerOn()
  }

  /** Measures now and sends the reading (also on every tick of the reading timer). */
  publishReading (): void {
    if (!this.powered) return
    const reading: Record<string, unknown> = { ts: this.options.clock.now(), ...this.model.read(this.options.clock.simNow()) }
    const onAir = this.player?.nowPlaying()
    if (onAir) Object.assign(reading, { playing: 'bulletin', playingItem: onAir.title, playingPriority: onAir.priority })
    const check = TELEMETRY[this.model.kind].safeParse(reading)
    if (!check.success) this.options.onError?.(new Error(`${this.id}: reading outside the contract: ${describeIssues(check.error).join('; ')}`))
    void this.send({ topic: topics.telemetry(this.id), payload: JSON.stringify(reading), retain: false })
    this.flushEvents()
  }

  /** Sends the model's pending events now rather than with the next reading. */
  flushEvents (): void {
    const ts = this.options.clock.now()
    for (const event of this.model.drainEvents()) {
      void this.send({ topic: topics.event(this.id), payload: JSON.stringify({ ts, ...event }), retain: false })
    }
  }

  private powerOn (): void {
    this.powered = true
    this.player?.powerOn()
    this.attempt = 0
    const client = this.createClient()
    this.client = client
    // Readings start at a random phase so a fleet does not report in lockstep.
    const first = setTimeout(() => {
      this.publishReading()
      this.readingTimers.push(setInterval(() => this.publishReading(), this.options.intervalMs))
    }, this.random() * this.options.intervalMs)
    this.readingTimers.push(first)
  }

  private powerOff (): void {
    this.powered = false
    this.player?.powerOff()
    for (const t of this.readingTimers) clearTimeout(t)
    this.readingTimers = []
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
    // RAM is lost with the power: nothing buffered survives.
    this.backlog = []
    this.client?.end(true)
    this.client = null
    this.link = null
  }

  private boot (): void {
    this.model.boot(this.options.clock.simNow())
    void this.send({ topic: topics.event(this.id), payload: JSON.stringify({ ts: this.options.clock.now(), type: 'reboot' }), retain: false })
  }

  private createClient (): MqttClient {
    const url = new URL(this.options.url)
    const offline: Status = { state: 'offline' }
    const stores = { incomingStore: new Store(), outgoingStore: new Store() }
    const options: IClientOptions = {
      clientId: this.id,
      username: this.id,
      password: this.options.secret,
      protocolVersion: 4,
      // A persistent session: commands sent while the device was away wait for it.
      clean: false,
      keepalive: this.options.keepaliveS ?? 45,
      // Reconnects are ours (backoff with jitter below), not MQTT.js's fixed period.
      reconnectPeriod: 0,
      connectTimeout: 20_000,
      will: { topic: topics.status(this.id), payload: Buffer.from(JSON.stringify(offline)), qos: 1, retain: true },
      ...stores
    }
    const client = new MqttClient(() => {
      this.link = openLink(url)
      return this.link
    }, options)
    client.on('connect', () => { this.onConnect() })
    client.on('message', (topic, payload) => { if (topic === topics.command(this.id)) this.onCommand(payload) })
    client.on('error', (err) => this.options.onError?.(err))
    client.on('close', () => {
      if (this.client !== client || !this.powered || this.reconnectTimer) return
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null
        // The stores carry unacknowledged QoS1 messages across the reconnect.
        if (this.client === client && this.powered) client.reconnect(stores)
      }, backoffMs(this.attempt++, this.options.backoff ?? DEFAULT_BACKOFF, this.random))
    })
    return client
  }

  private onConnect (): void {
    this.attempt = 0
    this.stats.connects++
    const { firmware, model } = this.model
    const online: Status = { state: 'online', ts: this.options.clock.now(), firmware, model }
    void this.send({ topic: topics.status(this.id), payload: JSON.stringify(online), retain: true })
    this.client?.subscribe(topics.command(this.id), { qos: 1 }, (err) => { if (err) this.options.onError?.(err) })
    const backlog = this.backlog
    this.backlog = []
    for (const message of backlog) void this.send(message)
    if (this.rebootReply !== null) {
      void this.reply(this.rebootReply, 'done')
      this.rebootReply = null
    }
    this.sendHistory()
    this.publishReading()
  }

  /** Once, at the first connection: what the logger recorded before (SimDeviceOptions.history). */
  private sendHistory (): void {
    const history = this.options.history
    if (!history || this.stats.connects > 1) return
    const { clock } = this.options
    const simNow = clock.simNow()
    for (let t = history.fromSimMs; t < simNow; t += history.everySimMs) {
      const reading = { ts: Math.round(clock.now() - (simNow - t) / clock.speed), ...this.model.read(t) }
      void this.send({ topic: topics.telemetry(this.id), payload: JSON.stringify(reading), retain: false })
    }
  }

  private send (message: Outgoing): Promise<void> {
    const client = this.client
    if (!client?.connected) {
      this.backlog.push(message)
      if (this.backlog.length > BACKLOG_LIMIT) this.backlog.shift()
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      client.publish(message.topic, message.payload, { qos: 1, retain: message.retain }, (err) => {
        if (!err) this.stats.published++
        resolve()
      })
    })
  }

  private reply (id: string, status: CommandReply['status'], reason?: string): Promise<void> {
    const reply: CommandReply = { id, status, ts: this.options.clock.now() }
    if (reason !== undefined) reply.reason = reason.slice(0, 200)
    if (status !== 'accepted' && status !== 'in_progress') this.remember(id, status, reason)
    return this.send({ topic: topics.reply(this.id), payload: JSON.stringify(reply), retain: false })
  }

  private remember (id: string, status: CommandReply['status'], reason?: string): void {
    this.answered.set(id, reason === undefined ? { status } : { status, reason })
    if (this.answered.size > REMEMBERED_COMMANDS) this.answered.delete(this.answered.keys().next().value ?? id)
  }

  private onCommand (payload: Buffer): void {
    this.stats.commands++
    const v = checkCommand(this.model.kind, payload, this.options.clock.now())
    if (v.verdict === 'ignore') return
    // A redelivered command (QoS1, persistent session) gets its earlier answer again.
    const earlier = this.answered.get(v.id)
    if (earlier !== undefined) void this.reply(v.id, earlier.status, earlier.reason)
    else if (v.verdict === 'reject') void this.reply(v.id, 'rejected', v.reason)
    else this.run(v.id, v.command, v.expiresAt)
  }

  private run (id: string, command: Command, expiresAt: number): void {
    // A bulletin is accepted once its audio is in (player.ts).
    if (command.name === 'play') { void this.player?.play(id, command.params, expiresAt); return }
    if (command.name === 'stop') this.player?.stop()
    if (command.name === 'snapshot') { void this.sendSnapshot(id); return }
    void this.reply(id, 'accepted').then(() => {
      if (command.name === 'reboot') { this.reboot(id); return }
      const outcome = this.model.apply(command as ModelCommandOf<K>, this.options.clock.simNow())
      void this.reply(id, outcome.status, outcome.status === 'failed' ? outcome.reason : undefined)
      // Devices report their state right after it changes, not only on the next tick.
      this.publishReading()
    })
  }

  /** The picture on the camera's own snapshot topic, then done (contract: the snapshot command). */
  private async sendSnapshot (id: string): Promise<void> {
    await this.reply(id, 'accepted')
    const picture = await this.model.snapshot?.(this.options.clock.simNow()).catch(() => null)
    if (!picture) { await this.reply(id, 'failed', 'no picture'); return }
    await this.send({ topic: topics.snapshot(this.id), payload: picture, retain: false })
    await this.reply(id, 'done')
  }

  /** The OS closes its sockets on the way down (so the broker sends the will), then boots. */
  private reboot (id: string): void {
    if (!this.powered) return
    this.rebootReply = id
    this.remember(id, 'done')
    this.powerOff()
    this.rebootTimer = setTimeout(() => {
      this.rebootTimer = null
      this.powerRestore()
    }, this.options.rebootMs ?? 5000)
  }
}

/** Waits for a promise at most `ms`; a broker that stopped answering must not hang shutdown. */
async function within (promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => { timer = setTimeout(resolve, ms) })])
  clearTimeout(timer)
}
