// One device as people see it: what the registry knows, whether it is online, its latest
// values, what needs attention, and for a water-level station its trend and the next level
// ahead. The REST API and the live socket both send this shape.
import type { Device } from '../registry/device.js'
import type { Registry } from '../registry/registry.js'
import type { Presence, PresenceState } from '../presence/presence.js'
import type { LatestValue } from '../store/telemetry-store.js'
import { attentionOf, type Attention } from './attention.js'
import type { LiveState } from './live-state.js'
import { hoursUntil, type LevelTrends } from './trend.js'

export interface LevelOutlook {
  cmPerHour: number | null
  /** The next alarm or reference level above the current level, and when it is reached at this rate. */
  next: { name: 'level1M' | 'level2M' | 'level3M' | 'designFloodM' | 'checkFloodM'; levelM: number; hours: number | null } | null
}

export type DeviceView = Device & PresenceState & {
  latest: Readonly<Record<string, LatestValue>>
  attention: Attention[]
  outlook: LevelOutlook | null
}

export class DeviceViews {
  constructor (
    private readonly registry: Registry,
    private readonly presence: Presence,
    private readonly live: LiveState,
    private readonly trends: LevelTrends
  ) {}

  view (device: Device): DeviceView {
    const presence = this.presence.get(device.id)
    const latest = this.live.get(device.id)
    return { ...device, ...presence, latest, attention: attentionOf(device, presence, latest), outlook: this.outlook(device, latest) }
  }

  byId (id: string): DeviceView | null {
    const device = this.registry.get(id)
    return device ? this.view(device) : null
  }

  private outlook (device: Device, latest: Readonly<Record<string, LatestValue>>): LevelOutlook | null {
    if (device.kind !== 'water_sensor') return null
    const cmPerHour = this.trends.cmPerHour(device.id)
    const level = latest.levelM?.value
    if (typeof level !== 'number' || !device.reservoir) return { cmPerHour, next: null }
    const { alarmLevels: a, referenceLevels: r } = device.reservoir
    const ahead = ([['level1M', a.level1M], ['level2M', a.level2M], ['level3M', a.level3M], ['designFloodM', r.designFloodM], ['checkFloodM', r.checkFloodM]] as const)
      .filter((entry): entry is [typeof entry[0], number] => entry[1] !== undefined && entry[1] > level)
      .sort((x, y) => x[1] - y[1])[0]
    return { cmPerHour, next: ahead ? { name: ahead[0], levelM: ahead[1], hours: hoursUntil(level, ahead[1], cmPerHour) } : null }
  }
}
