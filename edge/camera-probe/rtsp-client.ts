// A minimal RTSP 1.0 client (RFC 2326) over one TCP socket: requests with CSeq, Basic or
// Digest answered to a 401, and RTP interleaved on the same connection ($ framing, §10.12).
//
// Hand-written on purpose: the Node RTSP client packages on npm are either unmaintained for
// years or wrap ffmpeg (a process per camera, 100 cameras every 30 s on a small box). The
// probe needs five requests and the interleaved framing: about 150 lines we can read and test.
import { connect, type Socket } from 'node:net'
import { authorization, pickChallenge, type Challenge, type Credentials } from './http-auth.js'

export type RtspFailure = 'unreachable' | 'timeout' | 'auth_failed' | 'protocol_error'

/** Why an RTSP exchange failed, in the probe's own words (`failure`). */
export class RtspError extends Error {
  constructor (readonly failure: RtspFailure, message: string, readonly status?: number) {
    super(message)
    this.name = 'RtspError'
  }
}

export interface RtspResponse {
  status: number
  reason: string
  /** Header names in lower case; a header may repeat (WWW-Authenticate). */
  headers: Map<string, string[]>
  body: Buffer
}

const MAX_HEADER_BYTES = 16 * 1024
const MAX_BODY_BYTES = 64 * 1024

export class RtspConnection {
  private buffer: Buffer = Buffer.alloc(0)
  private cseq = 0
  private pending: { cseq: number; resolve: (r: RtspResponse) => void; reject: (e: Error) => void } | null = null
  private challenge: Challenge | null = null
  private nonceCount = 0
  private closed: Error | null = null
  private rtp: ((channel: number, data: Buffer) => void) | null = null

  private constructor (private readonly socket: Socket, private readonly creds: Credentials | null, signal: AbortSignal) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', (err) => this.fail(new RtspError('unreachable', err.message)))
    socket.on('close', () => this.fail(new RtspError('protocol_error', 'the camera closed the connection')))
    const onAbort = () => this.fail(new RtspError('timeout', 'no answer within the probe deadline'))
    signal.addEventListener('abort', onAbort, { once: true })
    socket.once('close', () => signal.removeEventListener('abort', onAbort))
  }

  /** Opens the TCP connection; rejects with `unreachable` or `timeout`. */
  static open (url: URL, creds: Credentials | null, signal: AbortSignal): Promise<RtspConnection> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new RtspError('timeout', 'no time left to connect'))
      const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 554) })
      socket.setNoDelay(true)
      const onAbort = () => { socket.destroy(); reject(new RtspError('timeout', 'TCP connect timed out')) }
      signal.addEventListener('abort', onAbort, { once: true })
      socket.once('error', (err) => { signal.removeEventListener('abort', onAbort); reject(new RtspError('unreachable', err.message)) })
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort)
        socket.removeAllListeners('error')
        resolve(new RtspConnection(socket, creds, signal))
      })
    })
  }

  /** RTP (even channels) and RTCP (odd) that arrive interleaved after PLAY. */
  onInterleaved (listener: (channel: number, data: Buffer) => void): void {
    this.rtp = listener
  }

  /** Sends a request; a 401 is answered once with the credentials, a second 401 is `auth_failed`. */
  async request (method: string, uri: string, headers: Record<string, string> = {}): Promise<RtspResponse> {
    let response = await this.send(method, uri, headers)
    if (response.status === 401) {
      const challenge = pickChallenge(response.headers.get('www-authenticate') ?? [])
      if (!this.creds || !challenge) throw new RtspError('auth_failed', `${method}: 401 and no credentials or no usable challenge`, 401)
      this.challenge = challenge
      this.nonceCount = 0
      response = await this.send(method, uri, headers)
      if (response.status === 401) throw new RtspError('auth_failed', `${method}: credentials refused`, 401)
    }
    if (response.status >= 300) throw new RtspError('protocol_error', `${method}: ${response.status} ${response.reason}`, response.status)
    return response
  }

  /** Ends the connection after what was written is flushed (a TEARDOWN, say). */
  close (): void {
    this.closed ??= new RtspError('protocol_error', 'connection closed by the probe')
    this.socket.end()
    setTimeout(() => this.socket.destroy(), 1000).unref()
  }

  private send (method: string, uri: string, headers: Record<string, string>): Promise<RtspResponse> {
    if (this.closed) return Promise.reject(this.closed)
    const cseq = ++this.cseq
    const lines = [`${method} ${uri} RTSP/1.0`, `CSeq: ${cseq}`, 'User-Agent: commune-gateway-probe/1']
    // Once challenged, every later request carries the answer (cameras challenge each one).
    if (this.challenge && this.creds) lines.push(`Authorization: ${authorization(this.challenge, this.creds, method, uri, ++this.nonceCount)}`)
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
    this.socket.write(lines.join('\r\n') + '\r\n\r\n')
    return new Promise((resolve, reject) => { this.pending = { cseq, resolve, reject } })
  }

  private fail (err: Error): void {
    if (this.closed) return
    this.closed = err
    this.socket.destroy()
    this.pending?.reject(err)
    this.pending = null
  }

  private receive (chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
    while (this.buffer.length > 0 && !this.closed) {
      if (this.buffer[0] === 0x24) { // '$': interleaved binary data
        if (this.buffer.length < 4) return
        const length = this.buffer.readUInt16BE(2)
        if (this.buffer.length < 4 + length) return
        const channel = this.buffer[1]!
        const data = this.buffer.subarray(4, 4 + length)
        this.buffer = this.buffer.subarray(4 + length)
        this.rtp?.(channel, data)
        continue
      }
      const end = this.buffer.indexOf('\r\n\r\n')
      if (end < 0) {
        if (this.buffer.length > MAX_HEADER_BYTES) this.fail(new RtspError('protocol_error', 'response header too long'))
        return
      }
      const head = this.buffer.subarray(0, end).toString('latin1').split('\r\n')
      const status = /^RTSP\/1\.\d (\d{3}) ?(.*)$/.exec(head[0] ?? '')
      if (!status) return this.fail(new RtspError('protocol_error', `not an RTSP response: ${JSON.stringify(head[0]?.slice(0, 40))}`))
      const headers = new Map<string, string[]>()
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':')
        if (colon <= 0) continue
        const name = line.slice(0, colon).trim().toLowerCase()
        headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()])
      }
      const length = Number(headers.get('content-length')?.[0] ?? 0)
      if (!Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) return this.fail(new RtspError('protocol_error', 'bad Content-Length'))
      if (this.buffer.length < end + 4 + length) return
      const body = this.buffer.subarray(end + 4, end + 4 + length)
      this.buffer = this.buffer.subarray(end + 4 + length)
      const pending = this.pending
      if (pending && Number(headers.get('cseq')?.[0]) === pending.cseq) {
        this.pending = null
        pending.resolve({ status: Number(status[1]), reason: status[2] ?? '', headers, body })
      }
    }
  }
}

export const header = (response: RtspResponse, name: string): string | undefined => response.headers.get(name)?.[0]
