// Checks shared by the province tests: a gateway's uplink numbers from /metrics, and what a
// commune's readings lane holds in the stream (to see order and duplicates before the
// idempotent store hides them).
import type { JetStreamManager } from 'nats'
import { READINGS_STREAM } from '../../province/nats/streams.js'

/** One sample of a gateway's /metrics, by name and lane label (NaN when absent). */
export async function uplinkMetric (httpUrl: string, name: string, lane?: string): Promise<number> {
  const text = await fetch(`${httpUrl}/metrics`).then((r) => r.text(), () => '')
  const label = lane ? `\\{lane="${lane}"\\}` : ''
  const m = new RegExp(`^${name}${label} (\\S+)$`, 'm').exec(text)
  return m ? Number(m[1]) : Number.NaN
}

export interface LaneAudit {
  /** Rows seen in the stream, duplicates included. */
  rows: number
  /** Rows whose outbox sequence was already in the stream. */
  duplicates: number
  /** Per device, times of its readings in stream order (first occurrence of each row). */
  byDevice: Map<string, number[]>
}

export async function auditReadings (jsm: JetStreamManager, commune: string): Promise<LaneAudit> {
  const info = await jsm.streams.info(READINGS_STREAM)
  const seen = new Set<number>()
  const audit: LaneAudit = { rows: 0, duplicates: 0, byDevice: new Map() }
  if (info.state.messages === 0) return audit
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(READINGS_STREAM, { seq }).catch(() => null)
    if (!m || m.subject !== `up.${commune}.readings`) continue
    const batch = m.json<{ rows: Array<{ seq: number; body: { deviceId: string; ts: number } }> }>()
    for (const row of batch.rows) {
      audit.rows++
      if (seen.has(row.seq)) { audit.duplicates++; continue }
      seen.add(row.seq)
      const list = audit.byDevice.get(row.body.deviceId) ?? []
      list.push(row.body.ts)
      audit.byDevice.set(row.body.deviceId, list)
    }
  }
  return audit
}

export const isIncreasing = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || x > xs[i - 1]!)
