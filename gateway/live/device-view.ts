// One device as people see it: what the registry knows, whether it is online, its latest
// values, what needs attention, and what lies ahead as its kind sees it (a water-level
// station: its trend and the next level ahead). The REST API and the live socket both send this shape.
import type { Thresholds } from '../alarms/thresholds.js'
import type { Device } from '../registry/device.js'
import type { Registry } from '../registry/registry.js'
import type { Presence, PresenceState } from '../presence/presence.js'
import type { LatestValue } from '../store/telemetry-store.js'
import { attentionOf, type Attention } from './attention.js'
import type { LiveState } from './live-state.js'
import type { LevelTrends } from './trend.js'
import { behaviourOf, type Outlook } from '../kinds/behaviour/index.js'

export type { LevelOutlook, Outlook } from '../kinds/behaviour/index.js'

export type DeviceView = Device & PresenceState & {
  latest: Readonly<Record<string, LatestValue>>
  attention: Attention[]
  outlook: Outlook | null
}

export class DeviceViews {
  constructor (
    private readonly registry: Registry,
    private readonly presence: Presence,
    private readonly live: LiveState,
    private readonly trends: LevelTrends,
    /** A device's effective thresholds (alarms/thresholds.ts): attention rates as the alarms do. */
    private readonly thresholds: (device: Device) => Thresholds,
    /** What each device's kind remembers of it (the alarm engine's peekMemory): the air's window. */
    private readonly memoryOf: (deviceId: string) => Record<string, unknown>,
    private readonly now: () => number = Date.now
  ) {}

  view (device: Device): DeviceView {
    const presence = this.presence.get(device.id)
    const latest = this.live.get(device.id)
    return { ...device, ...presence, latest, attention: attentionOf(device, presence, latest, this.thresholds(device), this.memoryOf(device.id)), outlook: this.outlook(device, latest) }
  }

  byId (id: string): DeviceView | null {
    const device = this.registry.get(id)
    return device ? this.view(device) : null
  }

  private outlook (device: Device, latest: Readonly<Record<string, LatestValue>>): Outlook | null {
    return behaviourOf(device.kind).outlook(device, latest, this.trends.cmPerHour(device.id), this.memoryOf(device.id), this.now())
  }
}
