// The one way a camera's picture leaves a commune's box (issue #20, Luật 91/2025/QH15): the
// province asks for the latest picture of ONE named camera, with a reason, on the commune's own
// command subject (`down.<commune>.picture`); the box answers with a plain request on
// `up.<commune>.picture` (allowed by its permissions, in no stream, so never stored in the
// cluster). The JPEG is the payload; what it is goes in headers. This module is the wire format
// both sides share.
export const PICTURE_COMMAND = 'picture'
export const pictureSubject = (commune: string): string => `up.${commune}.picture`

/** A picture request is answered within this; a box back later answers nothing (the province shows it expired). */
export const PICTURE_REQUEST_TTL_MS = 10 * 60_000
/** Far below the cluster's 1 MB message limit; the box's snapshots are a few hundred KiB at most. */
export const PICTURE_MAX_BYTES = 900 * 1024

/** The command the province publishes. */
export interface PictureCommand {
  type: 'picture'
  requestId: string
  cameraId: string
  reason: string
  /** The provincial account that asked. */
  requestedBy: string
  requestedAt: number
}

/** Headers of the box's answer: a picture (Taken-At) or, in words, why there is none (No-Picture). */
export const PICTURE_HEADERS = { requestId: 'Request-Id', camera: 'Camera', takenAt: 'Taken-At', noPicture: 'No-Picture' } as const

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
export const CAMERA_ID = /^[A-Za-z0-9._-]{1,64}$/

/** The command, checked; null when it is not one (logged and dropped by the box). */
export function parsePictureCommand (body: unknown): PictureCommand | null {
  const c = body as Partial<Record<keyof PictureCommand, unknown>> | null
  if (c?.type !== 'picture' || typeof c.requestId !== 'string' || !UUID.test(c.requestId)) return null
  if (typeof c.cameraId !== 'string' || !CAMERA_ID.test(c.cameraId)) return null
  if (typeof c.reason !== 'string' || c.reason.trim() === '' || typeof c.requestedBy !== 'string' || typeof c.requestedAt !== 'number') return null
  return { type: 'picture', requestId: c.requestId, cameraId: c.cameraId, reason: c.reason, requestedBy: c.requestedBy, requestedAt: c.requestedAt }
}

/** A JPEG starts with SOI and a marker. */
export const isJpeg = (data: Uint8Array): boolean => data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff
