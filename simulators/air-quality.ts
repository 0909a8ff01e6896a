// An air-quality station (trạm quan trắc không khí): a small cabinet with a particle counter
// for PM2.5 and PM10, electrochemical cells for CO, NO2, SO2 and O3, a temperature and
// humidity probe, on a solar-charged battery like the water stations. It reports every
// pollutant in µg/m³, as VN_AQI takes them. The air itself is air-pollution.ts.
import type { TelemetryOf } from '../gateway/contract/index.js'
import { POLLUTANT_FIELDS } from '../gateway/aqi/fields.js'
import { airAt, smokeOver } from './air-pollution.js'
import { EventQueue, type DeviceModel } from './model.js'
import type { ScenarioName } from './scenario.js'
import { ambientTemperatureC, clamp, gaussian, localHour, round } from './patterns.js'
import { onlyReboot, RARE_FAULTS_PER_H, SolarUpkeep } from './solar-station.js'

const HOUR_MS = 3_600_000

/** Relative humidity: near saturation before dawn, lowest in the warm afternoon, wetter in smoke-free still air. */
export function humidityPct (hour: number): number {
  return clamp(78 + 14 * Math.cos(2 * Math.PI * (hour - 4) / 24), 35, 100)
}

export interface AirStationOptions {
  random: () => number
  simNow: number
  /** Extra PM2.5 from smoke, µg/m³, at a simulated instant (the scenario's). */
  smoke?: (simMs: number) => number
  /** Traffic share of this site: 1 by the road, less by the school yard. */
  site?: number
  /** Rare analyser faults per simulated hour; 0 turns them off (tests). */
  sensorFaultsPerH?: number
}

export class AirStationModel implements DeviceModel<'air_quality'> {
  readonly kind = 'air_quality'
  readonly firmware: string
  readonly model = 'AQS-6G'
  private readonly events = new EventQueue<'air_quality'>()
  private readonly random: () => number
  /** The battery, and the particle counter's fan that stalls now and then. */
  private readonly upkeep: SolarUpkeep
  private last: number

  constructor (private readonly options: AirStationOptions) {
    this.random = options.random
    this.firmware = `1.3.${Math.floor(this.random() * 4)}`
    this.upkeep = new SolarUpkeep(this.random, (type, message) => this.events.push(type, message),
      options.sensorFaultsPerH ?? RARE_FAULTS_PER_H, 'Quạt máy đếm bụi ngừng / particle counter fan stalled')
    this.last = options.simNow
  }

  read (simNow: number): TelemetryOf<'air_quality'> {
    const dtH = Math.max(0, simNow - this.last) / HOUR_MS
    this.last = simNow
    const hour = localHour(simNow)
    this.upkeep.advance(simNow, hour, dtH)
    const air = airAt(hour, this.options.smoke?.(simNow) ?? 0, this.options.site ?? 1)
    // Each analyser reads within a few per cent of the truth.
    const noisy = (v: number, digits: number): number => round(Math.max(0, v * (1 + 0.04 * gaussian(this.random))), digits)
    const reading: TelemetryOf<'air_quality'> = {
      [POLLUTANT_FIELDS.co]: noisy(air.co, 0),
      [POLLUTANT_FIELDS.no2]: noisy(air.no2, 1),
      [POLLUTANT_FIELDS.so2]: noisy(air.so2, 1),
      [POLLUTANT_FIELDS.o3]: noisy(air.o3, 1),
      temperatureC: round(ambientTemperatureC(hour, 24, 8) + 0.3 * gaussian(this.random), 1),
      humidityPct: round(humidityPct(hour) + gaussian(this.random), 1),
      batteryPct: round(this.upkeep.battery, 1)
    }
    // A stalled counter sends no particles rather than wrong ones.
    if (!this.upkeep.faulty(simNow)) {
      reading[POLLUTANT_FIELDS.pm25] = noisy(air.pm25, 1)
      reading[POLLUTANT_FIELDS.pm10] = noisy(air.pm10, 1)
    }
    return reading
  }

  readonly drainEvents = (): ReturnType<EventQueue<'air_quality'>['drain']> => this.events.drain()
  readonly apply = onlyReboot

  boot (simNow: number): void {
    this.last = simNow
  }
}

/** In the straw-smoke scenario the fields were lit this long before the start: the demo opens in the smoke. */
export const SMOKE_LIT_BEFORE_H = 2.5

/**
 * A station of the fleet (simulators/kinds.ts): its site's share of the traffic, and in the
 * straw-smoke scenario the smoke of fields lit SMOKE_LIT_BEFORE_H before the scenario started.
 */
export function airStationFor (input: { random: () => number; simNow: number; faults: boolean; scenario?: ScenarioName; scenarioStart?: number }): AirStationModel {
  const start = input.scenarioStart ?? input.simNow
  const smoke = smokeOver(input.scenario === 'straw-smoke' ? 'straw-smoke' : 'none', start - SMOKE_LIT_BEFORE_H * HOUR_MS)
  // A station by the market road sees more traffic than one by the school yard.
  const site = 0.6 + 0.8 * input.random()
  return new AirStationModel({ random: input.random, simNow: input.simNow, smoke, site, ...(input.faults ? {} : { sensorFaultsPerH: 0 }) })
}
