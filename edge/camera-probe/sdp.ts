// What a camera's DESCRIBE answer (SDP, RFC 8866) says about its video: codec, clock rate,
// resolution when the camera states it, and the control URL SETUP must name.
// Resolution comes from a=framesize (Hikvision, Dahua, live555), a=x-dimensions (Axis,
// some Hikvision) or a=cliprect; when none is there it stays unknown rather than being
// decoded from the H.264 SPS, which would need an exp-Golomb reader for one number.

export interface VideoTrack {
  /** "H264", "H265", "MJPEG" ... as in a=rtpmap, upper case. */
  codec: string
  payloadType: number
  clockRate: number
  width: number | null
  height: number | null
  /** Absolute URL to SETUP this track. */
  controlUrl: string
}

/** The first video track of an SDP, or null when it has none. */
export function parseSdp (sdp: string, baseUrl: string): VideoTrack | null {
  const lines = sdp.split(/\r?\n/).map((l) => l.trim())
  let sessionControl: string | null = null
  let inSession = true
  let inVideo = false
  let seenVideo = false
  let payloadType: number | null = null
  let codec: string | null = null
  let clockRate = 90_000
  let width: number | null = null
  let height: number | null = null
  let control: string | null = null

  for (const line of lines) {
    if (line.startsWith('m=')) {
      if (seenVideo) break // only the first video track
      inSession = false
      inVideo = line.startsWith('m=video ')
      if (inVideo) {
        seenVideo = true
        const pt = Number(line.split(/\s+/)[3])
        payloadType = Number.isInteger(pt) ? pt : null
      }
      continue
    }
    if (!inVideo) {
      if (inSession && line.startsWith('a=control:')) sessionControl = line.slice('a=control:'.length)
      continue
    }
    const rtpmap = /^a=rtpmap:(\d+)\s+([^/\s]+)\/(\d+)/.exec(line)
    if (rtpmap && Number(rtpmap[1]) === payloadType) {
      codec = rtpmap[2]!.toUpperCase()
      clockRate = Number(rtpmap[3])
      continue
    }
    const size = /^a=framesize:\d+\s+(\d+)-(\d+)/.exec(line) ?? /^a=x-dimensions:\s*(\d+),\s*(\d+)/.exec(line) ??
      /^a=cliprect:\d+,\d+,(\d+),(\d+)/.exec(line)
    if (size && width === null) {
      // cliprect is top,left,bottom,right: bottom is the height.
      const cliprect = line.startsWith('a=cliprect')
      width = Number(cliprect ? size[2] : size[1])
      height = Number(cliprect ? size[1] : size[2])
      continue
    }
    if (line.startsWith('a=control:')) control = line.slice('a=control:'.length)
  }
  if (!seenVideo || payloadType === null) return null
  // RFC 2326 §C.1.1: a relative control URL is resolved against Content-Base (or the request URL).
  const base = sessionControl && sessionControl !== '*' ? resolveControl(baseUrl, sessionControl) : baseUrl
  return {
    codec: codec ?? (payloadType === 26 ? 'JPEG' : `PT${payloadType}`),
    payloadType,
    clockRate,
    width,
    height,
    controlUrl: control === null || control === '*' ? base : resolveControl(base, control)
  }
}

function resolveControl (base: string, control: string): string {
  if (/^rtsp:\/\//i.test(control)) return control
  return base.endsWith('/') ? base + control : `${base}/${control}`
}
