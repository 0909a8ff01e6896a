// One RTSP look at a camera: OPTIONS (how fast it answers), DESCRIBE (what it sends),
// SETUP with RTP interleaved on the same TCP connection (no UDP ports to open through the
// village router), PLAY, a short read to see whether frames advance, TEARDOWN.
import { setTimeout as sleep } from 'node:timers/promises'
import { FrameWatch, parseRtp, type StreamStats } from './frames.js'
import type { Credentials } from './http-auth.js'
import { header, RtspConnection, RtspError } from './rtsp-client.js'
import { parseSdp, type VideoTrack } from './sdp.js'

export interface RtspLook {
  /** Round trip of OPTIONS, milliseconds. */
  responseMs: number
  track: VideoTrack
  stream: StreamStats
}

/** The request URL without user:password (credentials travel only in Authorization). */
function requestUrl (url: URL): string {
  const clean = new URL(url.href)
  clean.username = ''
  clean.password = ''
  return clean.href
}

export async function lookAtStream (rtspUrl: string, creds: Credentials | null, o: { signal: AbortSignal; watchMs: number }): Promise<RtspLook> {
  const url = new URL(rtspUrl)
  const uri = requestUrl(url)
  const conn = await RtspConnection.open(url, creds, o.signal)
  try {
    const started = performance.now()
    await conn.request('OPTIONS', uri)
    const responseMs = Math.round((performance.now() - started) * 10) / 10

    const described = await conn.request('DESCRIBE', uri, { Accept: 'application/sdp' })
    const base = header(described, 'content-base') ?? header(described, 'content-location') ?? uri
    const track = parseSdp(described.body.toString('utf8'), base)
    if (!track) throw new RtspError('protocol_error', 'DESCRIBE: the SDP has no video track')

    const setup = await conn.request('SETUP', track.controlUrl, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' })
    // "Session: 12345678;timeout=60": the id is what comes before the parameters.
    const session = header(setup, 'session')?.split(';')[0]?.trim()
    if (!session) throw new RtspError('protocol_error', 'SETUP: no Session header')

    const watch = new FrameWatch(track.payloadType)
    conn.onInterleaved((channel, data) => {
      if (channel !== 0) return // RTCP on channel 1
      const packet = parseRtp(data)
      if (packet) watch.add(packet, performance.now())
    })
    await conn.request('PLAY', uri, { Session: session, Range: 'npt=0.000-' })
    await sleep(o.watchMs, undefined, { signal: o.signal }).catch(() => {
      throw new RtspError('timeout', 'probe deadline reached while reading the stream')
    })
    const stream = watch.stats(o.watchMs)
    // A polite goodbye frees the camera's session slot at once (cameras allow few);
    // not waited for: the answer changes nothing.
    conn.request('TEARDOWN', uri, { Session: session }).catch(() => undefined)
    return { responseMs, track, stream }
  } finally {
    conn.close()
  }
}
