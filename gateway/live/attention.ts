// What needs someone's eyes now, read off a device's current state: the overview puts these
// first, the lists mark them. This is a stateless reading of the present; the alarm rules
// (with hysteresis, grace periods, acknowledgement and history) build on the same facts.
import type { FieldValue } from '../contract/index.js'
import type { Device } from '../registry/device.js'
import type { PresenceState } from '../presence/presence.js'
import type { LatestValue } from '../store/telemetry-store.js'

import { SEVERITIES, type Severity } from '../alarms/catalog.js'
import { THRESHOLDS } from '../alarms/thresholds.js'

export { SEVERITIES, type Severity }

export interface Attention {
  code: AttentionCode
  severity: Severity
}

export type AttentionCode =
  | 'offline' | 'never_seen'
  | 'stream_dead' | 'not_recording' | 'storage_failed' | 'storage_nearly_full' | 'tamper' | 'default_password'
  | 'amplifier_fault' | 'power_fault' | 'overheating'
  | 'alarm_level_3' | 'alarm_level_2' | 'alarm_level_1' | 'above_design_flood' | 'low_battery'

// The overview marks with the alarm rules' default thresholds; per-reservoir levels come
// from the registry.
const { storageFullPct: STORAGE_NEARLY_FULL_PCT, overheatC: SPEAKER_OVERHEAT_C, lowBatteryPct: LOW_BATTERY_PCT } = THRESHOLDS

export function attentionOf (device: Device, presence: PresenceState, latest: Readonly<Record<string, LatestValue>>): Attention[] {
  const out: Attention[] = []
  const v = (field: string): FieldValue | undefined => latest[field]?.value
  const lowBattery = (): boolean => typeof v('batteryPct') === 'number' && (v('batteryPct') as number) < LOW_BATTERY_PCT
  if (!device.enabled) return out
  if (presence.since === null && presence.lastSeen === null) {
    out.push({ code: 'never_seen', severity: 'warning' })
    return out
  }
  if (!presence.online) out.push({ code: 'offline', severity: 'major' })
  switch (device.kind) {
    case 'camera':
      // A dark camera's last values are stale; only the offline mark speaks for it.
      if (presence.online) {
        if (v('streamAlive') === false) out.push({ code: 'stream_dead', severity: 'major' })
        if (v('recording') === false) out.push({ code: 'not_recording', severity: 'major' })
        if (v('storageState') === 'failed' || v('storageState') === 'missing') out.push({ code: 'storage_failed', severity: 'major' })
        else if (typeof v('storageUsedPct') === 'number' && (v('storageUsedPct') as number) >= STORAGE_NEARLY_FULL_PCT) out.push({ code: 'storage_nearly_full', severity: 'minor' })
        if (v('tamper') === true) out.push({ code: 'tamper', severity: 'critical' })
      }
      if (v('defaultPassword') === true) out.push({ code: 'default_password', severity: 'minor' })
      break
    case 'speaker':
      if (presence.online) {
        if (v('amplifierFault') === true) out.push({ code: 'amplifier_fault', severity: 'major' })
        if (v('powerFault') === true) out.push({ code: 'power_fault', severity: 'minor' })
        if (typeof v('temperatureC') === 'number' && (v('temperatureC') as number) >= SPEAKER_OVERHEAT_C) out.push({ code: 'overheating', severity: 'minor' })
      }
      break
    case 'water_sensor': {
      const level = v('levelM')
      const alarms = device.reservoir?.alarmLevels
      const design = device.reservoir?.referenceLevels.designFloodM
      if (typeof level === 'number') {
        if (design !== undefined && level >= design) out.push({ code: 'above_design_flood', severity: 'critical' })
        else if (alarms?.level3M !== undefined && level >= alarms.level3M) out.push({ code: 'alarm_level_3', severity: 'critical' })
        else if (alarms?.level2M !== undefined && level >= alarms.level2M) out.push({ code: 'alarm_level_2', severity: 'major' })
        else if (alarms?.level1M !== undefined && level >= alarms.level1M) out.push({ code: 'alarm_level_1', severity: 'minor' })
      }
      if (lowBattery()) out.push({ code: 'low_battery', severity: 'warning' })
      break
    }
    case 'air_quality':
      // The air itself is on the station's page and in its alarm; here, the station.
      if (lowBattery()) out.push({ code: 'low_battery', severity: 'warning' })
      break
  }
  return out.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
}
