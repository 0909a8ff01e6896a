// HTTP as an attacker sends it: from any loopback address (127.0.0.0/8 is all ours on Linux,
// so each request can come from a "different client"), with headers that announce more body
// than is sent, to see whether the gateway answers before reading it.
import { request } from 'node:http'
import { connect } from 'node:net'

export interface RawAnswer { status: number; body: string; headers: Record<string, string | string[] | undefined> }

/** A JSON POST from the given source address. */
export function postFrom (url: string, path: string, body: unknown, from: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url)
  const data = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'POST', localAddress: from, agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { text += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }))
    })
    req.once('error', reject)
    req.end(data)
  })
}

/**
 * Sends a request's headers announcing `announced` bytes of body, then only `sent` bytes, and
 * waits for the answer: one that comes proves the gateway did not wait to read the body.
 * Resolves with the status line and whether the server closed the connection after it.
 */
export function announceBody (url: string, o: { method?: string; path: string; contentType: string; announced: number; sent: number; headers?: Record<string, string> }): Promise<{ status: number; closed: boolean; raw: string }> {
  const { hostname, port } = new URL(url)
  const head = [`${o.method ?? 'POST'} ${o.path} HTTP/1.1`, `host: ${hostname}:${port}`, `content-type: ${o.contentType}`,
    `content-length: ${o.announced}`, ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n')
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head + 'x'.repeat(o.sent)))
    let raw = ''
    let status = 0
    socket.setEncoding('utf8')
    socket.on('data', (c: string) => {
      raw += c
      status ||= Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0)
    })
    socket.once('end', () => { socket.destroy(); resolve({ status, closed: true, raw }) })
    // Not a time limit on the gateway: a gateway that waits for the body never answers at all.
    socket.setTimeout(15_000, () => { socket.destroy(); reject(new Error(`no answer with the body unsent (got: ${raw.slice(0, 80) || 'nothing'})`)) })
    socket.once('error', reject)
  })
}
