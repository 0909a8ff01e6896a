// Sends commands to devices and follows them to their end. A command is stored first
// (queued), published on the device's cmd topic when the device is online (sent), then moved
// along by the device's replies (accepted, in_progress, done | failed | rejected). A command
// that found no device before it expired ends "expired"; one sent but never finished by its
// expiry (plus the time it may run once started: a bulletin plays past its latest start)
// ends "timed_out". Broadcasts build on this: each play of a bulletin on a cluster is one.
//
// A device that comes back online gets what waited for it. When it subscribes to its command
// topic it also gets the sent ones it never answered: a device that announced itself before
// subscribing, or whose connection died with the message, missed them (devices answer a
// repeated command id without running it twice).
import { randomUUID } from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import { COMMANDS, describeIssues, topics, type CommandReply, type CommandRequest } from '../contract/index.js'
import type { Db } from '../db/database.js'
import { validationError, notFound } from '../errors.js'
import type { DiskFaults } from '../disk-full.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents } from '../events/events.js'
import type { Logger } from '../log.js'
import { clip, LogLimiter, warnLimited } from '../log-limit.js'
import type { Registry } from '../registry/registry.js'
import type { CommandRecord, CommandStatus } from './record.js'

export { COMMAND_STATUSES, type CommandRecord, type CommandStatus } from './record.js'

const FINAL: ReadonlySet<CommandStatus> = new Set(['done', 'failed', 'rejected', 'expired', 'timed_out'])
/** Replies may arrive out of order (QoS1 redelivery): a status never moves backwards. */
const RANK: Record<CommandStatus, number> = {
  queued: 0, sent: 1, accepted: 2, in_progress: 3, done: 4, failed: 4, rejected: 4, expired: 4, timed_out: 4
}

export interface SendOptions {
  /** The id to use (a caller that must link the command before any reply can arrive). */
  id?: string
  runMs?: number
}

interface Row {
  id: string; device_id: string; name: string; params: string; status: CommandStatus; reason: string | null
  created_at: number; updated_at: number; expires_at: number; run_ms: number
}

const toRecord = (r: Row): CommandRecord => ({
  id: r.id,
  deviceId: r.device_id,
  name: r.name,
  params: JSON.parse(r.params) as Record<string, unknown>,
  status: r.status,
  reason: r.reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  expiresAt: r.expires_at,
  runMs: r.run_ms
})

export type PublishCommand = (topic: string, request: CommandRequest) => Promise<void>

export class CommandDispatcher {
  private readonly byId: Statement<[string], Row>
  private readonly setStatus: Statement<[CommandStatus, string | null, number, string]>
  private sweeper: NodeJS.Timeout | null = null
  private readonly transmitting = new Set<string>()
  /** A device answering made-up command ids must not write a line per reply. */
  private readonly logLimit = new LogLimiter()
  private readonly again = new Set<string>()

  constructor (
    private readonly db: Db,
    private readonly registry: Registry,
    private readonly bus: EventBus<GatewayEvents>,
    private readonly publish: PublishCommand,
    private readonly isOnline: (deviceId: string) => boolean,
    private readonly log: Logger,
    private readonly defaultTtlMs: number,
    /** A full disk: what could not be written is tried again at the next sweep or reconnect. */
    private readonly disk?: DiskFaults,
    private readonly now: () => number = Date.now
  ) {
    this.byId = db.prepare('SELECT * FROM commands WHERE id = ?')
    this.setStatus = db.prepare('UPDATE commands SET status = ?, reason = ?, updated_at = ? WHERE id = ?')
    bus.on('presence', (change) => { if (change.online) void this.flush(change.deviceId) })
  }

  start (sweepMs = 1000): void {
    this.sweeper = setInterval(() => {
      try {
        this.expire()
      } catch (err) {
        this.failed(err, 'command expiry failed; tried again at the next sweep')
      }
    }, sweepMs)
    this.sweeper.unref()
  }

  stop (): void {
    if (this.sweeper) clearInterval(this.sweeper)
  }

  /**
   * Forgets finished commands of one name last changed before `before`: the routine ones sent
   * every few minutes (a camera's snapshot, issue #20) would otherwise fill state.db.
   */
  prune (name: string, before: number): number {
    return this.db.prepare(`DELETE FROM commands WHERE name = ? AND updated_at < ? AND status IN (${[...FINAL].map((s) => `'${s}'`).join(', ')})`).run(name, before).changes
  }

  /** Validates a command for the device's kind, stores it and sends it if the device is online. */
  async send (deviceId: string, command: { name: unknown; params?: unknown }, ttlMs = this.defaultTtlMs, options: SendOptions = {}): Promise<CommandRecord> {
    const device = this.registry.require(deviceId)
    const parsed = COMMANDS[device.kind].safeParse({ name: command.name, params: command.params ?? {} })
    if (!parsed.success) throw validationError(`not a command a ${device.kind} accepts`, describeIssues(parsed.error))
    const now = this.now()
    const id = options.id ?? randomUUID()
    this.db.prepare(`INSERT INTO commands (id, device_id, name, params, status, created_at, updated_at, expires_at, run_ms)
      VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)`).run(id, deviceId, parsed.data.name, JSON.stringify(parsed.data.params), now, now, now + ttlMs, options.runMs ?? 0)
    const record = this.require(id)
    this.bus.emit('command', record)
    if (this.isOnline(deviceId)) await this.transmit(record)
    return this.require(id)
  }

  get (id: string): CommandRecord | null {
    const row = this.byId.get(id)
    return row ? toRecord(row) : null
  }

  require (id: string): CommandRecord {
    const record = this.get(id)
    if (!record) throw notFound(`no command ${id}`)
    return record
  }

  list (deviceId: string, limit = 50): CommandRecord[] {
    return this.db.prepare<[string, number], Row>('SELECT * FROM commands WHERE device_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
      .all(deviceId, limit).map(toRecord)
  }

  /** A reply from the device. Replies for other devices' commands or unknown ids are ignored. */
  handleReply (deviceId: string, reply: CommandReply): void {
    const record = this.get(reply.id)
    if (!record || record.deviceId !== deviceId) {
      warnLimited(this.log, this.logLimit, 'unknown_command', deviceId, { deviceId, commandId: clip(reply.id) }, 'reply to an unknown command')
      return
    }
    if (FINAL.has(record.status) || RANK[reply.status] <= RANK[record.status]) return
    this.update(record.id, reply.status, reply.reason ?? null)
  }

  /**
   * Sends what waited for this device; with `resendSent`, also what it was sent and never
   * answered. Never rejects (it runs on presence and subscription events): a command whose
   * status could not be written stays queued and goes at the next reconnect.
   */
  async flush (deviceId: string, { resendSent = false } = {}): Promise<void> {
    try {
      const statuses = resendSent ? "('queued', 'sent')" : "('queued')"
      const waiting = this.db.prepare<[string, number], Row>(
        `SELECT * FROM commands WHERE device_id = ? AND status IN ${statuses} AND expires_at > ? ORDER BY created_at`).all(deviceId, this.now())
      for (const row of waiting) await this.transmit(toRecord(row), resendSent)
    } catch (err) {
      this.failed(err, 'commands waiting for a device not sent; they go at its next reconnect')
    }
  }

  private failed (err: unknown, message: string): void {
    if (!this.disk?.failed('commands', err)) warnLimited(this.log, this.logLimit, 'command_round', undefined, { err }, message, 'error')
  }

  /** Ends commands whose time ran out. */
  expire (): void {
    const rows = this.db.prepare<[{ now: number }], Row>(
      `SELECT * FROM commands WHERE (status = 'queued' AND expires_at <= @now)
        OR (status IN ('sent', 'accepted', 'in_progress') AND expires_at + run_ms <= @now)`).all({ now: this.now() })
    for (const row of rows) this.update(row.id, row.status === 'queued' ? 'expired' : 'timed_out', null)
  }

  /**
   * The presence and the subscription of one reconnect both flush: one publish is enough,
   * unless the subscription came while it was in flight (it may have been routed before the
   * device listened): then once more after it.
   */
  private async transmit (record: CommandRecord, subscribed = false): Promise<void> {
    if (this.transmitting.has(record.id)) {
      if (subscribed) this.again.add(record.id)
      return
    }
    this.transmitting.add(record.id)
    try {
      await this.publishRequest(record)
    } finally {
      this.transmitting.delete(record.id)
    }
    if (this.again.delete(record.id)) await this.transmit(this.require(record.id))
  }

  private async publishRequest (record: CommandRecord): Promise<void> {
    const request: CommandRequest = {
      id: record.id, name: record.name, params: record.params, ts: this.now(), expiresAt: record.expiresAt
    }
    try {
      await this.publish(topics.command(record.deviceId), request)
    } catch (err) {
      this.log.warn({ err, commandId: record.id }, 'command not sent; it stays queued')
      return
    }
    // A fast device may already have replied while the publish was in flight.
    if (this.get(record.id)?.status === 'queued') this.update(record.id, 'sent', null)
  }

  private update (id: string, status: CommandStatus, reason: string | null): void {
    this.setStatus.run(status, reason, this.now(), id)
    this.bus.emit('command', this.require(id))
  }
}
