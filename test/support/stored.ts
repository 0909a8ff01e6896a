import type { TelemetryStore } from '../../gateway/store/telemetry-store.js'

/** Which of these reading times the store holds for a water sensor's level (1 ms buckets). */
export async function missingFrom (store: TelemetryStore, deviceId: string, wanted: ReadonlySet<number>): Promise<number[]> {
  if (wanted.size === 0) return []
  const times = [...wanted]
  const from = Math.min(...times)
  const to = Math.max(...times) + 1
  const buckets = await store.history({ deviceId, kind: 'water_sensor', field: 'levelM', from, to, maxPoints: to - from })
  const stored = new Set(buckets.map((b) => b.t))
  return times.filter((t) => !stored.has(t))
}
