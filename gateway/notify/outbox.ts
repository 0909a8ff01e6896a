// The notification outbox: every message to send is a row in state.db first, then a worker
// delivers it, retrying with backoff. A restart, an uplink that is down for hours, a Zalo
// outage: the rows wait, and each attempt is recorded.
import type { DiskFaults } from '../disk-full.js'
import type { Db } from '../db/database.js'
import type { Logger } from '../log.js'
import type { Channel, ChannelName, NotificationPayload } from './channels.js'

export interface Delivery {
  id: number
  alarmId: number | null
  channel: ChannelName
  recipient: string
  payload: NotificationPayload
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  lastError: string | null
  createdAt: number
  nextAttemptAt: number
  deliveredAt: number | null
}

interface Row { id: number; alarm_id: number | null; channel: ChannelName; recipient: string; payload: string; status: Delivery['status']; attempts: number; last_error: string | null; created_at: number; next_attempt_at: number; delivered_at: number | null }
const toDelivery = (r: Row): Delivery => ({
  id: r.id, alarmId: r.alarm_id, channel: r.channel, recipient: r.recipient, payload: JSON.parse(r.payload) as NotificationPayload, status: r.status,
  attempts: r.attempts, lastError: r.last_error, createdAt: r.created_at, nextAttemptAt: r.next_attempt_at, deliveredAt: r.delivered_at
})

export interface OutboxOptions {
  /** First retry after this; doubling up to maxBackoffMs. */
  backoffMs: number
  maxBackoffMs: number
  maxAttempts: number
  pollMs: number
  /** While the disk is full nothing is sent: a delivery that cannot be marked would be sent again every round. */
  disk?: DiskFaults
}
export const OUTBOX_DEFAULTS: OutboxOptions = { backoffMs: 5000, maxBackoffMs: 10 * 60_000, maxAttempts: 12, pollMs: 1000 }

export class Outbox {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null

  constructor (
    private readonly db: Db,
    private readonly channels: ReadonlyMap<ChannelName, Channel>,
    private readonly log: Logger,
    private readonly options: OutboxOptions = OUTBOX_DEFAULTS,
    private readonly now: () => number = Date.now
  ) {}

  has (channel: ChannelName): boolean {
    return this.channels.has(channel)
  }

  enqueue (alarmId: number | null, channel: ChannelName, recipient: string, payload: NotificationPayload, notBefore = this.now()): void {
    if (!this.channels.has(channel)) return
    this.db.prepare("INSERT INTO notifications (alarm_id, channel, recipient, payload, status, created_at, next_attempt_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)")
      .run(alarmId, channel, recipient, JSON.stringify(payload), this.now(), notBefore)
    this.kick()
  }

  list (limit: number, alarmId?: number): Delivery[] {
    return this.db.prepare<[number | null, number | null, number], Row>('SELECT * FROM notifications WHERE (? IS NULL OR alarm_id = ?) ORDER BY id DESC LIMIT ?')
      .all(alarmId ?? null, alarmId ?? null, limit).map(toDelivery)
  }

  start (): void {
    this.timer = setInterval(() => this.kick(), this.options.pollMs)
    this.timer.unref()
    this.kick()
  }

  async stop (): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.running
  }

  /** Delivers what is due, one round at a time. */
  kick (): void {
    this.running ??= this.deliverDue()
      .catch((err: unknown) => {
        if (!this.options.disk?.failed('notify', err)) this.log.error({ err }, 'notification round failed; tried again at the next one')
      })
      .finally(() => { this.running = null })
  }

  private async deliverDue (): Promise<void> {
    if (this.options.disk?.full) return
    const due = this.db.prepare<[number], Row>("SELECT * FROM notifications WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 50").all(this.now()).map(toDelivery)
    await Promise.all(due.map(async (d) => {
      const channel = this.channels.get(d.channel)
      try {
        if (!channel) throw new Error(`channel ${d.channel} is not configured`)
        await channel.send(d.recipient, d.payload, d.id)
        this.db.prepare("UPDATE notifications SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?").run(this.now(), d.id)
      } catch (err) {
        const attempts = d.attempts + 1
        const failed = attempts >= this.options.maxAttempts
        const wait = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** (attempts - 1))
        this.db.prepare('UPDATE notifications SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?')
          .run(failed ? 'failed' : 'pending', attempts, (err as Error).message.slice(0, 500), this.now() + wait, d.id)
        this.log.warn({ err, deliveryId: d.id, channel: d.channel, attempts, failed }, failed ? 'notification given up' : 'notification failed; retried later')
      }
    }))
  }
}
