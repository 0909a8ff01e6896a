// Small pure helpers the device models share: local time of day, seeded randomness,
// the daily temperature curve, daylight and rare events. Pure so that the shapes the demo
// shows (warm afternoons, dark nights, faults now and then) are unit-tested, not eyeballed.

/** Vietnam keeps UTC+7 all year (no daylight saving), so local time is plain arithmetic. */
export const VIETNAM_UTC_OFFSET_H = 7
const HOUR_MS = 3_600_000

/** Local hour of the day in Vietnam, 0 <= h < 24, fractional. */
export function localHour (simMs: number): number {
  const h = (simMs / HOUR_MS + VIETNAM_UTC_OFFSET_H) % 24
  return h < 0 ? h + 24 : h
}

/** The simulated instant at the given local Vietnamese hour on the day of `simMs`. */
export function atLocalHour (simMs: number, hour: number): number {
  return simMs - localHour(simMs) * HOUR_MS + hour * HOUR_MS
}

/** A repeatable random source (mulberry32): the same seed gives the same fleet every run. */
export function seededRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A 32-bit seed from text (FNV-1a), so each device id gets its own stable personality. */
export function seedOf (text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Standard normal noise (Box-Muller). */
export function gaussian (random: () => number): number {
  const u = Math.max(random(), Number.EPSILON)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

export function clamp (x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x))
}

export function round (x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/**
 * Outdoor air temperature for the hour: coolest near 05:00, warmest near 14:00, with a
 * slow morning rise and a long evening fall, as in central Vietnam's lowlands.
 */
export function ambientTemperatureC (hour: number, meanC = 27, swingC = 7): number {
  const coolest = 5
  const warmest = 14
  const sinceCoolest = (hour - coolest + 24) % 24
  const rise = warmest - coolest
  // 0 at the coolest hour, 1 at the warmest, back to 0 over the remaining hours.
  const phase = sinceCoolest <= rise ? sinceCoolest / rise : 1 + (sinceCoolest - rise) / (24 - rise)
  const shape = (1 - Math.cos(Math.PI * phase)) / 2
  return meanC - swingC / 2 + swingC * shape
}

/** 0 at night, 1 in full day, with a one-hour dawn (05:30-06:30) and dusk (17:30-18:30). */
export function daylight (hour: number): number {
  const ramp = (x: number): number => clamp(x, 0, 1)
  if (hour < 12) return ramp(hour - 5.5)
  return ramp(18.5 - hour)
}

/**
 * Whether a rare event with the given rate per simulated hour happens within dtH hours
 * (a Poisson process: the chance does not depend on how the time is cut into ticks).
 */
export function happens (ratePerHour: number, dtH: number, random: () => number): boolean {
  return random() < 1 - Math.exp(-ratePerHour * Math.max(0, dtH))
}
