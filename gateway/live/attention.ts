// What needs someone's eyes now, read off a device's current state: the overview puts these
// first, the lists mark them. One vocabulary with the alarms (issue #16): the marks are the
// kind's alarm conditions (gateway/kinds/behaviour/) evaluated on the device's latest values
// with its effective thresholds (its overrides, its village's, its kind's, the defaults), so
// a mark and an alarm never rate the same fact differently. Stateless: no hysteresis or grace
// period; the alarm engine adds those and the lifecycle. What a kind remembers of the device
// is read, never written (a copy): the air's index is a fact of its last hours, not of one reading.
import { ALARM_TYPES, SEVERITIES, type AlarmType, type Severity } from '../alarms/catalog.js'
import type { Thresholds } from '../alarms/thresholds.js'
import type { FieldValue } from '../kinds/index.js'
import { behaviourOf } from '../kinds/behaviour/index.js'
import type { PresenceState } from '../presence/presence.js'
import type { Device } from '../registry/device.js'
import type { LatestValue } from '../store/telemetry-store.js'

export { SEVERITIES, type Severity }

/** An alarm type, or a device never heard from (no alarm: nothing is known of it yet). */
export type AttentionCode = AlarmType | 'never_seen'

export interface Attention {
  code: AttentionCode
  severity: Severity
  /** For a level alarm: the stage the water is at (its name says which line). */
  stage?: number
}

export function attentionOf (
  device: Device, presence: PresenceState, latest: Readonly<Record<string, LatestValue>>, th: Thresholds, memory: Readonly<Record<string, unknown>> = {}
): Attention[] {
  if (!device.enabled) return []
  if (presence.since === null && presence.lastSeen === null) return [{ code: 'never_seen', severity: 'warning' }]
  const behaviour = behaviourOf(device.kind)
  const out: Attention[] = []
  if (!presence.online) out.push({ code: 'offline', severity: behaviour.offlineSeverity(presence.since, th) })
  const fields: Record<string, FieldValue> = {}
  let ts = 0
  for (const [field, v] of Object.entries(latest)) { fields[field] = v.value; ts = Math.max(ts, v.ts) }
  const conditions = behaviour.reading({
    device, fields, ts, th, isActive: () => false, activeDetails: () => null, trendPerH: null, memory: { ...memory }
  })
  for (const c of conditions) {
    // An offline device's last values are stale, except the facts its kind says still hold.
    if (!c.active || (!presence.online && !behaviour.keptOffline.includes(c.type))) continue
    const stage = c.details?.stage
    out.push({ code: c.type, severity: c.severity ?? ALARM_TYPES[c.type].severity, ...(typeof stage === 'number' ? { stage } : {}) })
  }
  return out.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
}
