// The commune's uplink to the province, assembled: the outbox lanes in journal.db (through the
// journal's tap, inside its group commit) and in state.db (from the event bus, in the turn of
// each change), the sending loop, the heartbeat, the province's commands (replay), pruning
// and the numbers in /metrics. Off unless configured: without it the gateway is as before.
import type { Db } from '../../gateway/db/database.js'
import type { EventBus } from '../../gateway/events/bus.js'
import type { GatewayEvents } from '../../gateway/events/events.js'
import type { JournalTap } from '../../gateway/journal/journal.js'
import type { Logger } from '../../gateway/log.js'
import { LANE_SPECS, LANES, upSubject, type Lane } from './lanes.js'
import { OutboxFile, type LaneHealth } from './outbox.js'
import { Sender } from './sender.js'
import type { Command, UplinkTransport } from './transport.js'

export interface UplinkSettings {
  commune: string
  /** The outbox's own disk budget (its rows in journal.db and state.db), apart from the journal's. */
  budgetBytes: number
  readingsBytesPerS: number
  /** Acknowledged rows are kept this long, for the province to ask again. */
  replayWindowMs: number
  heartbeatMs: number
  /** An alarm change waiting longer than this raises a local alarm (and clears it once they went). */
  alarmWaitWarnMs: number
  version: string
}

/** What the province shows of a device beside its presence (the registry's view). */
export type DescribeDevice = (deviceId: string) => { kind: string; name: string; village: string } | null

export interface UplinkHealth {
  connected: boolean
  lastError: string | null
  outboxBytes: number
  budgetBytes: number
  lanes: Record<Lane, LaneHealth & { oldestAgeS: number | null }>
}

/** Over budget, readings are shed down to this fraction, so shedding is not done every commit. */
const SHED_TO = 0.9
const MAINTENANCE_MS = 60_000
/** A command whose handler failed (the province did not answer a fetch) comes back after this. */
const COMMAND_RETRY_MS = 3000

/** Handles one kind of the province's commands; resolves once it is durably taken. */
export type CommandHandler = (body: unknown) => Promise<void>

export class Uplink {
  private journalFile: OutboxFile | null = null
  private readonly stateFile: OutboxFile
  private sender: Sender | null = null
  private readonly timers: NodeJS.Timeout[] = []
  private readonly unsubscribe: Array<() => void> = []
  private commandsLoop: Promise<void> | null = null
  private running = false

  constructor (
    private readonly settings: UplinkSettings,
    stateDb: Db,
    private readonly bus: EventBus<GatewayEvents>,
    private readonly transport: UplinkTransport,
    private readonly log: Logger,
    describe: DescribeDevice = () => null
  ) {
    this.stateFile = new OutboxFile(stateDb, LANES.filter((l) => LANE_SPECS[l].home === 'state'))
    const at = (): number => Date.now()
    // Listeners run in the publisher's turn, right after the change's own commit.
    this.unsubscribe.push(
      bus.on('alarm', ({ alarm, change }) => { this.append('alarms', { type: 'alarm', change, alarm }, at()) }),
      bus.on('command', (command) => { if (command.name === 'play') this.append('proof', { type: 'proof', command }, at()) }),
      bus.on('presence', (p) => { this.append('status', { type: 'presence', ...p, device: describe(p.deviceId) }, at()) }),
      bus.on('broadcast', ({ broadcast, summary }) => {
        this.append('status', { type: 'broadcast', broadcast: { id: broadcast.id, title: broadcast.title, priority: broadcast.priority, status: broadcast.status, createdAt: broadcast.createdAt, updatedAt: broadcast.updatedAt }, summary }, at())
      })
    )
  }

  /** Handed to the journal: readings and device events join its group commit. */
  readonly journalTap: JournalTap = {
    attach: (db) => {
      const file = new OutboxFile(db, LANES.filter((l) => LANE_SPECS[l].home === 'journal'))
      this.journalFile = file
      return (point, json) => {
        file.append(point.measurement === 'event' ? 'events' : 'readings', json, Date.now())
        this.enforceBudget()
        this.sender?.poke()
      }
    }
  }

  start (journalDepth: () => number): void {
    const journalFile = this.journalFile
    if (!journalFile) throw new Error('the uplink starts after the journal it taps')
    this.running = true
    const files = Object.fromEntries(LANES.map((l) => [l, LANE_SPECS[l].home === 'state' ? this.stateFile : journalFile])) as Record<Lane, OutboxFile>
    this.sender = new Sender({ commune: this.settings.commune, transport: this.transport, files, gaps: journalFile, log: this.log, readingsBytesPerS: this.settings.readingsBytesPerS })
    this.sender.start()
    const beat = setInterval(() => { void this.heartbeat(journalDepth()) }, this.settings.heartbeatMs)
    const maintain = setInterval(() => { this.maintain() }, MAINTENANCE_MS)
    beat.unref()
    maintain.unref()
    this.timers.push(beat, maintain)
  }

  /**
   * Starts taking the province's commands, once every feature that handles some is listening
   * (a bulletin pulled before its handler existed would be acknowledged and lost).
   */
  acceptCommands (): void {
    if (this.running && !this.commandsLoop) this.commandsLoop = this.pullCommands()
  }

  /** Cheap, unlike health() (which counts what waits in SQLite): for polling. */
  get connected (): boolean { return this.transport.connected }

  health (): UplinkHealth {
    const now = Date.now()
    const lanes = {} as UplinkHealth['lanes']
    for (const lane of LANES) {
      const h = this.fileOf(lane).health(lane)
      lanes[lane] = { ...h, oldestAgeS: h.oldestAt === null ? null : Math.max(0, (now - h.oldestAt) / 1000) }
    }
    return {
      connected: this.transport.connected,
      lastError: this.sender?.lastError ?? null,
      outboxBytes: (this.journalFile?.usedBytes ?? 0) + this.stateFile.usedBytes,
      budgetBytes: this.settings.budgetBytes,
      lanes
    }
  }

  async stop (): Promise<void> {
    this.running = false
    for (const t of this.timers) clearInterval(t)
    for (const off of this.unsubscribe) off()
    await this.sender?.stop()
    await this.transport.close()
    await this.commandsLoop
  }

  private append (lane: Lane, row: object, at: number): void {
    this.stateFile.append(lane, JSON.stringify(row), at)
    this.enforceBudget()
    this.sender?.poke()
  }

  /** One budget for the whole outbox (both files); only readings are ever shed. */
  private enforceBudget (): void {
    const file = this.journalFile
    if (!file || file.usedBytes + this.stateFile.usedBytes <= this.settings.budgetBytes) return
    // Inside the journal's commit when called from its tap (a savepoint), its own transaction otherwise.
    const gap = file.db.transaction(() => file.shed('readings', this.settings.budgetBytes * SHED_TO - this.stateFile.usedBytes))()
    if (gap) this.log.warn({ dropped: gap.count, first: gap.first, last: gap.last }, 'uplink outbox over its budget: oldest readings dropped, a gap record goes up')
  }

  private fileOf (lane: Lane): OutboxFile {
    return LANE_SPECS[lane].home === 'state' ? this.stateFile : this.journalFile!
  }

  private async heartbeat (journalDepth: number): Promise<void> {
    if (!this.transport.connected) return
    const at = Date.now()
    const h = this.health()
    const lag = Object.fromEntries(LANES.map((l) => [l, { pending: h.lanes[l].pending, oldestAgeS: h.lanes[l].oldestAgeS }]))
    const body = JSON.stringify({ commune: this.settings.commune, at, version: this.settings.version, journalDepth, outboxBytes: h.outboxBytes, lag })
    await this.transport.publish(upSubject(this.settings.commune, 'heartbeat'), new TextEncoder().encode(body), `${this.settings.commune}:heartbeat:${at}`)
      .catch((err: unknown) => { this.log.debug({ err }, 'heartbeat not sent') })
  }

  private maintain (): void {
    const before = Date.now() - this.settings.replayWindowMs
    this.stateFile.prune(before)
    this.journalFile?.prune(before)
    this.checkAlarmWait()
  }

  /** Alarm changes waiting too long for the province are themselves a local alarm. */
  checkAlarmWait (): void {
    const alarms = this.health().lanes.alarms
    const stalled = alarms.oldestAgeS !== null && alarms.oldestAgeS * 1000 > this.settings.alarmWaitWarnMs
    if (stalled) this.log.error({ pending: alarms.pending, oldestAgeS: Math.round(alarms.oldestAgeS!) }, 'alarm changes have waited too long for the province')
    this.onAlarmWait?.(stalled, { pending: alarms.pending, oldestAgeS: alarms.oldestAgeS === null ? null : Math.round(alarms.oldestAgeS) })
  }

  /** Told every check whether alarm changes wait too long (the gateway raises or clears its alarm). */
  onAlarmWait: ((stalled: boolean, details: { pending: number; oldestAgeS: number | null }) => void) | null = null

  /**
   * Another feature takes a kind of command (`down.<commune>.<kind>`): a provincial bulletin,
   * the basin map. The command is acknowledged once the handler's promise resolves; when it
   * rejects, it is offered again a little later (kept by the province's stream meanwhile).
   */
  handleCommands (kind: string, handler: CommandHandler): void { this.handlers.set(kind, handler) }
  private readonly handlers = new Map<string, CommandHandler>()

  /** A row of another feature's (a provincial bulletin's proof, say) into a state lane, in this turn. */
  report (lane: 'proof' | 'status', row: object): void { this.append(lane, row, Date.now()) }

  /** The transport's request, for a handler that fetches from the province (a bulletin's audio). */
  get requester (): Pick<UplinkTransport, 'request'> & { commune: string } {
    return { commune: this.settings.commune, request: (subject, payload, timeoutMs, headers) => this.transport.request(subject, payload, timeoutMs, headers) }
  }

  /** The province's commands: a replay of a lane from a sequence number, and those of other features. */
  private async pullCommands (): Promise<void> {
    while (this.running) {
      try {
        const commands = await this.transport.pullCommands(10, 5000)
        for (const c of commands) await this.dispatch(c)
        if (commands.length === 0 && !this.transport.connected) await new Promise((resolve) => setTimeout(resolve, 1000))
      } catch (err) {
        this.log.debug({ err }, 'province commands not pulled')
        await new Promise((resolve) => setTimeout(resolve, 1000))
      }
    }
  }

  private async dispatch (c: Command): Promise<void> {
    // The consumer only delivers down.<this commune>.>: anything else is not ours to run.
    const [, commune, kind] = c.subject.split('.')
    const handler = kind === undefined ? undefined : this.handlers.get(kind)
    if (commune !== this.settings.commune || !handler) { this.handle(c.subject, c.data); c.ack(); return }
    let body: unknown
    try { body = JSON.parse(new TextDecoder().decode(c.data)) } catch { body = null }
    try {
      await handler(body)
      c.ack()
    } catch (err) {
      this.log.warn({ err, subject: c.subject }, 'province command not handled yet; offered again shortly')
      c.nak(COMMAND_RETRY_MS)
    }
  }

  private handle (subject: string, data: Uint8Array): void {
    let cmd: unknown
    try { cmd = JSON.parse(new TextDecoder().decode(data)) } catch { cmd = null }
    const c = cmd as { type?: unknown; lane?: unknown; fromSeq?: unknown } | null
    if (c?.type === 'replay' && typeof c.lane === 'string' && (LANES as readonly string[]).includes(c.lane) && typeof c.fromSeq === 'number') {
      const lane = c.lane as Lane
      this.fileOf(lane).rewind(lane, c.fromSeq)
      this.log.warn({ lane, fromSeq: c.fromSeq }, 'the province asked for a replay')
      this.sender?.poke()
      return
    }
    this.log.warn({ subject }, 'province command not understood; acknowledged and ignored')
  }
}
