// What a solar-powered station does besides measuring, whatever it measures (the water-level
// and the air-quality stations): its battery charges by day and drains by night, a low battery
// is reported once (with hysteresis), and now and then its sensor gives nothing for 10 to 60
// minutes. Simulated time throughout.
import type { CommandOutcome } from './model.js'
import { clamp, daylight, happens } from './patterns.js'

/**
 * Battery percent after dtH hours: the logger draws about 2 %/h; the panel gives up to
 * 4.5 %/h in full sun, much less under storm clouds.
 */
export function solarBatteryPct (pct: number, hour: number, dtH: number, rainMmPerH: number): number {
  const sun = daylight(hour) * (rainMmPerH > 5 ? 0.3 : 1)
  return clamp(pct + (4.5 * sun - 2) * dtH, 0, 100)
}

export type UpkeepEvent = 'low_battery' | 'sensor_fault'

export class SolarUpkeep {
  battery: number
  private lowBatteryReported = false
  private faultUntil = 0

  constructor (
    private readonly random: () => number,
    private readonly report: (type: UpkeepEvent, message: string) => void,
    /** Rare sensor faults per simulated hour (default one in 90 days); 0 turns them off. */
    private readonly faultsPerH: number,
    private readonly faultMessage: string
  ) {
    this.battery = 60 + random() * 35
  }

  /** `dtH` hours later, at local `hour`, under `rainMmPerH` of rain. */
  advance (simNow: number, hour: number, dtH: number, rainMmPerH = 0): void {
    this.battery = solarBatteryPct(this.battery, hour, dtH, rainMmPerH)
    // Hysteresis, so a battery hovering at the threshold does not report every reading.
    if (!this.lowBatteryReported && this.battery < 20) {
      this.lowBatteryReported = true
      this.report('low_battery', `Pin yếu / battery low: ${Math.round(this.battery)} %`)
    } else if (this.battery > 30) {
      this.lowBatteryReported = false
    }
    if (simNow >= this.faultUntil && happens(this.faultsPerH, dtH, this.random)) {
      this.faultUntil = simNow + (10 + 50 * this.random()) * 60_000
      this.report('sensor_fault', this.faultMessage)
    }
  }

  /** Whether the sensor gives nothing at `simNow`. */
  faulty (simNow: number): boolean {
    return simNow < this.faultUntil
  }
}

export const RARE_FAULTS_PER_H = 1 / 2160

/** Stations take no command but reboot, which the device carries out itself (device.ts). */
export const onlyReboot = (_command: never): CommandOutcome => ({ status: 'failed', reason: 'no such command' })
