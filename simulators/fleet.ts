// A whole commune of simulated devices from an inventory file: every camera, loudspeaker
// and water-level station connects with its own credentials and speaks the contract.
//
//   npm run fleet -- --inventory simulators/inventory/demo-commune.yaml \
//     --credentials secrets.json --url mqtt://localhost:1883 --scenario heavy-rain --speed 120
//
// Importing this module starts nothing; the command line lives in fleet-cli.ts.
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { DeviceKind } from '../gateway/contract/index.js'
import { simClock, type SimClock } from './clock.js'
import { SimDevice, type SimDeviceOptions } from './device.js'
import type { InventoryDevice } from './inventory.js'
import { seededRandom, seedOf } from './patterns.js'
import { rainfall } from './rain.js'
import { physicsFor, ReservoirSim } from './reservoir.js'
import { BASE_INTERVAL_MS, simKindOf, type Member } from './kinds.js'
import { rainScenarioOf, runScenario, type ScenarioName } from './scenario.js'

export { BASE_INTERVAL_MS } from './kinds.js'

export interface FleetOptions {
  /** mqtt://host:port of the gateway's broker. */
  url: string
  devices: readonly InventoryDevice[]
  /** Secret of each device, by id. */
  credentials: Readonly<Record<string, string>>
  scenario?: ScenarioName
  /** Simulated time runs this many times faster than real time (default 1). */
  speed?: number
  /** Simulated start instant (default now): e.g. 05:50 local to see the morning programme. */
  simStart?: number
  /**
   * Real milliseconds between readings, per kind. Default: the real devices' interval
   * divided by the speed, but never below one second.
   */
  intervalsMs?: Partial<Record<DeviceKind, number>>
  keepaliveS?: number
  /** Real milliseconds between two devices' first connects, so 138 devices do not stampede. */
  staggerMs?: number
  rebootMs?: number
  /** Rare faults at their natural rates (default true); tests turn them off. */
  faults?: boolean
  /** Seed for every device's personality (default 1): the same seed gives the same fleet. */
  seed?: number
  /** Loudspeakers: the share of bulletins that fail to play (0 to 1). */
  playFailShare?: number
  /** Loudspeakers: the share of clusters that stay switched off (0 to 1), chosen by the seed. */
  speakerOfflineShare?: number
  onError?: (deviceId: string, err: Error) => void
}

export interface FleetCounts {
  connected: number
  total: number
  /** Messages acknowledged by the broker, since the start. */
  published: number
  /** Commands received, since the start. */
  commands: number
}

export interface Fleet {
  stop(): Promise<void>
  counts(): FleetCounts
  /** One simulated device, to break or stop it by hand (tests, demos). */
  device(id: string): Member['sim'] | undefined
  readonly clock: SimClock
}

export function intervalFor (kind: DeviceKind, speed: number, override?: number): number {
  return override ?? Math.max(1000, BASE_INTERVAL_MS[kind] / speed)
}

export function startFleet (options: FleetOptions): Fleet {
  const missing = options.devices.filter((d) => options.credentials[d.id] === undefined).map((d) => d.id)
  if (missing.length > 0) throw new Error(`no secret for ${missing.length} device(s): ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}`)
  const speed = options.speed ?? 1
  const clock = simClock(options.simStart === undefined ? { speed } : { speed, simStart: options.simStart })
  const scenario = options.scenario ?? 'normal'
  const seed = options.seed ?? 1
  const rain = rainfall(rainScenarioOf(scenario), clock.simNow())
  const reservoirs = new Map<string, ReservoirSim>()
  const reservoirOf = (d: InventoryDevice): ReservoirSim => {
    // Stations on one lake share it; a station with no reservoir entry gets its own.
    const key = d.reservoir?.name ?? `#${d.id}`
    let sim = reservoirs.get(key)
    if (!sim) {
      sim = new ReservoirSim(physicsFor(d.reservoir ?? { referenceLevels: {}, alarmLevels: {} }), rain, clock.simNow())
      reservoirs.set(key, sim)
    }
    return sim
  }

  const members = options.devices.map((d) => member(d, clock, reservoirOf, options, seed))
  const timers: NodeJS.Timeout[] = []
  const offline = seededRandom(seed ^ 0x5eed)
  members.forEach((m, i) => {
    if (m.kind === 'speaker' && offline() < (options.speakerOfflineShare ?? 0)) return
    const t = setTimeout(() => m.sim.start(), i * (options.staggerMs ?? 25))
    timers.push(t)
  })
  const running = runScenario(scenario, members, clock, seededRandom(seed))

  return {
    clock,
    device: (id) => members.find((m) => m.sim.id === id)?.sim,
    counts: () => ({
      connected: members.filter((m) => m.sim.connected).length,
      total: members.length,
      published: members.reduce((n, m) => n + m.sim.stats.published, 0),
      commands: members.reduce((n, m) => n + m.sim.stats.commands, 0)
    }),
    stop: async () => {
      for (const t of timers) clearTimeout(t)
      running.stop()
      await Promise.all(members.map((m) => m.sim.stop()))
    }
  }
}

function member (
  d: InventoryDevice, clock: SimClock, reservoirOf: (d: InventoryDevice) => ReservoirSim, options: FleetOptions, seed: number
): Member {
  const random = seededRandom(seedOf(d.id) ^ seed)
  const kind = simKindOf(d.kind)
  // A kind in real time runs on its own clock, from the first hour its logger sends (kinds.ts).
  const own = kind.realTime ? simClock({ now: () => clock.now() }) : clock
  const start = own.simNow()
  const simNow = kind.realTime ? start - kind.realTime.loggedHours * 3_600_000 : start
  const deviceOptions: SimDeviceOptions = {
    url: options.url,
    secret: options.credentials[d.id] ?? '',
    clock: own,
    intervalMs: intervalFor(d.kind, own.speed, options.intervalsMs?.[d.kind]),
    random,
    ...(kind.realTime ? { history: { fromSimMs: simNow, everySimMs: kind.intervalMs } } : {}),
    ...(options.keepaliveS !== undefined ? { keepaliveS: options.keepaliveS } : {}),
    ...(options.rebootMs !== undefined ? { rebootMs: options.rebootMs } : {}),
    ...(options.playFailShare !== undefined ? { playFailShare: options.playFailShare } : {}),
    onError: (err) => options.onError?.(d.id, err)
  }
  const model = kind.model({
    device: d, random, simNow, faults: options.faults !== false, reservoir: () => reservoirOf(d), scenario: options.scenario ?? 'normal', scenarioStart: start
  })
  return { kind: d.kind, village: d.village, sim: new SimDevice(d.id, model, deviceOptions) } as Member
}

function isMain (): boolean {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href
  } catch {
    return false
  }
}

// No top-level await here: fleet-cli imports this module, and awaiting it from inside this
// module's own evaluation would be an import cycle that never settles.
if (isMain()) {
  import('./fleet-cli.js')
    .then(({ main }) => main(process.argv.slice(2)))
    .then((code) => { process.exitCode = code }, (err: unknown) => { console.error(err); process.exitCode = 1 })
}
