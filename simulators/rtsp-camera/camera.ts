// One simulated IP camera that does not speak MQTT: its identity, its credentials and the
// faults a test or a demo can switch on while it runs.
import { randomBytes } from 'node:crypto'
import type { Credentials } from '../../edge/camera-probe/http-auth.js'
import type { SceneView } from './scene.js'

/** Hours (local, UTC+7) a camera sees by infrared: from dusk to dawn. */
export const INFRARED_HOURS = { from: 18, to: 6 }

export interface CameraFaults {
  /** The camera's password was changed behind the gateway's back: it refuses the one it was given. */
  wrongPassword: boolean
  /** The encoder is stuck: RTP keeps flowing with the same frame, same timestamp. */
  frozen: boolean
  /** Hung: connections are accepted, nothing is ever answered. */
  noAnswer: boolean
  /** Every answer (RTSP and HTTP) comes this late. */
  slowMs: number
  /** The camera's clock is this far ahead (negative: behind). */
  clockOffsetS: number
  /** Recording job active (ONVIF GetRecordingJobs Mode). */
  recording: boolean
  /** The snapshot URL answers an HTML error page instead of a JPEG. */
  snapshotBroken: boolean
  /** A bag over it, paint sprayed on the lens, the cap left on: a flat, dark picture. */
  covered: boolean
  /** Out of focus (knocked, or fogged up). */
  blurred: boolean
  /** Turned away from what it was installed to watch. */
  turned: boolean
  /** Its infrared lights are dead: by night the picture is black; by day nothing shows. */
  irFailed: boolean
  /** The snapshot is always the same picture, while the stream may still advance. */
  snapshotStuck: boolean
}

export interface SimCameraSpec {
  id: string
  /** Default: admin / a unique password. `defaultPassword: true` gives admin / 12345 instead. */
  username?: string
  password?: string
  defaultPassword?: boolean
  /** RTSP and snapshot authentication offered: Digest (default, as most cameras) or Basic only. */
  auth?: 'digest' | 'basic'
  fps?: number
  width?: number
  height?: number
  kbps?: number
  manufacturer?: string
  model?: string
  firmware?: string
  faults?: Partial<CameraFaults>
}

export const NO_FAULTS: CameraFaults = {
  wrongPassword: false, frozen: false, noAnswer: false, slowMs: 0, clockOffsetS: 0, recording: true, snapshotBroken: false,
  covered: false, blurred: false, turned: false, irFailed: false, snapshotStuck: false
}

export class SimCamera {
  readonly id: string
  readonly credentials: Credentials
  readonly auth: 'digest' | 'basic'
  readonly fps: number
  readonly width: number
  readonly height: number
  readonly kbps: number
  readonly manufacturer: string
  readonly model: string
  readonly firmware: string
  readonly realm: string
  faults: CameraFaults

  constructor (spec: SimCameraSpec) {
    this.id = spec.id
    this.credentials = spec.defaultPassword
      ? { username: 'admin', password: '12345' }
      : { username: spec.username ?? 'admin', password: spec.password ?? `Cam-${randomBytes(6).toString('hex')}` }
    this.auth = spec.auth ?? 'digest'
    this.fps = spec.fps ?? 25
    this.width = spec.width ?? 1920
    this.height = spec.height ?? 1080
    this.kbps = spec.kbps ?? 512
    this.manufacturer = spec.manufacturer ?? 'HIKVISION'
    this.model = spec.model ?? 'DS-2CD1023G0-IU'
    this.firmware = spec.firmware ?? 'V5.7.3 build 220112'
    this.realm = `IP Camera(${this.id})`
    this.faults = { ...NO_FAULTS, ...spec.faults }
  }

  /** The credentials the camera accepts right now. */
  accepted (): Credentials {
    return this.faults.wrongPassword ? { ...this.credentials, password: this.credentials.password + '-changed' } : this.credentials
  }

  /** The camera's own clock, ms. */
  now (): number {
    return Date.now() + this.faults.clockOffsetS * 1000
  }

  /** What its snapshot shows now: the faults first, then night or day by its own clock. */
  view (): SceneView {
    const f = this.faults
    const hour = ((this.now() / 3_600_000) + 7) % 24
    const night = hour >= INFRARED_HOURS.from || hour < INFRARED_HOURS.to
    if (f.covered) return night && !f.irFailed ? 'coveredLit' : 'covered'
    if (f.blurred) return 'blurred'
    if (f.turned) return 'turned'
    if (!night) return 'day'
    return f.irFailed ? 'irFailed' : 'night'
  }

  /** Waits for the slow fault, if any; never resolves for a hung camera. */
  async answerDelay (): Promise<void> {
    if (this.faults.noAnswer) return new Promise(() => undefined)
    if (this.faults.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, this.faults.slowMs))
  }
}
