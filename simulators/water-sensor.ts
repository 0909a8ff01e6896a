// A reservoir water-level station (trạm đo mực nước hồ chứa): a radar level gauge and a
// tipping-bucket rain gauge on a solar-charged 12 V battery. Stations on the same lake
// read the same ReservoirSim, so they agree to within their own noise.
import type { TelemetryOf } from '../gateway/contract/index.js'
import { EventQueue, type DeviceModel } from './model.js'
import { ambientTemperatureC, clamp, daylight, gaussian, localHour, round } from './patterns.js'
import type { ReservoirSim } from './reservoir.js'
import { onlyReboot, RARE_FAULTS_PER_H, SolarUpkeep } from './solar-station.js'

const HOUR_MS = 3_600_000

export { solarBatteryPct } from './solar-station.js'

/** Terminal voltage of a 12 V lead-acid battery: about 11.8 V empty to 13.0 V full, more on charge. */
export function batteryVolts (pct: number, charging: boolean): number {
  return 11.8 + 1.2 * pct / 100 + (charging ? 0.6 : 0)
}

export interface WaterSensorOptions {
  random: () => number
  simNow: number
  reservoir: ReservoirSim
  /** Rare faults per simulated hour; 0 turns them off (tests). */
  sensorFaultsPerH?: number
}

export class WaterSensorModel implements DeviceModel<'water_sensor'> {
  readonly kind = 'water_sensor'
  readonly firmware: string
  readonly model = 'WLR-24-RADAR'
  private readonly events = new EventQueue<'water_sensor'>()
  private readonly random: () => number
  private readonly offsetM: number
  private readonly signalBase: number
  private readonly upkeep: SolarUpkeep
  private rainSeen: number
  private last: number

  constructor (private readonly options: WaterSensorOptions) {
    this.random = options.random
    this.firmware = `2.4.${Math.floor(this.random() * 3)}`
    // Each gauge is levelled to the datum within a centimetre.
    this.offsetM = (this.random() - 0.5) * 0.02
    this.signalBase = -80 - Math.round(this.random() * 25)
    this.upkeep = new SolarUpkeep(this.random, (type, message) => this.events.push(type, message),
      options.sensorFaultsPerH ?? RARE_FAULTS_PER_H, 'Cảm biến radar không có phản hồi / no radar echo')
    this.rainSeen = options.reservoir.advanceTo(options.simNow).rainTotalMm
    this.last = options.simNow
  }

  read (simNow: number): TelemetryOf<'water_sensor'> {
    const dtH = Math.max(0, simNow - this.last) / HOUR_MS
    this.last = simNow
    const lake = this.options.reservoir.advanceTo(simNow)
    // The rain gauge reports what fell since the previous reading.
    const rainMm = Math.max(0, lake.rainTotalMm - this.rainSeen)
    this.rainSeen = lake.rainTotalMm
    const hour = localHour(simNow)
    this.upkeep.advance(simNow, hour, dtH, dtH > 0 ? rainMm / dtH : 0)
    const battery = this.upkeep.battery

    const reading: TelemetryOf<'water_sensor'> = {
      rainMm: round(rainMm, 1),
      batteryPct: round(battery, 1),
      batteryV: round(batteryVolts(battery, daylight(hour) > 0.5), 2),
      signalDbm: Math.round(clamp(this.signalBase + 3 * gaussian(this.random), -150, 0)),
      temperatureC: round(ambientTemperatureC(hour) + 0.3 * gaussian(this.random), 1)
    }
    // A faulty radar sends no level at all rather than a wrong one.
    if (!this.upkeep.faulty(simNow)) reading.levelM = round(lake.levelM + this.offsetM + 0.004 * gaussian(this.random), 3)
    return reading
  }

  readonly drainEvents = (): ReturnType<EventQueue<'water_sensor'>['drain']> => this.events.drain()
  readonly apply = onlyReboot

  boot (simNow: number): void {
    this.last = simNow
  }
}
