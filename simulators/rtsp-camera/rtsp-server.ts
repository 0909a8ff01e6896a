// The RTSP side of the simulated cameras: one TCP server hosts every camera, told apart by
// the first path segment (rtsp://127.0.0.1:PORT/cam-001), so 200 cameras cost one port.
// OPTIONS answers without credentials (as Hikvision and Dahua do); DESCRIBE, SETUP, PLAY
// and TEARDOWN need Digest (or Basic) credentials on every request.
import { randomBytes } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import { checkAuthorization } from '../../edge/camera-probe/http-auth.js'
import type { SimCamera } from './camera.js'
import { RtpStream } from './rtp-stream.js'

interface Request {
  method: string
  uri: string
  headers: Map<string, string>
}

export function sdpOf (camera: SimCamera, host: string): string {
  return [
    'v=0',
    `o=- ${Date.now()} 1 IN IP4 ${host}`,
    `s=${camera.model}`,
    't=0 0',
    'a=control:*',
    'm=video 0 RTP/AVP 96',
    'c=IN IP4 0.0.0.0',
    'a=rtpmap:96 H264/90000',
    'a=fmtp:96 packetization-mode=1;profile-level-id=640028',
    `a=framesize:96 ${camera.width}-${camera.height}`,
    `a=x-dimensions:${camera.width},${camera.height}`,
    `a=framerate:${camera.fps}`,
    'a=control:trackID=1',
    ''
  ].join('\r\n')
}

export function createRtspServer (cameraOf: (id: string) => SimCamera | undefined): Server {
  return createServer((socket) => new RtspSession(socket, cameraOf))
}

class RtspSession {
  private buffer = ''
  private readonly nonce = randomBytes(12).toString('hex')
  private readonly session = randomBytes(4).toString('hex').toUpperCase()
  private stream: RtpStream | null = null
  private queue: Promise<void> = Promise.resolve()

  constructor (private readonly socket: Socket, private readonly cameraOf: (id: string) => SimCamera | undefined) {
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => this.receive(chunk))
    socket.on('error', () => undefined) // the probe hanging up is normal
    socket.on('close', () => this.stream?.stop())
  }

  private receive (chunk: string): void {
    this.buffer += chunk
    for (;;) {
      // Interleaved RTCP from a client ('$' framing) is skipped.
      while (this.buffer.startsWith('$') && this.buffer.length >= 4) {
        const length = (this.buffer.charCodeAt(2) << 8) | this.buffer.charCodeAt(3)
        if (this.buffer.length < 4 + length) return
        this.buffer = this.buffer.slice(4 + length)
      }
      const end = this.buffer.indexOf('\r\n\r\n')
      if (end < 0) return
      const lines = this.buffer.slice(0, end).split('\r\n')
      this.buffer = this.buffer.slice(end + 4)
      const [method = '', uri = ''] = (lines[0] ?? '').split(' ')
      const headers = new Map<string, string>()
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':')
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
      }
      // Answers leave in request order even when one is delayed.
      const request = { method, uri, headers }
      this.queue = this.queue.then(() => this.answer(request))
    }
  }

  private async answer (req: Request): Promise<void> {
    const cseq = req.headers.get('cseq') ?? '0'
    const reply = (status: string, headers: Record<string, string> = {}, body = ''): void => {
      const lines = [`RTSP/1.0 ${status}`, `CSeq: ${cseq}`, 'Server: Simulated IP Camera']
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
      if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`)
      if (!this.socket.destroyed) this.socket.write(lines.join('\r\n') + '\r\n\r\n' + body)
    }
    let path: string
    try {
      path = new URL(req.uri).pathname
    } catch {
      return reply('400 Bad Request')
    }
    const camera = this.cameraOf(path.split('/')[1] ?? '')
    if (!camera) return reply('404 Not Found')
    await camera.answerDelay()

    if (req.method === 'OPTIONS') return reply('200 OK', { Public: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN' })
    const authorized = checkAuthorization(req.headers.get('authorization'), camera.accepted(), req.method,
      { realm: camera.realm, nonce: this.nonce, allowBasic: camera.auth === 'basic' })
    if (!authorized) {
      const challenge = camera.auth === 'basic' ? `Basic realm="${camera.realm}"` : `Digest realm="${camera.realm}", nonce="${this.nonce}", stale="FALSE"`
      return reply('401 Unauthorized', { 'WWW-Authenticate': challenge })
    }
    const host = this.socket.localAddress ?? '127.0.0.1'
    const base = `rtsp://${host.includes(':') ? `[${host}]` : host}:${this.socket.localPort}/${camera.id}/`
    switch (req.method) {
      case 'DESCRIBE':
        return reply('200 OK', { 'Content-Type': 'application/sdp', 'Content-Base': base }, sdpOf(camera, host))
      case 'SETUP': {
        const transport = req.headers.get('transport') ?? ''
        const interleaved = /interleaved=(\d+)/.exec(transport)
        // Only RTP over the RTSP connection is offered: no UDP ports to set up in a test.
        if (!transport.includes('RTP/AVP/TCP') || !interleaved) return reply('461 Unsupported Transport')
        this.stream?.stop()
        this.stream = new RtpStream(camera, this.socket, Number(interleaved[1]))
        const channel = Number(interleaved[1])
        return reply('200 OK', { Transport: `RTP/AVP/TCP;unicast;interleaved=${channel}-${channel + 1}`, Session: `${this.session};timeout=60` })
      }
      case 'PLAY':
        if (req.headers.get('session') !== this.session || !this.stream) return reply('454 Session Not Found')
        reply('200 OK', { Session: this.session, Range: 'npt=0.000-' })
        this.stream.start()
        return
      case 'TEARDOWN':
        this.stream?.stop()
        this.stream = null
        return reply('200 OK', { Session: this.session })
      default:
        return reply('405 Method Not Allowed', { Allow: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN' })
    }
  }
}
