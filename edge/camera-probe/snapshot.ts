// The snapshot check: the camera's HTTP still-image URL (Hikvision ISAPI
// /ISAPI/Streaming/channels/101/picture, Dahua /cgi-bin/snapshot.cgi) returns a JPEG.
// Those URLs answer 401 with a Digest (sometimes Basic) challenge, like RTSP.
import { authorization, pickChallenge, type Credentials } from './http-auth.js'

export type SnapshotResult = { ok: true; bytes: number } | { ok: false; reason: 'auth_failed' | 'not_an_image' | 'http_error' | 'unreachable' | 'timeout' }

const JPEG_START = [0xff, 0xd8, 0xff]

/** The check, and the picture itself when it is one (kept and measured by gateway/pictures). */
export async function checkSnapshot (snapshotUrl: string, creds: Credentials | null, signal: AbortSignal): Promise<{ result: SnapshotResult; image?: Buffer }> {
  const url = new URL(snapshotUrl)
  const path = url.pathname + url.search
  const get = (auth?: string): Promise<Response> => fetch(url, { headers: auth ? { authorization: auth } : {}, signal })
  try {
    let res = await get()
    if (res.status === 401 && creds) {
      const challenge = pickChallenge(res.headers.get('www-authenticate')?.split(/,\s*(?=(?:Basic|Digest)\b)/i) ?? [])
      await res.arrayBuffer().catch(() => undefined)
      if (challenge) res = await get(authorization(challenge, creds, 'GET', path))
    }
    if (res.status === 401 || res.status === 403) { await res.arrayBuffer().catch(() => undefined); return { result: { ok: false, reason: 'auth_failed' } } }
    if (!res.ok) { await res.arrayBuffer().catch(() => undefined); return { result: { ok: false, reason: 'http_error' } } }
    const body = Buffer.from(await res.arrayBuffer())
    // The type a camera claims is not proof: an error page may come as image/jpeg. Look at the bytes.
    const isJpeg = JPEG_START.every((b, i) => body[i] === b)
    return isJpeg ? { result: { ok: true, bytes: body.length }, image: body } : { result: { ok: false, reason: 'not_an_image' } }
  } catch {
    return { result: { ok: false, reason: signal.aborted ? 'timeout' : 'unreachable' } }
  }
}
