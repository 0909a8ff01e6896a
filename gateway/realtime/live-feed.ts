// Turns the gateway's events into the dashboard's batched deltas. Every change only marks
// a device dirty; a timer sends each kind's dirty devices to that kind's room a few times a
// second, and the overview to each role's room about once a second. One MQTT message
// never turns into one socket message per browser.
import type { DeviceKind } from '../contract/index.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents } from '../events/events.js'
import { overview, type Overview } from '../live/overview.js'
import type { DeviceView, DeviceViews } from '../live/device-view.js'
import type { Device } from '../registry/device.js'
import type { Registry } from '../registry/registry.js'
import { ROLE_KINDS, ROLES, type Role } from '../users/roles.js'
import type { AlarmEngine } from '../alarms/engine.js'
import { roleSeesAlarm } from '../users/roles.js'
import type { Alarm } from '../alarms/catalog.js'
import type { BroadcastNotice } from '../broadcasts/service.js'
import type { AlarmsDelta, BroadcastsDelta, DevicesDelta } from './protocol.js'

export interface FeedTarget {
  /** Whether anyone is in the room (no work for empty rooms). */
  occupied (room: string): boolean
  sendDevices (room: string, delta: DevicesDelta): void
  sendOverview (room: string, overview: Overview): void
  sendAlarms (room: string, delta: AlarmsDelta): void
  sendBroadcasts (room: string, delta: BroadcastsDelta): void
}

export const kindRoom = (kind: DeviceKind): string => `kind:${kind}`
export const overviewRoom = (role: Role): string => `overview:${role}`
export const alarmsRoom = (role: Role): string => `alarms:${role}`
export const BROADCASTS_ROOM = 'broadcasts'

export interface FeedOptions {
  /** Deltas per second per channel, at most. */
  deltaMs: number
  overviewMs: number
}

export class LiveFeed {
  private readonly dirty = new Map<DeviceKind, Set<string>>()
  private readonly removed = new Map<DeviceKind, Set<string>>()
  private readonly kindOf = new Map<string, DeviceKind>()
  private overviewDirty = true
  /** The latest state of each bulletin that changed: an airing to 500 clusters is one delta, not thousands. */
  private readonly broadcasts = new Map<string, BroadcastNotice>()
  private timers: NodeJS.Timeout[] = []
  private unsubscribe: Array<() => void> = []

  constructor (
    private readonly bus: EventBus<GatewayEvents>,
    private readonly registry: Registry,
    private readonly views: DeviceViews,
    private readonly alarms: AlarmEngine,
    /** The latest bulletins with their counts: a subscriber's snapshot. */
    readonly recentBroadcasts: () => BroadcastNotice[],
    private readonly target: FeedTarget,
    private readonly options: FeedOptions
  ) {}

  start (): void {
    this.unsubscribe = [
      this.bus.on('reading', (r) => this.touch(r.device.id, r.device.kind)),
      this.bus.on('presence', (p) => this.touch(p.deviceId)),
      this.bus.on('registry', (change) => {
        if (change.type === 'removed') {
          const kind = this.kindOf.get(change.id)
          if (kind) this.setOf(this.removed, kind).add(change.id)
          this.overviewDirty = true
        } else if (change.type !== 'secret-rotated') this.touch(change.device.id, change.device.kind)
      }),
      // Alarms are few and urgent: sent at once, to the rooms of the roles that see them.
      this.bus.on('alarm', ({ alarm, change }) => {
        for (const role of ROLES) {
          const room = alarmsRoom(role)
          if (roleSeesAlarm(role, alarm) && this.target.occupied(room)) this.target.sendAlarms(room, { alarms: [alarm], changes: { [alarm.id]: change }, at: Date.now() })
        }
        if (alarm.deviceId) this.touch(alarm.deviceId, alarm.kind ?? undefined)
      }),
      this.bus.on('broadcast', (notice) => { this.broadcasts.set(notice.broadcast.id, notice) })
    ]
    this.timers = [
      setInterval(() => { this.flushDevices(); this.flushBroadcasts() }, this.options.deltaMs),
      setInterval(() => this.flushOverview(), this.options.overviewMs)
    ]
    for (const t of this.timers) t.unref()
  }

  stop (): void {
    for (const t of this.timers) clearInterval(t)
    for (const off of this.unsubscribe) off()
  }

  /** The current devices of a kind: a subscriber's snapshot. */
  snapshot (kind: DeviceKind): DeviceView[] {
    return this.registry.list({ kind }).map((d) => this.views.view(d))
  }

  /** The active alarms a role sees: a subscriber's snapshot. */
  activeAlarms (role: Role): Alarm[] {
    return this.alarms.activeAlarms().filter((a) => roleSeesAlarm(role, a))
  }

  overviewFor (role: Role): Overview {
    return overview(this.registry.list(), this.views, ROLE_KINDS[role])
  }

  private touch (id: string, kind?: DeviceKind): void {
    const k = kind ?? this.kindOf.get(id) ?? this.registry.get(id)?.kind
    if (!k) return
    this.kindOf.set(id, k)
    this.setOf(this.dirty, k).add(id)
    this.overviewDirty = true
  }

  private setOf (map: Map<DeviceKind, Set<string>>, kind: DeviceKind): Set<string> {
    let set = map.get(kind)
    if (!set) map.set(kind, (set = new Set()))
    return set
  }

  private flushBroadcasts (): void {
    if (this.broadcasts.size === 0) return
    const changed = [...this.broadcasts.values()]
    this.broadcasts.clear()
    if (this.target.occupied(BROADCASTS_ROOM)) this.target.sendBroadcasts(BROADCASTS_ROOM, { broadcasts: changed, at: Date.now() })
  }

  private flushDevices (): void {
    const kinds = new Set([...this.dirty.keys(), ...this.removed.keys()])
    for (const kind of kinds) {
      const ids = this.dirty.get(kind) ?? new Set<string>()
      const gone = this.removed.get(kind) ?? new Set<string>()
      this.dirty.delete(kind)
      this.removed.delete(kind)
      for (const id of gone) this.kindOf.delete(id)
      if (!this.target.occupied(kindRoom(kind))) continue
      const devices: DeviceView[] = []
      for (const id of ids) {
        const view = this.views.byId(id)
        if (view) devices.push(view)
      }
      if (devices.length > 0 || gone.size > 0) this.target.sendDevices(kindRoom(kind), { kind, devices, removed: [...gone], at: Date.now() })
    }
  }

  private flushOverview (): void {
    if (!this.overviewDirty) return
    this.overviewDirty = false
    const devices = this.registry.list()
    // Police, officials and operators watching at once: each device's view made once, not per role.
    const made = new Map<string, DeviceView>()
    const views = { view: (d: Device) => made.get(d.id) ?? made.set(d.id, this.views.view(d)).get(d.id)! }
    for (const role of ROLES) {
      const room = overviewRoom(role)
      if (this.target.occupied(room)) this.target.sendOverview(room, overview(devices, views, ROLE_KINDS[role]))
    }
  }
}
