// Every device kind's simulator, checked against the kind union (gateway/kinds/): a kind added
// there does not compile until it has a model here. How often its real devices report, how
// one is made from the inventory, and what a power cut does to it (scenario.ts).
import type { DeviceKind } from '../gateway/contract/index.js'
import { airStationFor, type AirStationModel } from './air-quality.js'
import { CameraModel } from './camera.js'
import type { SimDevice } from './device.js'
import type { InventoryDevice } from './inventory.js'
import type { DeviceModel } from './model.js'
import type { ReservoirSim } from './reservoir.js'
import type { ScenarioName } from './scenario.js'
import { SpeakerModel } from './speaker.js'
import { WaterSensorModel } from './water-sensor.js'

export interface ModelInput {
  device: InventoryDevice
  random: () => number
  simNow: number
  /** Rare faults at their natural rates; false turns them off (tests). */
  faults: boolean
  /** The reservoir a station measures (shared by the stations of one reservoir). */
  reservoir: () => ReservoirSim
  /** The scenario the fleet runs (scenario.ts) and the simulated instant it began; default normal, now. */
  scenario?: ScenarioName
  scenarioStart?: number
}

export interface SimKind<K extends DeviceKind, M extends DeviceModel<K>> {
  /** Reporting interval of real devices, in simulated time (speed 1). */
  intervalMs: number
  model (input: ModelInput): M
  /** The village's mains go (false) or come back (true). */
  mains (sim: SimDevice<K, M>, on: boolean): void
  /** In the flapping scenario, every n-th device of the kind drops its link (Infinity: the first only; null: none). */
  flapEvery: number | null
  /**
   * The kind lives in real time whatever the fleet's speed, and its logger sends this many
   * hours of readings at its first connection (an air station: VN_AQI is hourly, computed from
   * the readings' own times, and needs the last twelve hours). Absent: the fleet's clock.
   */
  realTime?: { loggedHours: number }
}

const noFaults = (input: ModelInput): boolean => !input.faults

export const SIM_KINDS = {
  speaker: {
    intervalMs: 60_000,
    model: (input) => new SpeakerModel({
      random: input.random, simNow: input.simNow,
      ...(input.device.lat !== undefined && input.device.lon !== undefined ? { lat: input.device.lat, lon: input.device.lon } : {}),
      ...(noFaults(input) ? { amplifierFaultsPerH: 0, mainsLossesPerH: 0 } : {})
    }),
    // A battery keeps the cluster on air; it says so at once.
    mains: (sim, on) => { sim.model.setMains(on); sim.publishReading() },
    flapEvery: Number.POSITIVE_INFINITY
  } satisfies SimKind<'speaker', SpeakerModel>,
  camera: {
    intervalMs: 60_000,
    model: (input) => new CameraModel({
      random: input.random, simNow: input.simNow, ...(noFaults(input) ? { streamLossesPerH: 0, storageFailuresPerH: 0, tampersPerH: 0 } : {})
    }),
    // No battery: the camera simply dies, and comes back booting.
    mains: (sim, on) => { if (on) sim.powerRestore(); else sim.powerCut() },
    flapEvery: 8
  } satisfies SimKind<'camera', CameraModel>,
  water_sensor: {
    intervalMs: 300_000,
    model: (input) => new WaterSensorModel({ random: input.random, simNow: input.simNow, reservoir: input.reservoir(), ...(noFaults(input) ? { sensorFaultsPerH: 0 } : {}) }),
    // Solar-powered, off the grid.
    mains: () => undefined,
    flapEvery: null
  } satisfies SimKind<'water_sensor', WaterSensorModel>,
  air_quality: {
    intervalMs: 300_000,
    model: airStationFor,
    // Solar-powered, off the grid.
    mains: () => undefined,
    flapEvery: null,
    realTime: { loggedHours: 13 }
  } satisfies SimKind<'air_quality', AirStationModel>
} as const satisfies { [K in DeviceKind]: SimKind<K, DeviceModel<K>> }

type SimModelOf<K extends DeviceKind> = ReturnType<(typeof SIM_KINDS)[K]['model']> & DeviceModel<K>

/** One simulated device of the fleet, with its kind's own model. */
export type Member = { [K in DeviceKind]: { kind: K; village: string; sim: SimDevice<K, SimModelOf<K>> } }[DeviceKind]

/** The kind's simulator for a member: the one place the member's kind and its model are matched up. */
export function simKindOf<K extends DeviceKind> (kind: K): SimKind<K, SimModelOf<K>> {
  return SIM_KINDS[kind] as unknown as SimKind<K, SimModelOf<K>>
}

/** Reporting intervals of real devices (simulated time, speed 1), per kind. */
export const BASE_INTERVAL_MS = Object.fromEntries(Object.entries(SIM_KINDS).map(([kind, sim]) => [kind, sim.intervalMs])) as Record<DeviceKind, number>
