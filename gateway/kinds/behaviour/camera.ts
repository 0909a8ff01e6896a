// A camera's behaviour: its stream, recording, storage, tamper and password per reading, what
// its snapshots show (camera-pictures.ts), and going dark at night is critical.
import { withinHours } from '../../alarms/local-hours.js'
import { num, type Condition, type Fields } from '../../alarms/rules.js'
import type { AlarmType } from '../../alarms/catalog.js'
import type { Thresholds } from '../../alarms/thresholds.js'
import { NOTHING_MORE, type KindBehaviour } from './behaviour.js'
import { pictureRules } from './camera-pictures.js'

export function cameraRules (fields: Fields, th: Thresholds): Condition[] {
  const out: Condition[] = []
  const flag = (field: string, type: AlarmType, bad: boolean) => {
    if (typeof fields[field] === 'boolean') out.push({ type, active: fields[field] === bad })
  }
  flag('streamAlive', 'stream_dead', false)
  flag('recording', 'not_recording', false)
  flag('tamper', 'tamper', true)
  flag('defaultPassword', 'default_password', true)
  const state = fields.storageState
  const used = num(fields.storageUsedPct)
  if (state !== undefined || used !== undefined) {
    const failed = state === 'failed' || state === 'missing'
    const full = used !== undefined && used >= th.storageFullPct
    out.push({ type: 'storage', active: failed || full, severity: failed ? 'major' : 'minor', details: { storageState: state ?? null, storageUsedPct: used ?? null } })
  }
  return out
}

export const cameraBehaviour: KindBehaviour = {
  ...NOTHING_MORE,
  reading: ({ fields, ts, th }) => [...cameraRules(fields, th), ...pictureRules(fields, ts, th)],
  // A dark camera's last values are stale; a factory password stays until someone changes it.
  keptOffline: ['default_password'],
  // An intruder disables the camera first: dark at night is critical.
  offlineSeverity: (since, th) => since !== null && withinHours(since, th.nightFromH, th.nightToH) ? 'critical' : 'major'
}
