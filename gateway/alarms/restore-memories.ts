// After a restart, what each kind remembers of its devices, refilled from the telemetry store
// (an air station's last day and a half: its hourly index is there at once, not after hours).
import { behaviourOf } from '../kinds/behaviour/index.js'
import type { Registry } from '../registry/registry.js'
import type { TelemetryStore } from '../store/telemetry-store.js'
import type { AlarmEngine } from './engine.js'

export async function restoreMemories (registry: Registry, store: TelemetryStore, alarms: Pick<AlarmEngine, 'memoryOf'>, now = Date.now()): Promise<void> {
  for (const device of registry.list()) {
    await behaviourOf(device.kind).restore?.(device, alarms.memoryOf(device.id), (q) => store.history(q), now)
  }
}
