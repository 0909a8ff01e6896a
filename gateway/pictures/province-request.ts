// The province asks for one camera's latest picture (issue #20): the only way a picture leaves
// the box. The request comes only from this commune's own command consumer (the uplink
// dispatches `down.<commune>.picture` here); it is audited in the box's own audit log (who at
// the province, why, which camera) before anything is sent; then the latest kept snapshot of
// that one camera goes up as a plain request, or, when there is none, the reason in words.
// Never another camera's, never more than one, never unasked.
import { PICTURE_COMMAND, PICTURE_HEADERS, PICTURE_MAX_BYTES, PICTURE_REQUEST_TTL_MS, parsePictureCommand, pictureSubject, type PictureCommand } from '../../edge/uplink/picture.js'
import type { Requester } from '../../edge/uplink/fetch.js'
import type { Logger } from '../log.js'
import type { Registry } from '../registry/registry.js'
import type { AuditLog } from '../users/audit.js'
import { PICTURE_OUTCOMES } from '../users/audit-words.js'
import type { SnapshotStore } from './snapshots.js'

export interface ProvincePictureParts {
  uplink: { handleCommands (kind: string, handler: (body: unknown) => Promise<void>): void; readonly requester: Requester }
  snapshots: Pick<SnapshotStore, 'latestAt' | 'read'>
  registry: Pick<Registry, 'get'>
  audit: Pick<AuditLog, 'record'>
  log: Logger
  now?: () => number
}

/** What the box answers, as recorded in its audit log (words in audit-words.ts). */
export type PictureOutcome = keyof typeof PICTURE_OUTCOMES

const ANSWER_TIMEOUT_MS = 15_000

export function startProvincePictures (parts: ProvincePictureParts): void {
  const now = parts.now ?? Date.now
  parts.uplink.handleCommands(PICTURE_COMMAND, async (body) => {
    const cmd = parsePictureCommand(body)
    if (!cmd) { parts.log.warn('picture request from the province not understood; dropped, nothing sent'); return }
    await answer(parts, cmd, now())
  })
}

async function answer (parts: ProvincePictureParts, cmd: PictureCommand, at: number): Promise<void> {
  const picture = latest(parts, cmd.cameraId)
  const outcome: PictureOutcome = at - cmd.requestedAt > PICTURE_REQUEST_TTL_MS ? 'expired' : typeof picture === 'string' ? picture : 'sent'
  // Audited before anything leaves: a picture that went up is always in the log, even if the answer is lost.
  parts.audit.record({
    actor: `tỉnh:${cmd.requestedBy}`, role: null, action: 'picture.province_request', target: cmd.cameraId, address: null,
    details: { reason: cmd.reason, request: cmd.requestId, outcome, ...(typeof picture === 'object' && outcome === 'sent' ? { picture: new Date(picture.takenAt).toISOString() } : {}) }
  })
  parts.log.warn({ requestId: cmd.requestId, cameraId: cmd.cameraId, requestedBy: cmd.requestedBy, outcome }, 'the province asked for a camera picture')
  if (outcome === 'expired') return // the province no longer waits for it
  const headers: Record<string, string> = { [PICTURE_HEADERS.requestId]: cmd.requestId, [PICTURE_HEADERS.camera]: cmd.cameraId }
  let data: Uint8Array = new Uint8Array(0)
  if (typeof picture === 'object') {
    headers[PICTURE_HEADERS.takenAt] = String(picture.takenAt)
    data = picture.jpeg
  } else {
    headers[PICTURE_HEADERS.noPicture] = `${PICTURE_OUTCOMES[picture].vi} (${PICTURE_OUTCOMES[picture].en})`
  }
  // Rejects when the province did not answer: the command is offered again (and audited again).
  const reply = await parts.uplink.requester.request(pictureSubject(parts.uplink.requester.commune), data, ANSWER_TIMEOUT_MS, headers)
  if (reply.headers.Error) parts.log.warn({ requestId: cmd.requestId, error: reply.headers.Error }, 'the province refused the picture answer')
}

function latest (parts: ProvincePictureParts, cameraId: string): { takenAt: number; jpeg: Buffer } | Exclude<PictureOutcome, 'sent' | 'expired'> {
  if (parts.registry.get(cameraId)?.kind !== 'camera') return 'no_camera'
  const takenAt = parts.snapshots.latestAt(cameraId)
  if (takenAt === null) return 'no_picture'
  let jpeg: Buffer
  try { jpeg = parts.snapshots.read(cameraId, takenAt, false) } catch { return 'no_picture' } // pruned in between
  return jpeg.length > PICTURE_MAX_BYTES ? 'too_large' : { takenAt, jpeg }
}
