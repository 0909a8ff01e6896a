// Rate of rise of each water-level station, in cm/h: the least-squares slope of the last
// hour of readings. A slope over several readings, not the last two, so one noisy reading
// does not make the reservoir look like it is surging. Readings are kept one per minute (the
// latest of each minute): a station sends every few minutes, and a flood of readings (a
// bench, a replayed backlog) must not make every reading cost more than the last.
const WINDOW_MS = 3_600_000
const BUCKET_MS = 60_000
/** Fewer readings, or a shorter span, says nothing reliable about a trend. */
const MIN_POINTS = 3
const MIN_SPAN_MS = 10 * 60_000

interface Station { samples: Array<{ ts: number; value: number }>; slope: number | null | undefined }

export class LevelTrends {
  private readonly stations = new Map<string, Station>()

  add (deviceId: string, ts: number, value: number): void {
    let station = this.stations.get(deviceId)
    if (!station) this.stations.set(deviceId, (station = { samples: [], slope: null }))
    const list = station.samples
    // Readings mostly arrive in order; a late one is put in its place, or replaces its minute's.
    let i = list.length
    while (i > 0 && list[i - 1]!.ts > ts) i--
    const before = list[i - 1]
    if (before && Math.floor(before.ts / BUCKET_MS) === Math.floor(ts / BUCKET_MS)) list[i - 1] = { ts, value }
    else list.splice(i, 0, { ts, value })
    const newest = list[list.length - 1]!.ts
    while (list.length > 0 && list[0]!.ts < newest - WINDOW_MS) list.shift()
    station.slope = undefined
  }

  /** cm/h over the last hour, or null when there is too little to tell. */
  cmPerHour (deviceId: string): number | null {
    const station = this.stations.get(deviceId)
    if (!station) return null
    if (station.slope === undefined) station.slope = slopeCmPerH(station.samples)
    return station.slope
  }

  remembers (deviceId: string): boolean {
    return this.stations.has(deviceId)
  }

  forget (deviceId: string): void {
    this.stations.delete(deviceId)
  }
}

function slopeCmPerH (list: ReadonlyArray<{ ts: number; value: number }>): number | null {
  if (list.length < MIN_POINTS || list[list.length - 1]!.ts - list[0]!.ts < MIN_SPAN_MS) return null
  const t0 = list[0]!.ts
  const n = list.length
  let sx = 0; let sy = 0; let sxx = 0; let sxy = 0
  for (const { ts, value } of list) {
    const x = (ts - t0) / 3_600_000
    sx += x; sy += value; sxx += x * x; sxy += x * value
  }
  const slopeMPerH = (n * sxy - sx * sy) / (n * sxx - sx * sx)
  return Math.round(slopeMPerH * 1000) / 10
}

/**
 * Hours until a level rising at `cmPerHour` reaches `targetM`; null when it is not rising
 * or already there.
 */
export function hoursUntil (currentM: number, targetM: number, cmPerHour: number | null): number | null {
  if (cmPerHour === null || cmPerHour <= 0 || currentM >= targetM) return null
  return (targetM - currentM) * 100 / cmPerHour
}
