// /api/live: speak live (phát trực tiếp); /api/relays: relay a station (tiếp sóng). Start a session (who may: broadcasts/live.ts), send
// the microphone's recording in numbered chunks, stop it. /media/live/<token>: the clusters'
// side, one MP3 stream over chunked HTTP while the session is on air. The recording is the
// session's clip (GET /api/audio/<clipId>), kept with the broadcast log.
import express, { Router, type Request } from 'express'
import { z } from 'zod'
import { GoLive, type LiveSessions } from '../broadcasts/live.js'
import { RelaySpec, type Relays } from '../broadcasts/relay.js'
import type { Actor } from '../broadcasts/service.js'
import { GatewayError } from '../errors.js'
import type { AuditLog } from '../users/audit.js'
import { mayApproveBulletins } from '../users/roles.js'
import type { Users } from '../users/users.js'
import { addressOf, allow, open, principalOf } from './access.js'
import { BroadcastAnswer, RelayAnswer } from './answers.js'
import { doc } from './describe.js'
import { parse } from './parse.js'

export interface LiveRouteDeps { liveSessions: LiveSessions; relays: Relays; users: Users; audit: AuditLog }

/** A MediaRecorder chunk of a quarter second is a few kB; this leaves room for a slow phone's longer ones. */
const MAX_CHUNK_BYTES = 512 * 1024
const CHUNK_TYPES = ['audio/webm', 'audio/ogg', 'audio/mp4', 'application/octet-stream']
const ChunkQuery = z.strictObject({ seq: z.coerce.number().int().min(0).max(10_000_000) })

export function liveRoutes (deps: LiveRouteDeps): Router {
  const router = Router()
  const actorOf = (req: Request): Actor => {
    const who = principalOf(req)
    return { actor: who.actor, role: who.role, mayApprove: mayApproveBulletins(who.role, who.userId !== null && (deps.users.get(who.userId)?.mayApprove ?? false)) }
  }
  const record = (req: Request, action: string, target: string, details: unknown) => {
    const who = principalOf(req)
    deps.audit.record({ actor: who.actor, role: who.role, action, target, details, address: addressOf(req) })
  }

  router.post('/live', allow('broadcasts.compose'), doc({ summary: 'Start speaking live to chosen clusters', body: GoLive, answers: [{ status: 201, json: BroadcastAnswer }] }), async (req, res) => {
    const b = await deps.liveSessions.start(req.body, actorOf(req))
    record(req, 'live.start', b.id, { title: b.title, priority: b.priority, targets: b.targets })
    res.status(201).json(b)
  })

  router.post('/live/:id/audio', allow('broadcasts.compose'), doc({ summary: 'One numbered piece of the microphone\'s recording', query: ChunkQuery, bodyMedia: CHUNK_TYPES }), express.raw({ type: CHUNK_TYPES, limit: MAX_CHUNK_BYTES }), (req, res) => {
    if (!Buffer.isBuffer(req.body)) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'send the recording as audio/webm (or audio/ogg)')
    const { seq } = parse(ChunkQuery, req.query, 'query')
    deps.liveSessions.feed(String(req.params.id), seq, req.body, actorOf(req))
    res.status(204).end()
  })

  router.post('/live/:id/stop', allow('broadcasts.compose'), doc({ summary: 'Stop a live session', answer: BroadcastAnswer }), async (req, res) => {
    const b = await deps.liveSessions.stop(String(req.params.id), actorOf(req))
    record(req, 'live.stop', b.id, {})
    res.json(b)
  })

  // Tiếp sóng: a station relayed at set hours (broadcasts/relay.ts).
  router.get('/relays', allow('broadcasts.read'), doc({ summary: 'Stations relayed at set hours', answer: z.array(RelayAnswer) }), (_req, res) => { res.json(deps.relays.list()) })

  router.post('/relays', allow('broadcasts.compose'), doc({ summary: 'Relay a station at set hours', body: RelaySpec, answers: [{ status: 201, json: RelayAnswer }] }), (req, res) => {
    const r = deps.relays.create(req.body, actorOf(req))
    record(req, 'relay.create', r.id, r.spec)
    res.status(201).json(r)
  })

  router.post('/relays/:id/cancel', allow('broadcasts.compose'), doc({ summary: 'Cancel a relay', answer: RelayAnswer }), (req, res) => {
    const r = deps.relays.cancel(String(req.params.id), actorOf(req))
    record(req, 'relay.cancel', r.id, {})
    res.json(r)
  })

  return router
}

/** The clusters' side: the live stream, by the session's token, while it is on air. */
export function liveMediaRoutes (deps: Pick<LiveRouteDeps, 'liveSessions'>): Router {
  const router = Router()
  router.get('/media/live/:token', open(), doc({ summary: 'A live session\'s stream for the clusters, by its token, while it is on air', answers: [{ status: 200, media: 'audio/mpeg' }] }), (req, res) => {
    if (!deps.liveSessions.listen(String(req.params.token), res)) throw new GatewayError('NOT_FOUND', 'no live session at this link, or it has ended')
    // Headers now, so the cluster knows it is in before the next frame comes.
    res.status(200).type('audio/mpeg').set('cache-control', 'no-store').flushHeaders()
  })
  return router
}
