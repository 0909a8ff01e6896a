// The reservoir's water balance against the demo inventory's own reservoirs.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { inventoryDevices } from './inventory.js'
import { atLocalHour } from './patterns.js'
import { HEAVY_RAIN, rainfall, showerMmPerH, stormMmPerH } from './rain.js'
import { physicsFor, ReservoirSim, riseCmPerH, spillwayFlowM3s, stepReservoir } from './reservoir.js'

const HOUR = 3_600_000
const start = atLocalHour(Date.UTC(2025, 9, 20), 0)

async function demoReservoirs (): Promise<Array<NonNullable<Awaited<ReturnType<typeof inventoryDevices>>[number]['reservoir']>>> {
  const path = new URL('./inventory/demo-commune.yaml', import.meta.url)
  const devices = inventoryDevices(await readFile(path, 'utf8'), path.pathname)
  const byName = new Map(devices.flatMap((d) => (d.reservoir ? [[d.reservoir.name, d.reservoir] as const] : [])))
  return [...byName.values()]
}

/** Level every 10 simulated minutes for `hours`. */
function run (sim: ReservoirSim, hours: number): Array<{ h: number; levelM: number }> {
  const out: Array<{ h: number; levelM: number }> = []
  for (let h = 0; h <= hours; h += 1 / 6) out.push({ h, levelM: sim.advanceTo(start + h * HOUR).levelM })
  return out
}

const firstAbove = (series: Array<{ h: number; levelM: number }>, level: number): number | undefined =>
  series.find((p) => p.levelM >= level)?.h

describe('reservoir water balance', () => {
  const p = physicsFor({ referenceLevels: { normalM: 30 }, alarmLevels: {} })

  it('spills nothing below the crest and more the higher the water', () => {
    expect(spillwayFlowM3s(29.9, p)).toBe(0)
    expect(spillwayFlowM3s(31, p)).toBeGreaterThan(spillwayFlowM3s(30.5, p))
  })

  it('rises with rain, and only after a lag through the catchment', () => {
    const dry = { levelM: 29.5, inTransitMm: 0, rainTotalMm: 0 }
    const firstTen = stepReservoir(dry, 60, 600, p)
    const third = stepReservoir(stepReservoir(dry, 60, 2 * 3600, p), 60, 600, p)
    const riseEarly = riseCmPerH(dry, firstTen, 600)
    const riseLater = riseCmPerH(stepReservoir(dry, 60, 2 * 3600, p), third, 600)
    expect(riseLater).toBeGreaterThan(5 * riseEarly)
    expect(third.rainTotalMm).toBeCloseTo(130, 5)
  })

  it('falls when the rain stops, through the spillway and the canal release', () => {
    const full = { levelM: 31, inTransitMm: 0, rainTotalMm: 0 }
    expect(stepReservoir(full, 0, 3600, p).levelM).toBeLessThan(31)
  })

  it('takes every demo reservoir through alarm levels I, II and III in order in the heavy-rain scenario', async () => {
    const reservoirs = await demoReservoirs()
    expect(reservoirs).toHaveLength(3)
    for (const r of reservoirs) {
      const { level1M, level2M, level3M } = r.alarmLevels
      if (level1M === undefined || level2M === undefined || level3M === undefined) throw new Error(`${r.name} lacks alarm levels`)
      const series = run(new ReservoirSim(physicsFor(r), rainfall('heavy-rain', start), start), 24)
      const t1 = firstAbove(series, level1M)
      const t2 = firstAbove(series, level2M)
      const t3 = firstAbove(series, level3M)
      expect(series[0]!.levelM, r.name).toBeLessThan(level1M)
      expect(t1, r.name).toBeDefined()
      expect(t2!).toBeGreaterThan(t1!)
      expect(t3!).toBeGreaterThan(t2!)
      // The peak lags the rain, and the lake is going down again by the next day.
      const peak = series.reduce((a, b) => (b.levelM > a.levelM ? b : a))
      expect(peak.h).toBeGreaterThan(HEAVY_RAIN.startH + HEAVY_RAIN.rampH + HEAVY_RAIN.holdH)
      expect(series.at(-1)!.levelM).toBeLessThan(peak.levelM - 1)
      // Heavy, but not the check flood the dam was designed to survive.
      expect(peak.levelM).toBeLessThan(r.referenceLevels.checkFloodM ?? Number.POSITIVE_INFINITY)
    }
  })

  it('stays below alarm level I for three days of ordinary weather', async () => {
    for (const r of await demoReservoirs()) {
      const series = run(new ReservoirSim(physicsFor(r), rainfall('normal', start), start), 72)
      expect(Math.max(...series.map((s) => s.levelM)), r.name).toBeLessThan(r.alarmLevels.level1M!)
    }
  })
})

describe('rain', () => {
  it('builds a storm up, holds it and lets it die away', () => {
    expect(stormMmPerH(0)).toBe(0)
    expect(stormMmPerH(HEAVY_RAIN.startH + HEAVY_RAIN.rampH / 2)).toBeCloseTo(HEAVY_RAIN.peakMmPerH / 2)
    expect(stormMmPerH(HEAVY_RAIN.startH + HEAVY_RAIN.rampH + 1)).toBe(HEAVY_RAIN.peakMmPerH)
    expect(stormMmPerH(24)).toBe(0)
  })

  it('brings ordinary showers in the afternoon only', () => {
    expect(showerMmPerH(atLocalHour(start, 15))).toBeGreaterThan(0)
    expect(showerMmPerH(atLocalHour(start, 8))).toBe(0)
    expect(showerMmPerH(atLocalHour(start, 22))).toBe(0)
  })
})
