// What the clock says, rather than a reading: devices offline past their grace period,
// whole villages dark together (one alarm, not forty), and what each kind's behaviour checks
// by the clock (loudspeakers on battery, stations that stopped sending data). Pure: given the present, the conditions per subject.
import type { Device } from '../registry/device.js'
import type { PresenceState } from '../presence/presence.js'
import type { LatestValue } from '../store/telemetry-store.js'
import { behaviourOf } from '../kinds/behaviour/index.js'
import type { Condition } from './rules.js'
import type { Thresholds } from './thresholds.js'

export interface SweepInput {
  devices: readonly Device[]
  presence: (id: string) => PresenceState
  latest: (id: string) => Readonly<Record<string, LatestValue>>
  thresholds: (device: Device) => Thresholds
  villageThresholds: (village: string) => Thresholds
  /** When each village was last seen dark (a sweep's `dark`); null: not since the gateway started. */
  villageLastDark?: (village: string) => number | null
  now: number
}

export interface SubjectConditions {
  subject: string
  device: Device | null
  village: string
  startedAt: number
  conditions: Condition[]
  /** For a village: whether it is dark now (however recently), for `villageLastDark`. */
  dark?: boolean
}

export function sweepConditions (input: SweepInput): SubjectConditions[] {
  return [...sweepSlices(input, Infinity)].flat()
}

/**
 * The same sweep in slices: a pause (an empty or partial list) after every `size` devices, so
 * that a caller may let the event loop run between them. With 10,000 devices the whole sweep
 * held the loop 20-45 ms, and every acknowledgement due meanwhile waited (issue #18).
 */
export function* sweepSlices (input: SweepInput, size: number): Generator<SubjectConditions[], void> {
  const out: SubjectConditions[] = []
  let seen = 0
  const villages = new Map<string, { total: number; dark: Array<{ id: string; since: number }> }>()
  const perDevice: Array<{ device: Device; offlineSince: number | null; th: Thresholds }> = []

  for (const device of input.devices) {
    if (!device.enabled) continue
    const th = input.thresholds(device)
    const p = input.presence(device.id)
    const offlineSince = !p.online && p.since !== null ? p.since : null
    perDevice.push({ device, offlineSince, th })
    const v = villages.get(device.village) ?? { total: 0, dark: [] }
    v.total++
    // Online devices count as dark too when their kind says so (a loudspeaker on battery).
    const since = offlineSince ?? behaviourOf(device.kind).darkSince(input.latest(device.id), p)
    if (since !== null) v.dark.push({ id: device.id, since })
    villages.set(device.village, v)
    if (++seen % size === 0) yield []
  }

  // A village is dark when enough of its devices are offline or on battery at once, however
  // recently: then none of them alarms alone, and the village alarms once its darkness has
  // lasted the grace period. A device's own alarm waits for the same grace, so a power cut
  // that takes the cameras a minute to notice still makes one alarm, not forty.
  const darkVillages = new Set<string>()
  for (const [village, v] of villages) {
    const th = input.villageThresholds(village)
    const dark = v.dark.length >= th.villageOutageMinDevices && v.dark.length / v.total >= th.villageOutageShare
    if (dark) darkVillages.add(village)
    const since = dark ? Math.min(...v.dark.map((d) => d.since)) : input.now
    out.push({
      subject: `village:${village}`, device: null, village, startedAt: since, dark,
      conditions: [{ type: 'village_outage', active: dark && input.now - since >= th.offlineGraceS * 1000, details: { devices: v.dark.map((d) => d.id).sort(), dark: v.dark.length, total: v.total } }]
    })
  }
  yield out.splice(0)

  // When a village's power returns, its loudspeakers say so at once but its cameras are still
  // booting: a device that was dark with its village gets its grace again from the moment the
  // village stopped being dark, so the end of a power cut is not forty alarms of its own.
  for (const { device, offlineSince, th } of perDevice) {
    const alone = !darkVillages.has(device.village)
    const aloneSince = input.villageLastDark?.(device.village) ?? null
    const pastGrace = (since: number | null): since is number => since !== null && input.now - Math.max(since, aloneSince ?? since) >= th.offlineGraceS * 1000
    const behaviour = behaviourOf(device.kind)
    const severity = behaviour.offlineSeverity(offlineSince, th)
    const conditions: Condition[] = [
      { type: 'offline', active: alone && pastGrace(offlineSince), severity, details: { since: offlineSince }, startedAt: offlineSince ?? input.now },
      ...behaviour.clock({ device, latest: input.latest(device.id), presence: input.presence(device.id), th, now: input.now, alone, pastGrace })
    ]
    out.push({ subject: device.id, device, village: device.village, startedAt: input.now, conditions })
    if (out.length >= size) yield out.splice(0)
  }
  yield out
}
