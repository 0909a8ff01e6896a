// How edge probes reach a camera that speaks RTSP/ONVIF instead of MQTT (issue #6): its RTSP
// URL, optional ONVIF and snapshot URLs, and its login. The password is sealed at rest and
// leaves this module only toward the probe: the API sees `passwordSet`, logs see nothing.
import type { Statement } from 'better-sqlite3'
import { z } from 'zod'
import { describeIssues } from '../contract/index.js'
import type { Db } from '../db/database.js'
import { notFound, validationError } from '../errors.js'
import type { Registry } from './registry.js'
import type { SealedBox } from './sealed-box.js'

/** What the probe needs of one camera (password opened). */
export interface CameraEndpoint {
  deviceId: string
  rtspUrl: string
  onvifUrl: string | null
  snapshotUrl: string | null
  username: string | null
  password: string | null
}

/** What the API shows: everything but the password. */
export interface CameraEndpointView {
  deviceId: string
  rtspUrl: string
  onvifUrl: string | null
  snapshotUrl: string | null
  username: string | null
  passwordSet: boolean
  updatedAt: number
}

// Credentials in a URL (rtsp://admin:pw@host/, or ...?user=admin&password=pw as some cameras
// take them) would be stored, shown and audited in clear: they go in username and password,
// where the password is sealed. Refused with the name of the field to use (issue #14).
const SECRET_PARAMS: Array<[RegExp, 'username' | 'password']> = [
  [/^(pass(word|wd)?|pwd|pw|passcode|secret|token|auth|key|apikey|api_key|access_token|sig|signature)$/i, 'password'],
  [/^(user(name)?|usr|login|account|uid)$/i, 'username']
]

/** The field a URL's credentials belong in, or null when it holds none. */
export function credentialsIn (u: string): { field: 'username' | 'password'; where: string } | null {
  const url = new URL(u)
  if (url.password !== '') return { field: 'password', where: 'user:password@ in the address' }
  if (url.username !== '') return { field: 'username', where: 'user@ in the address' }
  const names = [...url.searchParams.keys()]
  for (const [pattern, field] of SECRET_PARAMS) {
    const name = names.find((n) => pattern.test(n))
    if (name) return { field, where: `"${name}=" in the query string` }
  }
  return null
}

const urlWith = (protocols: readonly string[]) => z.url().refine((u) => protocols.includes(new URL(u).protocol), {
  message: `must start with ${protocols.map((p) => p + '//').join(' or ')}`
}).superRefine((u, ctx) => {
  const found = credentialsIn(u)
  if (found) {
    ctx.addIssue({
      code: 'custom',
      message: `no login in the URL (${found.where}): put it in the "${found.field}" field, not in the URL (the password is stored encrypted there) / không ghi thông tin đăng nhập trong địa chỉ: dùng trường "${found.field}"`
    })
  }
})

export const EndpointInput = z.strictObject({
  rtspUrl: urlWith(['rtsp:']),
  onvifUrl: urlWith(['http:', 'https:']).nullable().optional(),
  snapshotUrl: urlWith(['http:', 'https:']).nullable().optional(),
  username: z.string().min(1).max(64).nullable().optional(),
  /** Left out: the stored password is kept (change a URL without retyping it). null: removed. */
  password: z.string().max(128).nullable().optional()
})

interface Row {
  device_id: string
  rtsp_url: string
  onvif_url: string | null
  snapshot_url: string | null
  username: string | null
  password_sealed: string | null
  updated_at: number
}

export class CameraEndpoints {
  private readonly byId: Statement<[string], Row>

  constructor (private readonly db: Db, private readonly registry: Registry, private readonly box: SealedBox, private readonly now: () => number = Date.now) {
    this.byId = db.prepare('SELECT * FROM camera_endpoints WHERE device_id = ?')
  }

  /** Sets (or replaces) the endpoint of a registered camera. */
  set (deviceId: string, input: unknown): CameraEndpointView {
    const device = this.registry.require(deviceId)
    if (device.kind !== 'camera') throw validationError(`${deviceId} is a ${device.kind}; only cameras have RTSP endpoints`)
    const parsed = EndpointInput.safeParse(input)
    if (!parsed.success) throw validationError('invalid camera endpoint', describeIssues(parsed.error))
    const e = parsed.data
    const current = this.byId.get(deviceId)
    const sealed = e.password === undefined ? (current?.password_sealed ?? null) : e.password === null ? null : this.box.seal(e.password, deviceId)
    this.db.prepare(`INSERT INTO camera_endpoints (device_id, rtsp_url, onvif_url, snapshot_url, username, password_sealed, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET rtsp_url = excluded.rtsp_url, onvif_url = excluded.onvif_url,
      snapshot_url = excluded.snapshot_url, username = excluded.username, password_sealed = excluded.password_sealed, updated_at = excluded.updated_at`)
      .run(deviceId, e.rtspUrl, e.onvifUrl ?? null, e.snapshotUrl ?? null, e.username ?? null, sealed, this.now())
    return this.view(deviceId)!
  }

  view (deviceId: string): CameraEndpointView | null {
    const r = this.byId.get(deviceId)
    if (!r) return null
    return {
      deviceId, rtspUrl: r.rtsp_url, onvifUrl: r.onvif_url, snapshotUrl: r.snapshot_url, username: r.username,
      passwordSet: r.password_sealed !== null, updatedAt: r.updated_at
    }
  }

  remove (deviceId: string): void {
    if (this.db.prepare('DELETE FROM camera_endpoints WHERE device_id = ?').run(deviceId).changes === 0) {
      throw notFound(`${deviceId} has no camera endpoint`)
    }
  }

  /**
   * The endpoints of enabled cameras, passwords opened, for one probe cycle. A password
   * that does not open (key file replaced) is reported in `unreadable` and that camera is
   * skipped, so the others are still probed.
   */
  forProbe (): { endpoints: CameraEndpoint[]; unreadable: string[] } {
    const rows = this.db.prepare<[], Row>(`SELECT e.* FROM camera_endpoints e JOIN devices d ON d.id = e.device_id
      WHERE d.enabled = 1 ORDER BY e.device_id`).all()
    const endpoints: CameraEndpoint[] = []
    const unreadable: string[] = []
    for (const r of rows) {
      let password: string | null
      try {
        password = r.password_sealed === null ? null : this.box.open(r.password_sealed, r.device_id)
      } catch {
        unreadable.push(r.device_id)
        continue
      }
      endpoints.push({ deviceId: r.device_id, rtspUrl: r.rtsp_url, onvifUrl: r.onvif_url, snapshotUrl: r.snapshot_url, username: r.username, password })
    }
    return { endpoints, unreadable }
  }
}
