// Two times run side by side in a simulation. Real time stamps every message, because the
// gateway files readings under the device clock only when it is close to its own (a clock
// running 60 x fast would be refused as "future"). Simulated time drives the models, so a
// demo at speed 60 shows a whole evening programme or a flood rising within minutes.

export interface SimClock {
  /** Real milliseconds since the epoch: the "ts" on the wire. */
  now(): number
  /** Simulated milliseconds since the epoch: what the models live in. */
  simNow(): number
  /** Simulated milliseconds per real millisecond. */
  readonly speed: number
}

export interface SimClockOptions {
  speed?: number
  /** The simulated instant at start; defaults to the real start time. */
  simStart?: number
  now?: () => number
}

export function simClock (options: SimClockOptions = {}): SimClock {
  const now = options.now ?? Date.now
  const speed = options.speed ?? 1
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`)
  const realStart = now()
  const simStart = options.simStart ?? realStart
  return {
    now,
    simNow: () => simStart + (now() - realStart) * speed,
    speed
  }
}
