// After a restart, the last hour of each device's trend field (a station's level, as its
// kind's behaviour names it), so the rate of rise is known at once rather than within the hour.
import { behaviourOf } from '../kinds/behaviour/index.js'
import type { Registry } from '../registry/registry.js'
import type { TelemetryStore } from '../store/telemetry-store.js'
import type { LevelTrends } from './trend.js'

export async function hydrateTrends (registry: Registry, store: TelemetryStore, trends: LevelTrends): Promise<void> {
  const to = Date.now()
  for (const device of registry.list()) {
    const field = behaviourOf(device.kind).trendField
    if (field === null) continue
    const buckets = await store.history({ deviceId: device.id, kind: device.kind, field, from: to - 3_600_000, to, maxPoints: 60 })
    for (const b of buckets) trends.add(device.id, b.t, b.mean)
  }
}
