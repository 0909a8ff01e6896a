// A loudspeaker cluster (cụm loa truyền thanh thông minh): plays the commune's morning and
// evening programmes on schedule, obeys set_volume and stop, warms up when it plays and in
// the sun, loses mains power now and then (running on its battery) and, rarely, its amplifier.
import type { TelemetryOf } from '../gateway/contract/index.js'
import { EventQueue, type CommandOutcome, type DeviceModel, type ModelCommandOf } from './model.js'
import { ambientTemperatureC, clamp, daylight, gaussian, happens, localHour, round, VIETNAM_UTC_OFFSET_H } from './patterns.js'

const HOUR_MS = 3_600_000

export interface Slot {
  /** Local minutes after midnight. */
  from: number
  to: number
  playing: 'bulletin' | 'radio'
  item: string
}

/**
 * A commune's usual day on the loudspeakers: a bulletin from the People's Committee and a
 * relay of the national station around 06:00, and again around 17:00.
 */
export const DAILY_PROGRAMME: readonly Slot[] = [
  { from: 6 * 60, to: 6 * 60 + 15, playing: 'bulletin', item: 'Bản tin sáng UBND xã' },
  { from: 6 * 60 + 15, to: 6 * 60 + 45, playing: 'radio', item: 'Tiếp sóng Đài Tiếng nói Việt Nam (VOV1)' },
  { from: 17 * 60, to: 17 * 60 + 20, playing: 'bulletin', item: 'Bản tin chiều: thông tin của xã' },
  { from: 17 * 60 + 20, to: 18 * 60, playing: 'radio', item: 'Tiếp sóng Đài Phát thanh - Truyền hình tỉnh' }
]

/** The programme slot on air at this local hour, if any. */
export function slotAt (hour: number, programme: readonly Slot[] = DAILY_PROGRAMME): Slot | null {
  const minute = hour * 60
  return programme.find((s) => minute >= s.from && minute < s.to) ?? null
}

/** Names one airing of a slot (day and start), so "stop" silences that airing and not tomorrow's. */
export function airingKey (simMs: number, slot: Slot): string {
  const day = Math.floor((simMs / HOUR_MS + VIETNAM_UTC_OFFSET_H) / 24)
  return `${day}:${slot.from}`
}

/** Inside the enclosure on its pole: ambient, plus sun on the box, plus the amplifier's heat. */
export function speakerTemperatureC (hour: number, playing: boolean, volume: number): number {
  return ambientTemperatureC(hour) + 2 + 5 * daylight(hour) + (playing ? 3 + 8 * volume / 100 : 0)
}

/** Battery percent per hour: charged from the mains, drained harder while playing. */
export function batteryRatePctPerH (mains: boolean, playing: boolean): number {
  if (mains) return 25
  return playing ? -15 : -3
}

export interface SpeakerOptions {
  random: () => number
  simNow: number
  lat?: number
  lon?: number
  /** Rare faults per simulated hour; 0 turns them off (tests). */
  amplifierFaultsPerH?: number
  mainsLossesPerH?: number
}

export class SpeakerModel implements DeviceModel<'speaker'> {
  readonly kind = 'speaker'
  readonly firmware: string
  readonly model = 'LTT-4G-200W'
  private readonly events = new EventQueue<'speaker'>()
  private readonly random: () => number
  private readonly signalBase: number
  private volume: number
  private stoppedAiring: string | null = null
  private amplifierFault = false
  private faultEndsAt = 0
  private mains = true
  private scheduledMainsBack = Number.POSITIVE_INFINITY
  private battery = 100
  private bootAt: number
  private last: number

  constructor (private readonly options: SpeakerOptions) {
    this.random = options.random
    this.firmware = `3.2.${Math.floor(this.random() * 4)}`
    this.signalBase = -65 - Math.round(this.random() * 30)
    this.volume = 60 + 5 * Math.floor(this.random() * 5)
    this.bootAt = options.simNow
    this.last = options.simNow
  }

  read (simNow: number): TelemetryOf<'speaker'> {
    const dtH = Math.max(0, simNow - this.last) / HOUR_MS
    this.last = simNow
    const hour = localHour(simNow)
    const slot = slotAt(hour)
    const on = slot !== null && airingKey(simNow, slot) !== this.stoppedAiring ? slot : null
    this.rareFaults(simNow, dtH)
    this.battery = clamp(this.battery + batteryRatePctPerH(this.mains, on !== null) * dtH, 5, 100)

    const reading: TelemetryOf<'speaker'> = {
      volume: this.volume,
      playing: on?.playing ?? 'none',
      amplifierFault: this.amplifierFault,
      powerFault: !this.mains,
      batteryPct: round(this.battery, 1),
      signalDbm: Math.round(clamp(this.signalBase + 3 * gaussian(this.random), -150, 0)),
      temperatureC: round(speakerTemperatureC(hour, on !== null, this.volume) + 0.3 * gaussian(this.random), 1),
      uptimeS: Math.floor((simNow - this.bootAt) / 1000)
    }
    if (on) {
      reading.playingItem = on.item
      reading.playingPriority = 'routine'
    }
    if (this.options.lat !== undefined && this.options.lon !== undefined) {
      // A few metres of GPS wander, as real trackers report.
      reading.lat = round(this.options.lat + 0.00003 * gaussian(this.random), 6)
      reading.lon = round(this.options.lon + 0.00003 * gaussian(this.random), 6)
    }
    return reading
  }

  /** Mains power lost or back (the power-cut scenario, or a rare local fault). */
  setMains (on: boolean): void {
    if (on === this.mains) return
    this.mains = on
    this.scheduledMainsBack = Number.POSITIVE_INFINITY
    this.events.push(on ? 'power_restored' : 'power_lost')
  }

  drainEvents (): ReturnType<EventQueue<'speaker'>['drain']> {
    return this.events.drain()
  }

  apply (command: ModelCommandOf<'speaker'>, simNow: number): CommandOutcome {
    switch (command.name) {
      case 'set_volume':
        this.volume = command.params.volume
        return { status: 'done' }
      case 'stop': {
        // Stopping silences the airing in progress; the next scheduled one plays as usual.
        const slot = slotAt(localHour(simNow))
        if (slot) this.stoppedAiring = airingKey(simNow, slot)
        return { status: 'done' }
      }
    }
  }

  boot (simNow: number): void {
    this.bootAt = simNow
    this.last = simNow
  }

  private rareFaults (simNow: number, dtH: number): void {
    if (this.amplifierFault && simNow >= this.faultEndsAt) {
      this.amplifierFault = false
      this.events.push('amplifier_restored', 'Đã thay âm ly / amplifier replaced')
    } else if (!this.amplifierFault && happens(this.options.amplifierFaultsPerH ?? 1 / 720, dtH, this.random)) {
      this.amplifierFault = true
      this.faultEndsAt = simNow + (2 + 6 * this.random()) * HOUR_MS
      this.events.push('amplifier_fault', 'Âm ly không có tín hiệu ra / no amplifier output')
    }
    if (!this.mains && simNow >= this.scheduledMainsBack) this.setMains(true)
    else if (this.mains && happens(this.options.mainsLossesPerH ?? 1 / 240, dtH, this.random)) {
      this.setMains(false)
      this.scheduledMainsBack = simNow + (0.5 + 2.5 * this.random()) * HOUR_MS
    }
  }
}
