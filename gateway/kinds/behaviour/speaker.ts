// A loudspeaker cluster's behaviour: its amplifier and temperature per reading, and on
// battery (mains lost) by the clock, which also counts toward its village being dark.
import { num, type Condition, type Fields } from '../../alarms/rules.js'
import type { Thresholds } from '../../alarms/thresholds.js'
import type { AlarmType } from '../../alarms/catalog.js'
import { NOTHING_MORE, type KindBehaviour, type Latest } from './behaviour.js'
import type { PresenceState } from '../../presence/presence.js'

export function speakerRules (fields: Fields, th: Thresholds, isActive: (type: AlarmType) => boolean): Condition[] {
  const out: Condition[] = []
  if (typeof fields.amplifierFault === 'boolean') out.push({ type: 'amplifier_fault', active: fields.amplifierFault })
  const t = num(fields.temperatureC)
  if (t !== undefined) out.push({ type: 'overheating', active: t >= th.overheatC || (isActive('overheating') && t >= th.overheatC - 5), details: { temperatureC: t } })
  return out
}

const onBatterySince = (latest: Latest, presence: PresenceState): number | null =>
  presence.online && latest.powerFault?.value === true ? latest.powerFault.ts : null

export const speakerBehaviour: KindBehaviour = {
  ...NOTHING_MORE,
  reading: ({ fields, th, isActive }) => speakerRules(fields, th, isActive),
  keptOffline: [],
  // On battery is an alarm of its own only once it has lasted the grace period, and not while its village is dark.
  clock: ({ latest, presence, alone, pastGrace, now }) => {
    const since = onBatterySince(latest, presence)
    return [{ type: 'power_fault', active: alone && pastGrace(since), startedAt: since ?? now }]
  },
  darkSince: onBatterySince,
  offlineSeverity: () => 'major'
}
