// A security camera (camera an ninh trật tự) with its own SD card or NVR share: colour by
// day, infrared by night (fewer frames, lower bitrate for a still monochrome scene), loop
// recording that keeps the storage nearly full, and the failures police care about: a
// stream that dies, storage that fails so recording stops, a lens covered at night.
import type { TelemetryOf } from '../gateway/contract/index.js'
import { EventQueue, type CommandOutcome, type DeviceModel } from './model.js'
import { INFRARED_HOURS } from './rtsp-camera/camera.js'
import { Scenes } from './rtsp-camera/scene.js'
import { ambientTemperatureC, clamp, daylight, gaussian, happens, localHour, round } from './patterns.js'

const HOUR_MS = 3_600_000

/** Bitrate for the hour: a busy colour scene by day, a quiet infrared one by night. */
export function cameraBitrateKbps (hour: number, dayKbps: number): number {
  const night = 0.45 * dayKbps
  return night + (dayKbps - night) * daylight(hour)
}

/** In low light the sensor exposes longer, so the camera drops its frame rate. */
export function cameraFps (hour: number, nominalFps: number): number {
  const night = Math.max(10, Math.round(nominalFps * 0.6))
  return night + (nominalFps - night) * daylight(hour)
}

/** Loop recording: the card fills to its high-water mark, then the oldest footage is overwritten. */
export function storageUsedAfter (usedPct: number, dtH: number, fillPctPerH: number, highWaterPct = 96): number {
  return Math.min(highWaterPct, usedPct + fillPctPerH * dtH)
}

/** Cameras on a pole in the sun run well above the air around them. */
export function cameraTemperatureC (hour: number): number {
  return ambientTemperatureC(hour) + 6 + 10 * daylight(hour)
}

export interface CameraOptions {
  random: () => number
  simNow: number
  /** Rare faults per simulated hour; 0 turns them off (tests). */
  streamLossesPerH?: number
  storageFailuresPerH?: number
  tampersPerH?: number
}

type Storage = 'ok' | 'degraded' | 'failed'

/** Drawn once per view for every simulated MQTT camera of the process. */
const SCENES = new Scenes()

export class CameraModel implements DeviceModel<'camera'> {
  readonly kind = 'camera'
  readonly firmware: string
  readonly model = 'IPC-T2M-IR'
  private readonly events = new EventQueue<'camera'>()
  private readonly random: () => number
  private readonly dayKbps: number
  private readonly nominalFps: number
  private readonly fillPctPerH: number
  private readonly defaultPassword: boolean
  private used: number
  private streamDownUntil = 0
  private storage: Storage = 'ok'
  private storageChangesAt = 0
  private tamperUntil = 0
  private recordingStoppedAt: number | null = null
  private bootAt: number
  private last: number
  private snapshots = 0

  constructor (private readonly options: CameraOptions) {
    this.random = options.random
    this.firmware = `5.7.${3 + Math.floor(this.random() * 3)}`
    this.dayKbps = [1536, 2048, 3072][Math.floor(this.random() * 3)] ?? 2048
    this.nominalFps = this.random() < 0.7 ? 25 : 15
    this.fillPctPerH = 0.3 + this.random() * 0.5
    // About one camera in twenty still has the factory password (QCVN 135:2024 flags it).
    this.defaultPassword = this.random() < 0.05
    this.used = 30 + this.random() * 66
    this.bootAt = options.simNow
    this.last = options.simNow
  }

  read (simNow: number): TelemetryOf<'camera'> {
    const dtH = Math.max(0, simNow - this.last) / HOUR_MS
    this.last = simNow
    const hour = localHour(simNow)
    this.rareFaults(simNow, hour, dtH)

    const streamAlive = simNow >= this.streamDownUntil
    const tampered = simNow < this.tamperUntil
    const recording = streamAlive && this.storage !== 'failed'
    this.trackRecording(recording, simNow)
    if (recording) this.used = storageUsedAfter(this.used, dtH, this.fillPctPerH)
    // A covered lens sees a still, dark picture: the encoder has almost nothing to send.
    const kbps = cameraBitrateKbps(hour, this.dayKbps) * (tampered ? 0.2 : 1) * (1 + 0.08 * gaussian(this.random))

    return {
      streamAlive,
      fps: streamAlive ? round(clamp(cameraFps(hour, this.nominalFps) + 0.3 * gaussian(this.random), 1, 240), 1) : 0,
      bitrateKbps: streamAlive ? round(Math.max(50, kbps), 0) : 0,
      recording,
      recordingGapS: this.recordingStoppedAt === null ? 0 : Math.min(86400, Math.floor((simNow - this.recordingStoppedAt) / 1000)),
      storageUsedPct: round(this.used, 1),
      storageState: this.storage,
      tamper: tampered,
      defaultPassword: this.defaultPassword,
      temperatureC: round(cameraTemperatureC(hour) + 0.4 * gaussian(this.random), 1),
      uptimeS: Math.floor((simNow - this.bootAt) / 1000)
    }
  }

  drainEvents (): ReturnType<EventQueue<'camera'>['drain']> {
    return this.events.drain()
  }

  /** The drawn crossroads of the RTSP simulator (rtsp-camera/scene.ts): by day, by night in infrared, or covered while tampered. */
  snapshot (simNow: number): Promise<Buffer> {
    const hour = localHour(simNow)
    const night = hour >= INFRARED_HOURS.from || hour < INFRARED_HOURS.to
    const view = simNow < this.tamperUntil ? (night ? 'coveredLit' : 'covered') : night ? 'night' : 'day'
    return SCENES.picture(view, this.snapshots++)
  }

  /** Cameras take no command but reboot and snapshot, which the device carries out itself. */
  apply (_command: never): CommandOutcome {
    return { status: 'failed', reason: 'no such command' }
  }

  boot (simNow: number): void {
    this.bootAt = simNow
    this.last = simNow
  }

  private trackRecording (recording: boolean, simNow: number): void {
    if (!recording && this.recordingStoppedAt === null) {
      this.recordingStoppedAt = simNow
      this.events.push('recording_stopped')
    } else if (recording && this.recordingStoppedAt !== null) {
      this.recordingStoppedAt = null
      this.events.push('recording_started')
    }
  }

  private rareFaults (simNow: number, hour: number, dtH: number): void {
    const streamWasDown = this.streamDownUntil > 0
    if (streamWasDown && simNow >= this.streamDownUntil) {
      this.streamDownUntil = 0
      this.events.push('stream_restored')
    } else if (!streamWasDown && happens(this.options.streamLossesPerH ?? 1 / 360, dtH, this.random)) {
      this.streamDownUntil = simNow + (5 + 55 * this.random()) * 60_000
      this.events.push('stream_lost', 'Luồng hình không còn khung mới / frames stopped advancing')
    }

    // A failing card degrades for a few hours, then fails until a technician replaces it.
    if (this.storage !== 'ok' && simNow >= this.storageChangesAt) {
      if (this.storage === 'degraded') {
        this.storage = 'failed'
        this.storageChangesAt = simNow + (6 + 18 * this.random()) * HOUR_MS
        this.events.push('storage_error', 'Thẻ nhớ hỏng / storage failed')
      } else {
        this.storage = 'ok'
        this.used = 0
      }
    } else if (this.storage === 'ok' && happens(this.options.storageFailuresPerH ?? 1 / 1440, dtH, this.random)) {
      this.storage = 'degraded'
      this.storageChangesAt = simNow + (1 + 3 * this.random()) * HOUR_MS
      this.events.push('storage_error', 'Lỗi ghi thẻ nhớ / storage write errors')
    }

    // Intruders cover a camera at night far more often than by day.
    const tamperRate = (this.options.tampersPerH ?? 1 / 2160) * (daylight(hour) < 0.5 ? 3 : 1)
    if (this.tamperUntil > 0 && simNow >= this.tamperUntil) {
      this.tamperUntil = 0
      this.events.push('tamper_cleared')
    } else if (this.tamperUntil === 0 && happens(tamperRate, dtH, this.random)) {
      this.tamperUntil = simNow + (10 + 50 * this.random()) * 60_000
      this.events.push('tamper', 'Ống kính bị che / lens covered')
    }
  }
}
