// Bulletins from draft to proof of play. An official composes one (audio, priority, targets,
// when, time-to-live) and submits it; another who may approve releases it; an emergency may
// be sent at once by someone allowed to approve. When it airs, each target cluster gets a
// play command (QoS1, through the command dispatcher), and its delivery follows the
// command's replies: queued, sent, delivered (audio fetched), playing, done (played in full),
// or failed, timed out, expired. A cluster offline at send time gets it when it comes back,
// within the time-to-live; a play cut off by an emergency, or whose audio did not arrive, is
// sent again while the time-to-live lasts. An emergency a cluster did not play in full is a
// critical alarm of its village.
import type { DiskFaults } from '../disk-full.js'
import { randomBytes, randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { AlarmEngine } from '../alarms/engine.js'
import type { CommandDispatcher, CommandRecord } from '../commands/dispatcher.js'
import { PRIORITIES, type PlayParams } from '../contract/index.js'
import { conflict, GatewayError, validationError } from '../errors.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents } from '../events/events.js'
import type { Logger } from '../log.js'
import type { Registry } from '../registry/registry.js'
import type { Role } from '../users/roles.js'
import type { AudioLibrary } from './audio.js'
import { advanceDelivery } from './delivery-state.js'
import { followEmergency } from './emergency-proof.js'
import { isMissed, outcomeLine } from './outcome.js'
import { isRecurring, nextAiring, Schedule } from './schedule.js'
import { FINAL_DELIVERY, type Broadcast, type BroadcastStore, type Delivery, type DeliveryState, type ProvinceOrigin, type Summary } from './store.js'
import { checkTargets, resolveTargets, Targets, type SpeakerGroups } from './targets.js'
import { fromProvince, RELEASED_AT_ONCE } from './decision-words.js'

/** Beyond the audio's own length: fetching it, and a cluster's clock. */
const RUN_MARGIN_MS = 60_000

export const Compose = z.strictObject({
  title: z.string().trim().min(1).max(128),
  priority: z.enum(PRIORITIES),
  clipId: z.string().uuid(),
  repeat: z.number().int().min(1).max(5).default(1),
  gapS: z.number().min(0).max(60).default(0),
  targets: Targets,
  schedule: Schedule.default({ kind: 'now' }),
  /** How long clusters that are offline, busy or failing may still get it. */
  ttlS: z.number().int().min(10).max(7 * 86_400).default(3600),
  /** Keep as a draft, submit for approval, or (an emergency, by someone who may approve) send at once. */
  action: z.enum(['draft', 'submit', 'send']).default('submit')
})
export type Compose = z.input<typeof Compose>

export interface Actor { actor: string; role: Role | null; mayApprove: boolean }

export type { BroadcastNotice } from './notice.js'

export interface BroadcastParts {
  store: BroadcastStore
  audio: AudioLibrary
  groups: SpeakerGroups
  registry: Registry
  commands: CommandDispatcher
  alarms: AlarmEngine
  bus: EventBus<GatewayEvents>
  log: Logger
  /** A full disk: the round is tried again at the next tick, logged once a minute there. */
  disk?: DiskFaults
  /** Where clusters fetch audio: the gateway's address as they see it. */
  publicUrl: () => string
  now?: () => number
}

/** How long the clusters play it: every repeat and the gaps between. */
export const playMs = (b: Pick<Broadcast, 'durationMs' | 'repeat' | 'gapS'>): number => b.durationMs * b.repeat + b.gapS * 1000 * (b.repeat - 1)

/** The actor's right, already decided by users/roles.ts mayApproveBulletins (or the gateway itself, for its warnings). */
const mayApprove = (who: Actor): boolean => who.mayApprove

export class BroadcastService {
  private readonly now: () => number
  private timer: NodeJS.Timeout | null = null
  private ticking = false
  private readonly offCommands: () => void

  constructor (private readonly parts: BroadcastParts) {
    this.now = parts.now ?? Date.now
    this.offCommands = parts.bus.on('command', (record) => { this.onCommand(record) })
  }

  start (tickMs = 1000): void {
    this.timer = setInterval(() => { void this.tick() }, tickMs)
    this.timer.unref()
  }

  stop (): void {
    if (this.timer) clearInterval(this.timer)
    this.offCommands()
  }

  compose (input: unknown, who: Actor, alarmId: number | null = null): Broadcast {
    const parsed = Compose.safeParse(input)
    if (!parsed.success) throw validationError('invalid bulletin', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
    const c = parsed.data
    this.parts.audio.require(c.clipId)
    checkTargets(c.targets, this.parts.registry, this.parts.groups)
    const now = this.now()
    if (nextAiring(c.schedule, now) === null) throw validationError('this schedule has no airing left')
    if (c.action === 'send' && !(c.priority === 'emergency' && mayApprove(who))) {
      throw new GatewayError('FORBIDDEN', 'only an emergency bulletin skips approval, and only by someone who may approve')
    }
    const b = this.parts.store.insert({
      id: randomUUID(), title: c.title, priority: c.priority, clipId: c.clipId, repeat: c.repeat, gapS: c.gapS, targets: c.targets,
      schedule: c.schedule, ttlMs: c.ttlS * 1000, status: c.action === 'draft' ? 'draft' : 'pending',
      token: randomBytes(24).toString('base64url'), createdBy: who.actor, alarmId
    }, now)
    return c.action === 'send' ? this.release(b, who.actor, RELEASED_AT_ONCE) : this.changed(b)
  }

  /**
   * A bulletin the province released (issue #19): approved there, so it airs at once as
   * released, authored and approved under the province's names ("tỉnh:<name>"). Its clip was
   * made here (spoken from the province's text, or fetched over the uplink and checked).
   */
  acceptFromProvince (c: Pick<Compose, 'title' | 'priority' | 'clipId' | 'repeat' | 'gapS' | 'targets'> & { ttlS: number }, origin: ProvinceOrigin): Broadcast {
    this.parts.audio.require(c.clipId)
    const b = this.parts.store.insert({
      id: randomUUID(), title: c.title, priority: c.priority, clipId: c.clipId, repeat: c.repeat ?? 1, gapS: c.gapS ?? 0, targets: Targets.parse(c.targets),
      schedule: { kind: 'now' }, ttlMs: c.ttlS * 1000, status: 'pending', token: randomBytes(24).toString('base64url'),
      createdBy: `tỉnh:${origin.createdBy}`, alarmId: null, province: origin
    }, this.now())
    return this.release(b, `tỉnh:${origin.approvedBy ?? origin.createdBy}`, fromProvince(origin.issuer))
  }

  submit (id: string, who: Actor): Broadcast {
    const b = this.parts.store.require(id)
    if (b.status !== 'draft') throw conflict(`the bulletin is ${b.status}, not a draft`)
    if (b.createdBy !== who.actor && who.role !== 'admin') throw new GatewayError('FORBIDDEN', 'only its author submits a draft')
    return this.changed(this.parts.store.update(id, { status: 'pending', submitted_at: this.now() }, this.now()))
  }

  approve (id: string, who: Actor, comment: string | null): Broadcast {
    const b = this.parts.store.require(id)
    if (!mayApprove(who)) throw new GatewayError('FORBIDDEN', `${who.actor} may not approve bulletins`)
    if (b.status !== 'pending') throw conflict(`the bulletin is ${b.status}, not waiting for approval`)
    if (b.createdBy === who.actor) throw new GatewayError('FORBIDDEN', 'a bulletin is approved by someone other than its author')
    return this.release(b, who.actor, comment)
  }

  /** Refuses a bulletin with the reason its author reads. */
  reject (id: string, who: Actor, comment: string | null): Broadcast {
    const b = this.parts.store.require(id)
    if (!mayApprove(who)) throw new GatewayError('FORBIDDEN', `${who.actor} may not approve bulletins`)
    if (b.status !== 'pending') throw conflict(`the bulletin is ${b.status}, not waiting for approval`)
    if (!comment?.trim()) throw validationError('say why the bulletin is rejected: its author reads the reason')
    return this.changed(this.parts.store.update(id, { status: 'rejected', approved_by: who.actor, approved_at: this.now(), decision_comment: comment }, this.now()))
  }

  /**
   * Stops a bulletin: nothing more airs, waiting plays are dropped, playing ones are stopped.
   * One from the province is never dropped silently: only an approver cancels it, with a
   * reason that is audited and goes up to the province with its proof.
   */
  async cancel (id: string, who: Actor, reason: string | null = null): Promise<Broadcast> {
    const b = this.parts.store.require(id)
    if (['done', 'cancelled', 'rejected'].includes(b.status)) throw conflict(`the bulletin is already ${b.status}`)
    if (b.createdBy !== who.actor && !mayApprove(who)) throw new GatewayError('FORBIDDEN', 'only its author or an approver cancels a bulletin')
    if (b.province && !reason?.trim()) throw validationError('a bulletin from the province is cancelled only with a reason: the province reads it')
    const now = this.now()
    const updated = this.parts.store.update(id, { status: 'cancelled', next_at: null, ...(reason?.trim() ? { cancel_reason: reason.trim() } : {}) }, now)
    this.parts.store.expireToken(id, now)
    for (const d of this.parts.store.deliveries(id)) {
      if (FINAL_DELIVERY.has(d.state)) continue
      this.parts.store.setDelivery(d, { state: 'failed', reason: 'cancelled', retry_at: null, finished_at: now }, now)
      if (d.state !== 'queued') await this.parts.commands.send(d.deviceId, { name: 'stop', params: {} }).catch(() => undefined)
    }
    return this.changed(updated)
  }

  /**
   * Sends the latest airing again to its clusters that failed, timed out or expired (not to
   * those cancelled with the bulletin). Each gets the bulletin's time-to-live again, counted
   * from now: an expired cluster is by definition past the first one. Returns who gets it.
   */
  async sendAgain (id: string, who: Actor): Promise<{ broadcast: Broadcast; devices: Array<Pick<Delivery, 'deviceId' | 'village' | 'state' | 'reason'>> }> {
    const b = this.parts.store.require(id)
    if (!mayApprove(who)) throw new GatewayError('FORBIDDEN', `${who.actor} may not send bulletins again: only those who may approve`)
    if (b.status !== 'sent' && b.status !== 'done' && b.status !== 'scheduled') throw conflict(`the bulletin is ${b.status}: only a bulletin that aired is sent again`)
    const { airingAt } = this.parts.store.summary(id)
    const missed = airingAt === null ? [] : this.parts.store.deliveries(id, airingAt).filter((d) => isMissed(d.state) && d.reason !== 'cancelled')
    if (missed.length === 0) throw conflict('no cluster of its latest airing failed, timed out or expired: nothing to send again')
    const now = this.now()
    const expiresAt = now + b.ttlMs
    const sends = missed.map((d) => ({ d, commandId: randomUUID() }))
    for (const { d, commandId } of sends) {
      this.parts.store.setDelivery(d, { state: 'queued', reason: null, command_id: commandId, attempts: d.attempts + 1, retry_at: null, started_at: null, finished_at: null, expires_at: expiresAt }, now)
    }
    this.parts.store.extendToken(id, expiresAt + playMs(b) + RUN_MARGIN_MS)
    const updated = b.status === 'done' ? this.parts.store.update(id, { status: 'sent' }, now) : b
    this.changed(updated)
    this.parts.log.info({ broadcastId: id, by: who.actor, clusters: sends.length }, 'bulletin sent again to the clusters that did not play it')
    for (const { d, commandId } of sends) await this.play(updated, d.deviceId, commandId, b.ttlMs)
    this.finishIfDone(id)
    return { broadcast: this.parts.store.require(id), devices: missed.map((d) => ({ deviceId: d.deviceId, village: d.village, state: d.state, reason: d.reason })) }
  }

  /** A live session or a relay's airing (live.ts), or a relay's fallback clip, goes on air now, released by `by`. */
  async airLive (id: string, by: string, comment: string): Promise<Broadcast> {
    const now = this.now()
    this.parts.store.update(id, { status: 'scheduled', next_at: now, approved_by: by, approved_at: now, decision_comment: comment }, now)
    await this.tick()
    return this.parts.store.require(id)
  }

  /**
   * A live session's stream has ended: a cluster that has not started it by now never will
   * (offline, or waiting to try again), so its delivery expires; those playing finish as
   * their stream ends.
   */
  endLive (id: string): Broadcast {
    const now = this.now()
    for (const d of this.parts.store.deliveries(id)) {
      if (FINAL_DELIVERY.has(d.state)) continue
      if (d.state === 'queued' || d.retryAt !== null) {
        this.parts.store.setDelivery(d, { state: 'expired', reason: 'the live session ended before the cluster could join', retry_at: null, finished_at: now, expires_at: now }, now)
        this.delivered(this.parts.store.require(id), d, 'expired')
      } else {
        this.parts.store.setDelivery(d, { expires_at: now }, now)
      }
    }
    this.finishIfDone(id)
    return this.parts.store.require(id)
  }

  /**
   * A while after a live session ended, a cluster that has still not answered (it lost its
   * link mid-session and never came back) did not play it to the end: timed out.
   */
  closeLive (id: string): void {
    const now = this.now()
    for (const d of this.parts.store.deliveries(id)) {
      if (FINAL_DELIVERY.has(d.state)) continue
      this.parts.store.setDelivery(d, { state: 'timed_out', reason: 'no answer after the live session ended', retry_at: null, finished_at: now }, now)
      this.delivered(this.parts.store.require(id), d, 'timed_out')
    }
    this.finishIfDone(id)
  }

  /** The clusters its targets name now (what an approver releases it to), or null when a group it names is gone. */
  reach (b: Broadcast): { count: number; villages: Array<{ village: string; clusters: Array<{ id: string; name: string }> }> } | null {
    let devices
    try { devices = resolveTargets(b.targets, this.parts.registry, this.parts.groups) } catch { return null }
    const villages = new Map<string, Array<{ id: string; name: string }>>()
    for (const d of devices) villages.set(d.village, [...(villages.get(d.village) ?? []), { id: d.id, name: d.name }])
    return { count: devices.length, villages: [...villages].sort(([a], [b]) => a.localeCompare(b, 'vi')).map(([village, clusters]) => ({ village, clusters })) }
  }

  summary (id: string): Summary {
    return this.parts.store.summary(id)
  }

  /** Airs what is due and sends again what waited for a retry. */
  async tick (): Promise<void> {
    if (this.ticking) return
    this.ticking = true
    try {
      const now = this.now()
      for (const b of this.parts.store.due(now)) await this.air(b, now)
      for (const d of this.parts.store.retriesDue(now)) await this.resend(d, now)
    } catch (err) {
      if (!this.parts.disk?.failed('broadcasts', err)) this.parts.log.error({ err }, 'broadcast round failed; tried again at the next one')
    } finally {
      this.ticking = false
    }
  }

  private release (b: Broadcast, approver: string, comment: string | null): Broadcast {
    const now = this.now()
    const next = nextAiring(b.schedule, now)
    const released = this.parts.store.update(b.id, {
      status: next === null ? 'done' : 'scheduled', next_at: next, approved_by: approver, approved_at: now, decision_comment: comment
    }, now)
    // An emergency goes out in this turn, not at the next round.
    if (released.priority === 'emergency' && next !== null && next <= now) void this.tick()
    return this.changed(released)
  }

  private async air (b: Broadcast, now: number): Promise<void> {
    const clusters = resolveTargets(b.targets, this.parts.registry, this.parts.groups)
    const expiresAt = now + b.ttlMs
    const rows = clusters.map((d) => ({ broadcastId: b.id, airingAt: now, deviceId: d.id, village: d.village, commandId: randomUUID(), expiresAt }))
    this.parts.store.addDeliveries(rows, now)
    this.parts.store.extendToken(b.id, expiresAt + playMs(b) + RUN_MARGIN_MS)
    // The next airing of a programme is looked for after this minute, so it never airs twice.
    const next = isRecurring(b.schedule) ? nextAiring(b.schedule, now + 60_000) : null
    this.changed(this.parts.store.update(b.id, { status: next === null ? 'sent' : 'scheduled', next_at: next }, now))
    this.parts.log.info({ broadcastId: b.id, priority: b.priority, clusters: rows.length }, 'bulletin airing')
    for (const row of rows) await this.play(b, row.deviceId, row.commandId, b.ttlMs)
    this.finishIfDone(b.id)
  }

  private async resend (d: Delivery, now: number): Promise<void> {
    const b = this.parts.store.require(d.broadcastId)
    if (d.expiresAt <= now || b.status === 'cancelled') {
      this.parts.store.setDelivery(d, { state: 'expired', retry_at: null, finished_at: now }, now)
      this.delivered(b, d, 'expired')
      return
    }
    const commandId = randomUUID()
    this.parts.store.setDelivery(d, { command_id: commandId, attempts: d.attempts + 1, retry_at: null }, now)
    await this.play(b, d.deviceId, commandId, d.expiresAt - now)
  }

  private async play (b: Broadcast, deviceId: string, commandId: string, ttlMs: number): Promise<void> {
    const params: PlayParams = {
      broadcastId: b.id, title: b.title, priority: b.priority, durationS: b.durationMs / 1000, repeat: b.repeat, gapS: b.gapS,
      audioUrl: `${this.parts.publicUrl()}/media/${b.live ? 'live/' : ''}${this.parts.store.tokenOf(b.id)}`,
      ...(b.live ? { stream: true } : {})
    }
    try {
      await this.parts.commands.send(deviceId, { name: 'play', params }, ttlMs, { id: commandId, runMs: playMs(b) + RUN_MARGIN_MS })
    } catch (err) {
      // Removed from the registry since the airing began, say: that cluster cannot play it.
      this.parts.log.warn({ err, deviceId, broadcastId: b.id }, 'play command not stored')
      const d = this.parts.store.byCommand(commandId)
      if (d) this.parts.store.setDelivery(d, { state: 'failed', reason: 'not sent: ' + (err as Error).message, finished_at: this.now() }, this.now())
    }
  }

  /** A play command moved: its delivery follows. */
  private onCommand (record: CommandRecord): void {
    if (record.name !== 'play') return
    const d = this.parts.store.byCommand(record.id)
    if (!d || FINAL_DELIVERY.has(d.state)) return
    const now = this.now()
    const state = advanceDelivery(this.parts.store, d, record, now)
    if (state === null) return
    const b = this.parts.store.require(d.broadcastId)
    this.delivered(b, d, state)
  }

  private delivered (b: Broadcast, d: Delivery, state: DeliveryState): void {
    followEmergency(this.parts, b, d, state)
    this.finishIfDone(b.id)
  }

  private finishIfDone (id: string): void {
    const b = this.parts.store.require(id)
    if (b.status === 'sent' && this.parts.store.openDeliveries(id) === 0) {
      const now = this.now()
      this.parts.store.expireToken(id, now)
      const ended = this.changed(this.parts.store.update(id, { status: 'done' }, now))
      const summary = this.parts.store.summary(id)
      // The truth of the airing, once, when every cluster has answered: never "played out"
      // unless every targeted cluster played it in full.
      const facts = { broadcastId: id, title: b.title, priority: b.priority, outcome: summary.outcome, played: summary.done, targeted: summary.targeted }
      if (summary.outcome === 'played') this.parts.log.info(facts, `bulletin ended: ${outcomeLine(summary, 'en')}`)
      else this.parts.log.warn({ ...facts, missed: summary.missed.map((m) => ({ deviceId: m.deviceId, village: m.village, state: m.state, reason: m.reason })) }, `bulletin ended: ${outcomeLine(summary, 'en')}`)
      this.parts.bus.emit('broadcastEnded', { broadcast: ended, summary })
    } else {
      this.changed(b)
    }
  }

  private changed (b: Broadcast): Broadcast {
    this.parts.bus.emit('broadcast', { broadcast: b, summary: this.parts.store.summary(b.id) })
    return b
  }
}
