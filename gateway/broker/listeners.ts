// Where devices reach the broker: MQTT over TCP, over WebSocket, and over TLS when the box
// has a certificate. Every listener is dual-stack ("::" accepts IPv4 too) and every
// connection passes the packet-size guard.
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import type { Duplex } from 'node:stream'
import type { Aedes } from 'aedes'
import { WebSocketServer, createWebSocketStream } from 'ws'
import type { Logger } from '../log.js'
import { clip, LogLimiter, warnLimited } from '../log-limit.js'
import { PacketSizeGuard, type Refusal } from './packet-guard.js'

export interface ListenOptions {
  host: string
  port: number
  wsPort: number | 'off'
  tls: { port: number; certFile: string; keyFile: string } | null
  maxPacketBytes: number
  onRefused: (refusal: Refusal) => void
}

export interface Listeners {
  tcp: AddressInfo
  ws: AddressInfo | null
  tls: AddressInfo | null
  close (): Promise<void>
}

export async function listen (broker: Aedes, options: ListenOptions, log: Logger): Promise<Listeners> {
  // Anyone can open connections: what they cause is logged once a minute per reason, with a count.
  const logLimit = new LogLimiter()
  const sockets = new Set<Duplex>()
  const accept = (stream: Duplex): void => {
    sockets.add(stream)
    stream.once('close', () => sockets.delete(stream))
    const guarded = new PacketSizeGuard(stream, options.maxPacketBytes, (refusal) => {
      options.onRefused(refusal)
      if (refusal.cause === 'oversize') warnLimited(log, logLimit, 'too_large', undefined, { limit: options.maxPacketBytes }, 'closed a connection that sent an oversize packet')
      else warnLimited(log, logLimit, 'protocol_violation', undefined, { rule: refusal.rule }, 'closed a connection that broke the MQTT protocol')
    })
    broker.handle(guarded)
  }
  const servers: Array<Server | HttpServer> = []
  // PUBACKs are small writes that follow an asynchronous journal commit: with Nagle's
  // algorithm on, each waits for the device's delayed ACK (~40 ms), which capped ingest.
  const tcpServer = createTcpServer({ noDelay: true }, (socket: Socket) => accept(socket))
  servers.push(tcpServer)
  const tcp = await start(tcpServer, options.host, options.port)

  let ws: AddressInfo | null = null
  let wss: WebSocketServer | null = null
  if (options.wsPort !== 'off') {
    const httpServer = createHttpServer((_req, res) => { res.writeHead(426).end('MQTT over WebSocket only\n') })
    wss = new WebSocketServer({ server: httpServer, maxPayload: options.maxPacketBytes + 8 })
    wss.on('connection', (socket) => accept(createWebSocketStream(socket)))
    servers.push(httpServer)
    ws = await start(httpServer, options.host, options.wsPort)
  }

  let tls: AddressInfo | null = null
  if (options.tls) {
    const tlsServer = createTlsServer({ cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile), noDelay: true }, (socket) => accept(socket))
    tlsServer.on('tlsClientError', (err) => warnLimited(log, logLimit, 'tls_handshake', undefined, { err: clip(err.message) }, 'TLS handshake failed'))
    servers.push(tlsServer)
    tls = await start(tlsServer, options.host, options.tls.port)
  }
  log.info({ tcp: tcp.port, ws: ws?.port ?? 'off', tls: tls?.port ?? 'off' }, 'MQTT listening')

  return {
    tcp,
    ws,
    tls,
    async close () {
      wss?.close()
      for (const socket of sockets) socket.destroy()
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
    }
  }
}

/** Listens on host:port; "::" falls back to 0.0.0.0 on a box without IPv6. */
export async function start (server: Server | HttpServer, host: string, port: number): Promise<AddressInfo> {
  try {
    return await bind(server, host, port)
  } catch (err) {
    if (host === '::' && (err as NodeJS.ErrnoException).code === 'EAFNOSUPPORT') return bind(server, '0.0.0.0', port)
    throw err
  }
}

function bind (server: Server | HttpServer, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}
