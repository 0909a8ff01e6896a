// A TCP proxy a test can cut and throttle: the commune box's rural link to the province.
// Cut: every connection through it is destroyed and new ones are refused at once (as a
// dead link looks to the client after its keepalive). Throttle: bytes per second in each
// direction, shared by all connections, so a catch-up really takes the time a slow link takes.
import { createServer, connect, type Server, type Socket } from 'node:net'
import { Transform, type TransformCallback } from 'node:stream'

export interface TcpProxy {
  port: number
  url: string
  cut (): void
  restore (): void
  /** Bytes per second each way; 0 lifts the limit. */
  throttle (bytesPerS: number): void
  close (): Promise<void>
}

class Throttle extends Transform {
  constructor (private readonly rate: () => number, private readonly clock: { next: number }) { super() }

  override _transform (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const rate = this.rate()
    if (rate <= 0) { done(null, chunk); return }
    // Each chunk takes its share of the link: it leaves when the link is free again.
    const now = Date.now()
    const start = Math.max(now, this.clock.next)
    this.clock.next = start + (chunk.length / rate) * 1000
    setTimeout(() => { done(null, chunk) }, Math.max(0, this.clock.next - now))
  }
}

export async function startTcpProxy (targetHost: string, targetPort: number): Promise<TcpProxy> {
  let up = true
  let rate = 0
  const sockets = new Set<Socket>()
  const up1 = { next: 0 }
  const down1 = { next: 0 }
  const server: Server = createServer((client) => {
    if (!up) { client.destroy(); return }
    const target = connect(targetPort, targetHost)
    sockets.add(client)
    sockets.add(target)
    const end = (): void => { client.destroy(); target.destroy(); sockets.delete(client); sockets.delete(target) }
    client.on('error', end).on('close', end)
    target.on('error', end).on('close', end)
    client.pipe(new Throttle(() => rate, up1)).pipe(target)
    target.pipe(new Throttle(() => rate, down1)).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    cut () {
      up = false
      for (const s of sockets) s.destroy()
      sockets.clear()
    },
    restore () { up = true; up1.next = 0; down1.next = 0 },
    throttle (bytesPerS) { rate = bytesPerS },
    async close () {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
