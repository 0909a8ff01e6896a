// The latest value of every field of every device, in memory, for the API and the
// dashboard. Filled from the store at start (so a restart does not show blanks) and kept
// current from the readings on the bus.
import type { LatestByDevice, LatestValue } from '../store/telemetry-store.js'
import type { Reading } from '../events/events.js'

export class LiveState {
  private readonly latest: LatestByDevice = new Map()

  /** Merges what the store knows; newer in-memory values win. */
  hydrate (stored: LatestByDevice): void {
    for (const [deviceId, fields] of stored) {
      const current = this.fieldsOf(deviceId)
      for (const [field, value] of Object.entries(fields)) {
        if (!current[field] || current[field].ts < value.ts) current[field] = value
      }
    }
  }

  apply (reading: Reading): void {
    const current = this.fieldsOf(reading.device.id)
    for (const [field, value] of Object.entries(reading.fields)) {
      const known = current[field]
      // A buffered old reading arriving late must not overwrite a newer value.
      if (!known || known.ts <= reading.ts) current[field] = { value, ts: reading.ts }
    }
  }

  get (deviceId: string): Readonly<Record<string, LatestValue>> {
    return this.latest.get(deviceId) ?? {}
  }

  remembers (deviceId: string): boolean {
    return this.latest.has(deviceId)
  }

  forget (deviceId: string): void {
    this.latest.delete(deviceId)
  }

  private fieldsOf (deviceId: string): Record<string, LatestValue> {
    let fields = this.latest.get(deviceId)
    if (!fields) this.latest.set(deviceId, (fields = {}))
    return fields
  }
}
