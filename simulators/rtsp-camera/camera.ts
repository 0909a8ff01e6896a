// One simulated IP camera that does not speak MQTT: its identity, its credentials and the
// faults a test or a demo can switch on while it runs.
import { randomBytes } from 'node:crypto'
import type { Credentials } from '../../edge/camera-probe/http-auth.js'

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
  wrongPassword: false, frozen: false, noAnswer: false, slowMs: 0, clockOffsetS: 0, recording: true, snapshotBroken: false
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

  /** Waits for the slow fault, if any; never resolves for a hung camera. */
  async answerDelay (): Promise<void> {
    if (this.faults.noAnswer) return new Promise(() => undefined)
    if (this.faults.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, this.faults.slowMs))
  }
}
