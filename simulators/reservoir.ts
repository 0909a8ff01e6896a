// A small irrigation reservoir of central Vietnam, as a water balance:
//   rain -> catchment (a linear store: the lag between the storm and the rise)
//        -> inflow -> reservoir level <- outflow (release to the canal + free spillway).
// The spillway is ungated with its crest at the normal level (MNDBT), as on most small
// reservoirs; its flow follows the weir law Q = C·L·H^1.5. Every function here is pure.
import type { Reservoir } from '../gateway/registry/device.js'

export interface ReservoirPhysics {
  catchmentKm2: number
  /** Water surface; taken as constant over the few metres the alarms span. */
  surfaceKm2: number
  /** Share of the rain that reaches the reservoir (the soil keeps the rest). */
  runoffCoefficient: number
  /** Time constant of the catchment store: how long the storm takes to arrive. */
  lagH: number
  spillwayCrestM: number
  spillwayWidthM: number
  /** Weir coefficient in SI units (about 1.7 for a broad crest). */
  weirCoefficient: number
  /** Water released to the irrigation canal. */
  releaseM3s: number
  /** Streams feeding the lake between storms. */
  baseflowM3s: number
}

export interface ReservoirState {
  levelM: number
  /** Rain on its way through the catchment, in mm over the catchment. */
  inTransitMm: number
  /** Rain that has fallen on the gauge since the simulation began. */
  rainTotalMm: number
}

/** Flow over the spillway at this level, m³/s. */
export function spillwayFlowM3s (levelM: number, p: ReservoirPhysics): number {
  const head = levelM - p.spillwayCrestM
  return head > 0 ? p.weirCoefficient * p.spillwayWidthM * head ** 1.5 : 0
}

/** Flow from the catchment into the lake for this much water in transit, m³/s. */
export function catchmentInflowM3s (inTransitMm: number, p: ReservoirPhysics): number {
  const mmPerH = inTransitMm / p.lagH
  return (mmPerH / 1000) * p.catchmentKm2 * 1e6 / 3600
}

const MAX_STEP_S = 60

/** The state `dtS` seconds later under a constant rain of `rainMmPerH` (explicit steps of a minute at most). */
export function stepReservoir (state: ReservoirState, rainMmPerH: number, dtS: number, p: ReservoirPhysics): ReservoirState {
  let { levelM, inTransitMm, rainTotalMm } = state
  let left = Math.max(0, dtS)
  while (left > 0) {
    const dt = Math.min(MAX_STEP_S, left)
    const dtH = dt / 3600
    const inflow = catchmentInflowM3s(inTransitMm, p) + p.baseflowM3s
    const outflow = spillwayFlowM3s(levelM, p) + p.releaseM3s
    inTransitMm += (p.runoffCoefficient * rainMmPerH - inTransitMm / p.lagH) * dtH
    levelM += (inflow - outflow) * dt / (p.surfaceKm2 * 1e6)
    rainTotalMm += rainMmPerH * dtH
    left -= dt
  }
  return { levelM, inTransitMm, rainTotalMm }
}

/** Rate of rise in cm/h between two states an interval apart. */
export function riseCmPerH (before: ReservoirState, after: ReservoirState, dtS: number): number {
  return (after.levelM - before.levelM) * 100 / (dtS / 3600)
}

/**
 * Plausible physics for an inventory reservoir. The inventory knows only levels; the
 * spillway crest is the normal level (or half a metre under alarm level I when that is
 * all there is).
 */
export function physicsFor (reservoir: Pick<Reservoir, 'referenceLevels' | 'alarmLevels'>): ReservoirPhysics {
  const ref = reservoir.referenceLevels
  const al = reservoir.alarmLevels
  const crest = ref.normalM ?? (al.level1M !== undefined ? al.level1M - 0.5 : undefined) ?? ref.preFloodM ?? 10
  return {
    catchmentKm2: 25,
    surfaceKm2: 1.2,
    runoffCoefficient: 0.75,
    lagH: 1.5,
    spillwayCrestM: crest,
    spillwayWidthM: 30,
    weirCoefficient: 1.7,
    releaseM3s: 1.5,
    baseflowM3s: 1.0
  }
}

/** A reservoir that several sensors read: advanced lazily, in simulated time, by whoever reads first. */
export class ReservoirSim {
  private state: ReservoirState
  private at: number

  constructor (
    readonly physics: ReservoirPhysics,
    private readonly rainMmPerH: (simMs: number) => number,
    simStart: number,
    levelM = physics.spillwayCrestM - 0.4
  ) {
    this.state = { levelM, inTransitMm: 0, rainTotalMm: 0 }
    this.at = simStart
  }

  advanceTo (simMs: number): ReservoirState {
    // Rain is taken as constant over each minute, read at the middle of the minute.
    while (this.at < simMs) {
      const next = Math.min(simMs, this.at + MAX_STEP_S * 1000)
      this.state = stepReservoir(this.state, this.rainMmPerH((this.at + next) / 2), (next - this.at) / 1000, this.physics)
      this.at = next
    }
    return this.state
  }
}
