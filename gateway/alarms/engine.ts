// The alarm engine: turns conditions into alarms. One active alarm per subject and type: a
// repeat trigger updates it, a worse one raises its severity; a rule's clear condition
// clears it. Unacknowledged alarms escalate to the next group every `escalateAfterMin`.
// Everything lives in state.db, and the timers are times stored there or derived from
// presence (which is also stored): a restart loses neither alarms nor their clocks.
import { setImmediate as setImmediatePromise } from 'node:timers/promises'
import type { DiskFaults } from '../disk-full.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents, Reading } from '../events/events.js'
import type { LiveState } from '../live/live-state.js'
import type { LevelTrends } from '../live/trend.js'
import type { Logger } from '../log.js'
import type { Presence } from '../presence/presence.js'
import type { Device } from '../registry/device.js'
import type { Registry } from '../registry/registry.js'
import { ALARM_TYPES, worse, type Alarm, type AlarmType } from './catalog.js'
import type { AlarmChange } from './notice.js'
import { behaviourOf } from '../kinds/behaviour/index.js'
import type { ReadingInput } from '../kinds/behaviour/behaviour.js'
import type { Condition } from './rules.js'
import type { AlarmStore } from './store.js'
import { sweepSlices } from './sweep.js'
import type { ThresholdStore } from './thresholds.js'

export type { AlarmChange, AlarmNotice } from './notice.js'

export interface AlarmEngineParts {
  store: AlarmStore
  thresholds: ThresholdStore
  registry: Registry
  presence: Presence
  live: LiveState
  trends: LevelTrends
  bus: EventBus<GatewayEvents>
  log: Logger
  /** A full disk: the sweep is tried again at the next round, logged once a minute there. */
  disk?: DiskFaults
  now?: () => number
  /** How often the clock-driven rules and escalations run. */
  sweepMs?: number
}

/** How many escalation steps there are after the first notice (the groups are in notify/routing.ts). */
export const ESCALATION_STEPS = 2

/** Devices the timer's sweep evaluates per turn of the event loop: about 1-2 ms of work. */
const SWEEP_SLICE = 500

/**
 * An active alarm whose trigger repeats with new details only (the level of each reading, its
 * trend) is written at most this often. Each write is a transaction in state.db, a webhook
 * notice and a dashboard push: a station sending every second made that once per reading, and
 * 50 rising stations at 100 readings/s each stalled the event loop for up to 19 s (issue #18,
 * the soak). The newest details wait in memory and the sweep writes them once their time has
 * come, so an alarm's details are never more than this plus one sweep behind its readings.
 * Anything that changes what the alarm means (raised, a stage, a severity, cleared) is
 * written at once.
 */
export const DETAILS_EVERY_MS = 10_000

export class AlarmEngine {
  private readonly active = new Map<string, Alarm>()
  /** What each device's kind remembers between its readings (a station's last level). */
  private readonly memories = new Map<string, Record<string, unknown>>()
  /**
   * Each device's look-ups of its own active alarms, made once: under tsx every closure made
   * per reading is also given its name (esbuild's keepNames), 1 µs a reading (issue #18).
   */
  private readonly lookups = new Map<string, Pick<ReadingInput, 'isActive' | 'activeDetails'>>()
  /** When each village was last seen dark, so its devices get their grace again once it is not (sweep.ts). */
  private readonly villageLastDark = new Map<string, number>()
  /** The newest details of active alarms not yet written (DETAILS_EVERY_MS), by alarm key. */
  private readonly pendingDetails = new Map<string, Record<string, unknown>>()
  private readonly now: () => number
  private timer: NodeJS.Timeout | null = null
  private sweeping = false
  private off: () => void = () => undefined

  constructor (private readonly parts: AlarmEngineParts) {
    this.now = parts.now ?? Date.now
  }

  start (): void {
    for (const alarm of this.parts.store.active()) this.active.set(key(alarm.subject, alarm.type), alarm)
    this.off = this.parts.bus.on('reading', (r) => this.onReading(r))
    this.timer = setInterval(() => { void this.sweepByTurns() }, this.parts.sweepMs ?? 5000)
    this.timer.unref()
  }

  stop (): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.off()
  }

  /**
   * What the device's kind remembers of it between readings (a station's last level, the
   * air's window), made empty on first use: readings and the restore after a restart fill it.
   */
  memoryOf (deviceId: string): Record<string, unknown> {
    let memory = this.memories.get(deviceId)
    if (!memory) this.memories.set(deviceId, (memory = {}))
    return memory
  }

  private lookupsOf (deviceId: string): Pick<ReadingInput, 'isActive' | 'activeDetails'> {
    let lookups = this.lookups.get(deviceId)
    if (!lookups) {
      lookups = {
        isActive: (type) => this.active.has(key(deviceId, type)),
        activeDetails: (type) => this.active.get(key(deviceId, type))?.details ?? null
      }
      this.lookups.set(deviceId, lookups)
    }
    return lookups
  }

  /** The same, to read only (the device view's outlook): a device never heard of gets an empty one, not kept. */
  peekMemory (deviceId: string): Record<string, unknown> {
    return this.memories.get(deviceId) ?? {}
  }

  remembers (deviceId: string): boolean {
    return this.memories.has(deviceId) || [...this.active.values()].some((a) => a.deviceId === deviceId)
  }

  /**
   * A removed device: its memory goes, and its active alarms are cleared (nothing would ever
   * clear them; the history says why), so a device added again under its id starts clean.
   */
  forget (deviceId: string): void {
    this.memories.delete(deviceId)
    this.lookups.delete(deviceId)
    const now = this.now()
    for (const alarm of [...this.active.values()]) {
      if (alarm.deviceId === deviceId) this.publish(this.parts.store.clear(alarm.id, null, null, now, { deviceRemoved: true }), 'cleared')
    }
  }

  activeAlarms (): Alarm[] {
    return [...this.active.values()]
  }

  onReading (reading: Reading): void {
    const { device, fields, ts } = reading
    const memory = this.memoryOf(device.id)
    const behaviour = behaviourOf(device.kind)
    const { isActive, activeDetails } = this.lookupsOf(device.id)
    const input: ReadingInput = {
      device, fields, ts, memory, isActive, activeDetails,
      th: this.parts.thresholds.for(device),
      trendPerH: this.parts.trends.cmPerHour(device.id)
    }
    behaviour.observe?.(input)
    const conditions = behaviour.reading(input)
    this.apply(device.id, device, device.village, ts, conditions)
  }

  /** The clock-driven rules (offline, power, villages, no data) and escalations, at once. */
  sweep (): void {
    for (const _ of this.sweepSteps(Infinity)) { /* every slice at once */ }
  }

  /** The timer's sweep: the same, `SWEEP_SLICE` devices per turn of the event loop, one at a time. */
  private async sweepByTurns (): Promise<void> {
    if (this.sweeping) return
    this.sweeping = true
    try {
      for (const _ of this.sweepSteps(SWEEP_SLICE)) {
        await setImmediatePromise()
        if (!this.timer) return
      }
    } finally {
      this.sweeping = false
    }
  }

  private* sweepSteps (size: number): Generator<void, void> {
    const now = this.now()
    try {
      const slices = sweepSlices({
        devices: this.parts.registry.list(),
        presence: (id) => this.parts.presence.get(id),
        latest: (id) => this.parts.live.get(id),
        thresholds: (d) => this.parts.thresholds.for(d),
        villageThresholds: (v) => this.parts.thresholds.forVillage(v),
        villageLastDark: (v) => this.villageLastDark.get(v) ?? null,
        now
      }, size)
      for (const subjects of slices) {
        for (const s of subjects) {
          if (s.dark) this.villageLastDark.set(s.village, now)
          this.apply(s.subject, s.device, s.village, s.startedAt, s.conditions)
        }
        yield
      }
      this.writeDueDetails(now)
      this.escalate(now)
    } catch (err) {
      if (!this.parts.disk?.failed('alarms', err)) this.parts.log.error({ err }, 'alarm sweep failed; tried again at the next one')
    }
  }

  /**
   * A condition another part of the gateway found about a village (clusters that did not play
   * an emergency bulletin): raised, updated and escalated like any rule's.
   */
  reportVillage (village: string, condition: Condition): void {
    this.apply(`village:${village}`, null, village, this.now(), [condition])
  }

  /** A condition about the box itself (its uplink to the province), subject "gateway". */
  reportGateway (condition: Condition): void {
    this.apply('gateway', null, '', this.now(), [condition])
  }

  acknowledge (id: number, actor: string, comment: string | null): Alarm {
    const alarm = this.parts.store.require(id)
    if (alarm.acknowledged) return alarm
    return this.publish(this.parts.store.acknowledge(id, actor, comment, this.now()), 'acknowledged')
  }

  /** A person adds to an alarm's thread (what they found, who they sent). */
  comment (id: number, actor: string, comment: string): Alarm {
    this.parts.store.require(id)
    return this.publish(this.parts.store.comment(id, actor, comment, this.now()), 'updated')
  }

  /** A person clears an alarm; if its condition holds, the rule raises a new one. */
  clear (id: number, actor: string, comment: string | null): Alarm {
    const alarm = this.parts.store.require(id)
    if (alarm.state === 'cleared') return alarm
    return this.publish(this.parts.store.clear(id, actor, comment, this.now()), 'cleared')
  }

  private apply (subject: string, device: Device | null, village: string, startedAt: number, conditions: readonly Condition[]): void {
    const now = this.now()
    for (const c of conditions) {
      const k = key(subject, c.type)
      const current = this.active.get(k)
      const severity = c.severity ?? ALARM_TYPES[c.type].severity
      if (c.active && !current) {
        const escalateMs = (device ? this.parts.thresholds.for(device) : this.parts.thresholds.forVillage(village)).escalateAfterMin * 60_000
        this.publish(this.parts.store.raise({
          subject, deviceId: device?.id ?? null, village, kind: device?.kind ?? null, type: c.type, severity,
          details: c.details ?? {}, startedAt: c.startedAt ?? startedAt, nextEscalationAt: now + escalateMs
        }, now), 'raised')
      } else if (c.active && current) {
        const next = c.followSeverity ? severity : worse(current.severity, severity)
        const stage = c.details?.stage
        if (typeof stage === 'number' && stage !== current.details.stage) {
          // A level alarm crossing a line: written to its history; upward, it is news again
          // (unacknowledged, escalating, told) however the lower stage was handled.
          const up = stage > Number(current.details.stage ?? 0)
          const escalateMs = up && device ? this.parts.thresholds.for(device).escalateAfterMin * 60_000 : null
          this.pendingDetails.delete(k)
          this.publish(this.parts.store.changeStage(current, next, c.details!, now, escalateMs === null ? null : now + escalateMs), up ? 'worsened' : 'updated')
        } else if (next !== current.severity) {
          this.pendingDetails.delete(k)
          this.publish(this.parts.store.update(current, next, c.details ?? current.details, now), 'updated')
        } else if (c.details) {
          this.refreshDetails(k, current, c.details, now)
        }
      } else if (!c.active && current) {
        this.publish(this.parts.store.clear(current.id, null, null, now, c.details ?? null), 'cleared')
      }
    }
  }

  /** New details of an alarm whose meaning did not change: kept until DETAILS_EVERY_MS has passed, then written. */
  private refreshDetails (k: string, current: Alarm, details: Record<string, unknown>, now: number): void {
    // Per reading only a time compare: the details are compared once, when their time comes.
    if (now - current.updatedAt < DETAILS_EVERY_MS) { this.pendingDetails.set(k, details); return }
    this.pendingDetails.delete(k)
    this.writeDetails(current, details, now)
  }

  private writeDueDetails (now: number): void {
    for (const [k, details] of this.pendingDetails) {
      const current = this.active.get(k)
      if (current && now - current.updatedAt < DETAILS_EVERY_MS) continue
      this.pendingDetails.delete(k)
      if (current) this.writeDetails(current, details, now)
    }
  }

  private writeDetails (current: Alarm, details: Record<string, unknown>, now: number): void {
    if (JSON.stringify(details) === JSON.stringify(current.details)) return
    this.publish(this.parts.store.update(current, current.severity, details, now), 'updated')
  }

  private escalate (now: number): void {
    for (const alarm of this.active.values()) {
      if (alarm.acknowledged || alarm.nextEscalationAt === null || alarm.nextEscalationAt > now) continue
      const level = alarm.escalationLevel + 1
      const th = alarm.deviceId ? this.parts.registry.get(alarm.deviceId) : null
      const stepMs = (th ? this.parts.thresholds.for(th) : this.parts.thresholds.forVillage(alarm.village)).escalateAfterMin * 60_000
      // After the last group there is nobody further to call: it stays unacknowledged and visible.
      this.publish(this.parts.store.escalate(alarm.id, level, level < ESCALATION_STEPS ? now + stepMs : null, now), 'escalated')
    }
  }

  private publish (alarm: Alarm, change: AlarmChange): Alarm {
    const k = key(alarm.subject, alarm.type)
    if (alarm.state === 'active') {
      this.active.set(k, alarm)
    } else if (this.active.get(k)?.id === alarm.id) {
      this.active.delete(k)
      this.pendingDetails.delete(k)
    }
    this.parts.bus.emit('alarm', { alarm, change })
    return alarm
  }
}

const key = (subject: string, type: AlarmType): string => `${subject}|${type}`
