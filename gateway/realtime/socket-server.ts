// socket.io on the gateway's HTTP server. A socket is someone: the handshake carries the
// session cookie (or the admin token, for tools), checked on connect and again on every
// recovered connection. Channels are refused to roles that do not see them. A socket lives
// no longer than its session: ended by logout (closeSessions), and by expiry, found on its
// next subscribe or by a sweep (issue #14: a socket could still subscribe after its session
// answered 401).
import type { Server as HttpServer, IncomingMessage } from 'node:http'
import { Server } from 'socket.io'
import { DEVICE_KINDS, type DeviceKind } from '../contract/index.js'
import type { Logger } from '../log.js'
import { identify, type IdentifyDeps } from '../users/identify.js'
import { roleMay, roleSees } from '../users/roles.js'
import { alarmsRoom, BROADCASTS_ROOM, kindRoom, overviewRoom, type LiveFeed } from './live-feed.js'
import type { Channel, ClientToServerEvents, ServerToClientEvents, SocketData, SubscribeReply } from './protocol.js'

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>

export const sessionRoom = (tokenHash: string): string => `session:${tokenHash}`

/**
 * A browser page may only open the live link to its own origin: a page elsewhere that the
 * user visits must not ride on their cookie (cross-site WebSocket hijacking). Tools that
 * send no Origin are let through to the normal authentication.
 */
function sameOrigin (req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (!origin) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

/** How often sockets are checked for an expired session: sessions last hours, a minute late is fine. */
export const SESSION_SWEEP_MS = 60_000

export function attachLiveServer (http: HttpServer, feed: () => LiveFeed, auth: IdentifyDeps, log: Logger, sweepMs = SESSION_SWEEP_MS): LiveServer {
  const io: LiveServer = new Server(http, {
    serveClient: false,
    allowRequest: (req, callback) => callback(sameOrigin(req) ? null : 'cross-origin request refused', sameOrigin(req)),
    // Snapshots of many devices compress well; a village phone link is slow.
    perMessageDeflate: { threshold: 2048 },
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false }
  })

  io.use((socket, next) => {
    let principal
    try {
      principal = identify(auth, socket.handshake.headers)
    } catch {
      principal = null
    }
    const token = (socket.handshake.auth as { token?: unknown }).token
    if (!principal && typeof token === 'string') {
      try { principal = identify(auth, { authorization: `Bearer ${token}` }) } catch { principal = null }
    }
    // The live link is the dashboard's: people and the admin token (integration tokens have no role: REST, webhook, MQTT mirror).
    if (!principal?.role) return next(Object.assign(new Error('unauthorized'), { data: { code: 'UNAUTHORIZED' } }))
    if (principal.mustChangePassword) return next(Object.assign(new Error('password change required'), { data: { code: 'PASSWORD_CHANGE_REQUIRED' } }))
    socket.data = { actor: principal.actor, role: principal.role, sessionHash: principal.session?.tokenHash ?? null }
    next()
  })

  const sessionEnded = (hash: string | null): boolean => hash !== null && auth.sessions.alive(hash) === null
  const sweep = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      if (sessionEnded(socket.data.sessionHash)) socket.disconnect(true)
    }
  }, sweepMs)
  sweep.unref()
  http.once('close', () => clearInterval(sweep))

  io.on('connection', (socket) => {
    const { role, sessionHash } = socket.data
    if (sessionHash && !socket.recovered) void socket.join(sessionRoom(sessionHash))
    log.debug({ actor: socket.data.actor, recovered: socket.recovered }, 'live link opened')

    socket.on('subscribe', (channel: Channel, reply: (answer: SubscribeReply) => void) => {
      if (typeof reply !== 'function') return
      if (sessionEnded(sessionHash)) {
        reply({ ok: false, code: 'UNAUTHORIZED', message: 'the session has ended; sign in again' })
        socket.disconnect(true)
        return
      }
      if (channel === 'overview') {
        void socket.join(overviewRoom(role))
        reply({ ok: true, channel, overview: feed().overviewFor(role) })
        return
      }
      if (channel === 'alarms') {
        void socket.join(alarmsRoom(role))
        reply({ ok: true, channel, alarms: feed().activeAlarms(role) })
        return
      }
      if (channel === 'broadcasts') {
        if (!roleMay(role, 'broadcasts.read')) {
          reply({ ok: false, code: 'FORBIDDEN', message: `the ${role} role does not see bulletins` })
          return
        }
        void socket.join(BROADCASTS_ROOM)
        reply({ ok: true, channel, broadcasts: feed().recentBroadcasts() })
        return
      }
      if (!(DEVICE_KINDS as readonly string[]).includes(channel)) {
        reply({ ok: false, code: 'VALIDATION', message: `no channel ${String(channel)}` })
        return
      }
      if (!roleSees(role, channel)) {
        reply({ ok: false, code: 'FORBIDDEN', message: `the ${role} role does not see ${channel} devices` })
        return
      }
      void socket.join(kindRoom(channel))
      reply({ ok: true, channel, devices: feed().snapshot(channel), at: Date.now() })
    })

    socket.on('unsubscribe', (channel: Channel) => {
      const rooms: Record<string, string> = { overview: overviewRoom(role), alarms: alarmsRoom(role), broadcasts: BROADCASTS_ROOM }
      void socket.leave(rooms[channel] ?? kindRoom(channel as DeviceKind))
    })
  })

  return io
}

/** Closes the live links of ended sessions (logout, password change, account disabled). */
export function closeSessions (io: LiveServer, tokenHashes: readonly string[]): void {
  for (const hash of tokenHashes) io.in(sessionRoom(hash)).disconnectSockets(true)
}
