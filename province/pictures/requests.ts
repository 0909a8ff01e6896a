// One camera's picture, asked for by the province (issue #20; Luật 91/2025/QH15): a member of
// staff whose account says "may request pictures" names one camera of one commune and a reason
// (an incident number); the request is recorded and sent down on the commune's own command
// subject. The box's answer is taken only for a pending request of that commune (from the
// subject, which the cluster's permissions vouch for) and that camera; anything else is refused
// and nothing is kept. The picture is shown only to the one who asked, each view audited, and
// kept for the retention setting.
import { randomUUID } from 'node:crypto'
import { headers, type JetStreamClient, type Msg, type NatsConnection, type Subscription } from 'nats'
import type pg from 'pg'
import { CAMERA_ID, PICTURE_HEADERS, PICTURE_MAX_BYTES, PICTURE_REQUEST_TTL_MS, isJpeg, type PictureCommand } from '../../edge/uplink/picture.js'
import type { Logger } from '../../gateway/log.js'
import { BulletinError } from '../bulletins/compose.js'
import { communeOf } from '../workers/pull.js'

export interface PictureAsker { username: string; role: string; mayRequestPictures: boolean }

export type PictureStatus = 'pending' | 'received' | 'no_picture' | 'expired'

export interface PictureRequest {
  id: string; commune: string; cameraId: string; reason: string; requestedBy: string; requestedAt: number
  status: PictureStatus; answer: string | null; answeredAt: number | null; takenAt: number | null; bytes: number | null; pruned: boolean
}

const COLUMNS = `id, commune, camera_id AS "cameraId", reason, requested_by AS "requestedBy", requested_at::float8 AS "requestedAt",
  CASE WHEN status = 'pending' AND expires_at < $NOW THEN 'expired' ELSE status END AS status, answer, answered_at::float8 AS "answeredAt",
  taken_at::float8 AS "takenAt", bytes, pruned_at IS NOT NULL AS pruned`
const columns = (nowParam: string): string => COLUMNS.replace('$NOW', nowParam)

export class ProvincePictures {
  constructor (private readonly pool: pg.Pool, private readonly js: JetStreamClient, private readonly log: Logger, private readonly now: () => number = Date.now) {}

  async audit (username: string, action: string, target: string, details: object): Promise<void> {
    await this.pool.query('INSERT INTO province_audit (at, username, action, target, details) VALUES ($1, $2, $3, $4, $5)', [this.now(), username, action, target, details])
  }

  /** Records the request and sends it down to the commune's box; returns its id. */
  async ask (input: unknown, who: PictureAsker): Promise<string> {
    if (who.role !== 'staff' || !who.mayRequestPictures) throw new BulletinError(403, 'your account may not ask for camera pictures')
    const i = (input ?? {}) as { commune?: unknown; cameraId?: unknown; reason?: unknown }
    if (typeof i.commune !== 'string' || typeof i.cameraId !== 'string' || !CAMERA_ID.test(i.cameraId)) throw new BulletinError(400, 'name one commune and one camera id')
    const reason = typeof i.reason === 'string' ? i.reason.trim() : ''
    if (reason.length < 3 || reason.length > 500) throw new BulletinError(400, 'a reason is required (3-500 characters, e.g. the incident number)')
    const known = await this.pool.query('SELECT 1 FROM communes WHERE code = $1', [i.commune])
    if (known.rowCount === 0) throw new BulletinError(404, `no commune ${i.commune}`)
    const id = randomUUID()
    const at = this.now()
    await this.pool.query(`INSERT INTO picture_requests (id, commune, camera_id, reason, requested_by, requested_at, expires_at, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')`, [id, i.commune, i.cameraId, reason, who.username, at, at + PICTURE_REQUEST_TTL_MS])
    await this.audit(who.username, 'picture.request', id, { commune: i.commune, cameraId: i.cameraId, reason })
    const cmd: PictureCommand = { type: 'picture', requestId: id, cameraId: i.cameraId, reason, requestedBy: who.username, requestedAt: at }
    await this.js.publish(`down.${i.commune}.picture`, new TextEncoder().encode(JSON.stringify(cmd)), { msgID: `picture:${id}` })
    this.log.warn({ id, commune: i.commune, cameraId: i.cameraId, by: who.username }, 'a camera picture was asked for')
    return id
  }

  /** The asker's own requests, newest first. */
  async list (who: { username: string }): Promise<PictureRequest[]> {
    return (await this.pool.query<PictureRequest>(`SELECT ${columns('$2')} FROM picture_requests WHERE requested_by = $1 ORDER BY requested_at DESC LIMIT 200`, [who.username, this.now()])).rows
  }

  /** The picture, for the one who asked only; every view audited. */
  async view (id: string, who: { username: string }): Promise<{ jpeg: Buffer; takenAt: number; cameraId: string; commune: string }> {
    const row = (await this.pool.query<{ requested_by: string; data: Buffer | null; taken_at: string | null; camera_id: string; commune: string }>(
      'SELECT requested_by, data, taken_at, camera_id, commune FROM picture_requests WHERE id = $1', [id])).rows[0]
    // Another's request is as unknown as a missing one: its existence is not told either.
    if (!row || row.requested_by !== who.username) throw new BulletinError(404, `no picture request ${id} of yours`)
    if (!row.data || row.taken_at === null) throw new BulletinError(404, 'no picture for this request (none came, or it was pruned)')
    await this.audit(who.username, 'picture.view', id, { commune: row.commune, cameraId: row.camera_id, takenAt: Number(row.taken_at) })
    return { jpeg: row.data, takenAt: Number(row.taken_at), cameraId: row.camera_id, commune: row.commune }
  }

  /** Drops the pictures older than the retention (the requests stay, with who, when and why). */
  async prune (retentionMs: number): Promise<number> {
    const res = await this.pool.query('UPDATE picture_requests SET data = NULL, pruned_at = $1 WHERE data IS NOT NULL AND answered_at < $2', [this.now(), this.now() - retentionMs])
    if ((res.rowCount ?? 0) > 0) this.log.info({ pruned: res.rowCount }, 'camera pictures past their retention removed')
    return res.rowCount ?? 0
  }

  /** Answers the boxes' `up.<commune>.picture` requests (a queue group: any number of province processes). */
  serve (nc: NatsConnection): Subscription {
    return nc.subscribe('up.*.picture', {
      queue: 'province-pictures',
      callback: (err, m) => {
        if (err) { this.log.warn({ err }, 'picture answers subscription failed'); return }
        this.take(m).then((why) => { reply(m, why) }, (e: unknown) => { this.log.warn({ err: e }, 'picture answer not stored (the box sends it again)') })
      }
    })
  }

  /** Keeps the answer when it is for a pending request of this commune and camera; the refusal otherwise. */
  private async take (m: Msg): Promise<string | null> {
    let commune: string
    try { commune = communeOf(m.subject).commune } catch { return 'bad subject' }
    const h = (name: string): string => m.headers?.get(name) ?? ''
    const id = h(PICTURE_HEADERS.requestId)
    const camera = h(PICTURE_HEADERS.camera)
    const noPicture = h(PICTURE_HEADERS.noPicture)
    const takenAt = Number(h(PICTURE_HEADERS.takenAt))
    if (!/^[0-9a-f-]{36}$/.test(id) || !CAMERA_ID.test(camera)) return 'bad answer: Request-Id and Camera headers expected'
    if (!noPicture && (!Number.isSafeInteger(takenAt) || takenAt <= 0 || !isJpeg(m.data) || m.data.length > PICTURE_MAX_BYTES)) return 'bad answer: a JPEG with Taken-At, or No-Picture'
    const at = this.now()
    const res = noPicture
      ? await this.pool.query(`UPDATE picture_requests SET status = 'no_picture', answer = $4, answered_at = $5
          WHERE id = $1 AND commune = $2 AND camera_id = $3 AND status = 'pending' AND expires_at >= $5`, [id, commune, camera, noPicture.slice(0, 300), at])
      : await this.pool.query(`UPDATE picture_requests SET status = 'received', answered_at = $4, taken_at = $5, bytes = $6, data = $7
          WHERE id = $1 AND commune = $2 AND camera_id = $3 AND status = 'pending' AND expires_at >= $4`, [id, commune, camera, at, takenAt, m.data.length, Buffer.from(m.data)])
    if (res.rowCount === 0) {
      this.log.warn({ commune, id, camera, bytes: m.data.length }, 'a box sent a picture no pending request of its asked for: refused, not kept')
      return 'no pending request of this commune for this camera'
    }
    this.log.warn({ commune, id, camera, noPicture: noPicture || undefined }, 'a camera picture asked for arrived')
    return null
  }
}

function reply (m: Msg, error: string | null): void {
  const h = headers()
  if (error) h.set('Error', error)
  m.respond(new Uint8Array(0), { headers: h })
}
