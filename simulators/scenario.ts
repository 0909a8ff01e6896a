// What happens to the fleet beyond its daily routine. Weather (heavy rain) acts through the
// reservoirs' rain function; power and network trouble act on devices here.
//
//   normal      every device on its daily pattern, rare faults at their natural rate
//   heavy-rain  a storm over the reservoirs: levels rise through alarm levels I, II and III
//   power-cut   mains lost in half the villages for 1.5 simulated hours: cameras there die
//               silently (the broker publishes their wills when their keepalive runs out);
//               loudspeakers switch to battery and report powerFault
//   flapping    one camera in eight and one loudspeaker drop their link every few real
//               seconds (a bad Wi-Fi bridge) and reconnect at once
//   straw-smoke straw burnt on the harvested fields: the air-quality stations' PM2.5 goes
//               through Xấu into Rất xấu and clears over a few hours (air-pollution.ts). The
//               stations live in real time (VN_AQI is hourly): the fields were lit 2.5 hours
//               before the start, and the stations send the hours they logged when they connect
import type { SimClock } from './clock.js'
import { simKindOf, type Member } from './kinds.js'
import type { RainScenario } from './rain.js'

export const SCENARIOS = ['normal', 'heavy-rain', 'power-cut', 'flapping', 'straw-smoke'] as const
export type ScenarioName = (typeof SCENARIOS)[number]

export type { Member } from './kinds.js'

export function rainScenarioOf (scenario: ScenarioName): RainScenario {
  return scenario === 'heavy-rain' ? 'heavy-rain' : 'normal'
}

export interface PowerCutPlan {
  /** Simulated hours after the start when the mains go. */
  startH: number
  durationH: number
}

export const POWER_CUT: PowerCutPlan = { startH: 1 / 6, durationH: 1.5 }

/** Every other village (in name order) loses the mains: enough to see, not the whole map dark. */
export function villagesWithoutPower (villages: Iterable<string>): Set<string> {
  return new Set([...new Set(villages)].sort((a, b) => a.localeCompare(b, 'vi')).filter((_, i) => i % 2 === 0))
}

/** Which members flap: every n-th of each kind, as the kind's simulator says (one camera in eight, the first loudspeaker). */
export function flappingMembers (members: readonly Member[]): Member[] {
  const seen = new Map<Member['kind'], number>()
  return members.filter((m) => {
    const i = seen.get(m.kind) ?? 0
    seen.set(m.kind, i + 1)
    const every = simKindOf(m.kind).flapEvery
    return every !== null && i % every === 0
  })
}

export interface RunningScenario {
  stop(): void
}

export function runScenario (name: ScenarioName, members: readonly Member[], clock: SimClock, random: () => number): RunningScenario {
  const timers = new Set<NodeJS.Timeout>()
  const after = (realMs: number, fn: () => void): void => {
    const t = setTimeout(() => { timers.delete(t); fn() }, realMs)
    timers.add(t)
  }
  const realMsOf = (simH: number): number => simH * 3_600_000 / clock.speed

  switch (name) {
    case 'normal':
    case 'heavy-rain':
    case 'straw-smoke':
      break // weather and smoke act through the models (rain.ts, air-pollution.ts)
    case 'power-cut': {
      const dark = villagesWithoutPower(members.map((m) => m.village))
      const hit = members.filter((m) => dark.has(m.village))
      // Counted from when every device has come up once: on a busy box the fleet takes seconds
      // to connect, and a device cut before it ever connected is not a commune losing power.
      const cutOnceUp = (): void => {
        if (members.some((m) => m.sim.stats.connects === 0)) return after(100, cutOnceUp)
        after(realMsOf(POWER_CUT.startH), () => { for (const m of hit) setMains(m, false) })
        after(realMsOf(POWER_CUT.startH + POWER_CUT.durationH), () => { for (const m of hit) setMains(m, true) })
      }
      cutOnceUp()
      break
    }
    case 'flapping':
      for (const m of flappingMembers(members)) {
        const flap = (): void => {
          m.sim.cut()
          after(3000 + random() * 5000, flap)
        }
        after(3000 + random() * 5000, flap)
      }
      break
  }
  return { stop: () => { for (const t of timers) clearTimeout(t); timers.clear() } }
}

function setMains (m: Member, on: boolean): void {
  simKindOf(m.kind).mains(m.sim, on)
}
