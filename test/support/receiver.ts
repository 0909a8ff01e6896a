// A real HTTP receiver standing in for the SMS gateway and the Zalo official account API:
// it records every POST with its path and parsed body and answers as those services do
// (Zalo's "error": 0 inside a 200). Tests give each commune's box its own paths, so who sent a
// message is read from where it arrived.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }

export interface Receiver {
  url: string
  received: Received[]
  close (): Promise<void>
}

export async function startReceiver (): Promise<Receiver> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: Record<string, unknown>
      try { body = JSON.parse(text) as Record<string, unknown> } catch { body = { unparsed: text } }
      received.push({ path: req.url ?? '', headers: req.headers, body })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"error":0,"message":"Success"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

/** A commune box's SMS and Zalo settings pointing at the receiver, under paths naming the commune. */
export function notifySettings (receiver: Receiver, commune: string): Record<string, string> {
  return { smsUrl: `${receiver.url}/${commune}/sms`, smsToken: `sms-token-${commune}-0123456789`, zaloUrl: `${receiver.url}/${commune}/zalo`, zaloToken: `zalo-token-${commune}-0123456789` }
}
