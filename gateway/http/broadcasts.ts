// /api/audio, /api/broadcasts, /api/broadcast-log, /api/speaker-groups: compose a bulletin
// (upload or speech, with a preview), submit, approve, reject, cancel, follow each cluster's
// delivery, send again to the clusters that missed it (the broadcast log: broadcast-log.ts). /media/<token>: the audio, for the clusters, by the
// broadcast's token (a leaked link stops working when the bulletin has played out).
import express, { Router, type Request } from 'express'
import { z } from 'zod'
import { MAX_UPLOAD_BYTES, VOICES, type AudioLibrary } from '../broadcasts/audio.js'
import { Compose, type Actor, type BroadcastService } from '../broadcasts/service.js'
import { BROADCAST_STATUSES, type BroadcastStore } from '../broadcasts/store.js'
import { GroupBody, type SpeakerGroups } from '../broadcasts/targets.js'
import { GatewayError } from '../errors.js'
import type { AuditLog } from '../users/audit.js'
import { mayApproveBulletins } from '../users/roles.js'
import type { Users } from '../users/users.js'
import { addressOf, allow, open, principalOf } from './access.js'
import { BroadcastAnswer, BroadcastDetailAnswer, BroadcastWithSummaryAnswer, ClipAnswer, GroupAnswer } from './answers.js'
import { doc } from './describe.js'
import { parse } from './parse.js'

export interface BroadcastRouteDeps {
  broadcasts: BroadcastService
  broadcastStore: BroadcastStore
  audio: AudioLibrary
  groups: SpeakerGroups
  users: Users
  audit: AuditLog
}

const Speech = z.strictObject({ text: z.string().min(1).max(3000), voice: z.enum(Object.keys(VOICES) as [keyof typeof VOICES]).default('north') })
const ListQuery = z.strictObject({ status: z.enum(BROADCAST_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) })
const Decision = z.strictObject({ comment: z.string().trim().max(500).optional() })
// A rejection says why: its author reads the reason.
const Rejection = z.strictObject({ comment: z.string().trim().min(1, 'say why the bulletin is rejected').max(500) })
// A bulletin from the province is cancelled only with a reason (sent up to the province).
const Cancel = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() })
const AUDIO_TYPES = ['audio/mpeg', 'audio/mp3', 'audio/wav', 'audio/x-wav', 'audio/wave', 'application/octet-stream']

export function broadcastRoutes (deps: BroadcastRouteDeps): Router {
  const router = Router()
  const { broadcasts, broadcastStore, audio, audit } = deps

  const actorOf = (req: Request): Actor => {
    const who = principalOf(req)
    return { actor: who.actor, role: who.role, mayApprove: mayApproveBulletins(who.role, who.userId !== null && (deps.users.get(who.userId)?.mayApprove ?? false)) }
  }
  const record = (req: Request, action: string, target: string, details?: unknown) => {
    const who = principalOf(req)
    audit.record({ actor: who.actor, role: who.role, action, target, details: details ?? null, address: addressOf(req) })
  }

  router.post('/audio/speech', allow('broadcasts.compose'), doc({ summary: 'Speak a text (espeak-ng) into a clip to preview and send', body: Speech, answers: [{ status: 201, json: ClipAnswer }] }), async (req, res) => {
    const { text, voice } = parse(Speech, req.body, 'speech')
    const clip = await audio.speak(text, voice, principalOf(req).actor)
    record(req, 'audio.speech', clip.id, { voice, characters: text.length })
    res.status(201).json(clip)
  })

  router.post('/audio', allow('broadcasts.compose'), doc({ summary: 'Upload an MP3 or WAV as a clip', bodyMedia: AUDIO_TYPES, answers: [{ status: 201, json: ClipAnswer }] }), express.raw({ type: AUDIO_TYPES, limit: MAX_UPLOAD_BYTES }), async (req, res) => {
    if (!Buffer.isBuffer(req.body)) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'send the file as audio/mpeg or audio/wav')
    const clip = await audio.upload(req.body, principalOf(req).actor)
    record(req, 'audio.upload', clip.id, { bytes: clip.bytes, durationMs: clip.durationMs })
    res.status(201).json(clip)
  })

  // The preview, before anyone sends it.
  router.get('/audio/:id', allow('broadcasts.read'), doc({ summary: 'A clip\'s audio (the preview)', answers: [{ status: 200, media: ['audio/mpeg', 'audio/wav'] }] }), (req, res) => {
    const clip = audio.require(String(req.params.id))
    res.type(clip.contentType).sendFile(audio.fileOf(clip.id))
  })

  router.get('/broadcasts', allow('broadcasts.read'), doc({ summary: 'Bulletins, newest first, with how their latest airing went', query: ListQuery, answer: z.array(BroadcastWithSummaryAnswer), stable: true }), (req, res) => {
    const q = parse(ListQuery, req.query, 'query')
    res.json(broadcastStore.list(q).map((b) => ({ ...b, summary: broadcasts.summary(b.id) })))
  })

  router.post('/broadcasts', allow('broadcasts.compose'), doc({ summary: 'Compose a bulletin (a draft, submitted for approval, or an emergency sent at once)', body: Compose, answers: [{ status: 201, json: BroadcastAnswer }], stable: true }), (req, res) => {
    const b = broadcasts.compose(req.body, actorOf(req))
    record(req, b.status === 'scheduled' ? 'broadcast.send_emergency' : `broadcast.${b.status === 'draft' ? 'draft' : 'submit'}`, b.id,
      { title: b.title, priority: b.priority, targets: b.targets, schedule: b.schedule })
    res.status(201).json(b)
  })

  // Everything an approver must see before releasing it: the words, the audio, who hears it.
  router.get('/broadcasts/:id', allow('broadcasts.read'), doc({ summary: 'A bulletin with its clip, targets, reach and every cluster\'s delivery', answer: BroadcastDetailAnswer, stable: true }), (req, res) => {
    const b = broadcastStore.require(String(req.params.id))
    const clip = audio.get(b.clipId)
    res.json({
      ...b, summary: broadcasts.summary(b.id), deliveries: broadcastStore.deliveries(b.id),
      clip: clip && { id: clip.id, source: clip.source, text: clip.text, voice: clip.voice, durationMs: clip.durationMs, contentType: clip.contentType },
      reach: broadcasts.reach(b)
    })
  })

  router.post('/broadcasts/:id/submit', allow('broadcasts.compose'), doc({ summary: 'Submit a draft for approval', answer: BroadcastAnswer, stable: true }), (req, res) => {
    const b = broadcasts.submit(String(req.params.id), actorOf(req))
    record(req, 'broadcast.submit', b.id)
    res.json(b)
  })

  for (const action of ['approve', 'reject'] as const) {
    router.post(`/broadcasts/:id/${action}`, allow('broadcasts.compose'), doc({ summary: action === 'approve' ? 'Approve a bulletin (an official who may approve)' : 'Reject a bulletin, saying why', body: action === 'approve' ? Decision : Rejection, answer: BroadcastAnswer }), (req, res) => {
      const { comment } = parse(action === 'approve' ? Decision : Rejection, req.body ?? {}, 'decision')
      const id = String(req.params.id)
      const b = action === 'approve' ? broadcasts.approve(id, actorOf(req), comment ?? null) : broadcasts.reject(id, actorOf(req), comment ?? null)
      record(req, `broadcast.${action}`, b.id, { comment })
      res.json(b)
    })
  }

  // Phát lại: the latest airing again, to the clusters that did not play it in full.
  router.post('/broadcasts/:id/resend', allow('broadcasts.compose'), doc({ summary: 'Send the latest airing again to the clusters that missed it', answer: BroadcastWithSummaryAnswer.extend({ resentTo: z.array(z.string()) }) }), async (req, res) => {
    const { broadcast, devices } = await broadcasts.sendAgain(String(req.params.id), actorOf(req))
    record(req, 'broadcast.resend', broadcast.id, { devices })
    res.json({ ...broadcast, summary: broadcasts.summary(broadcast.id), resentTo: devices.map((d) => d.deviceId) })
  })

  router.post('/broadcasts/:id/cancel', allow('broadcasts.compose'), doc({ summary: 'Cancel a bulletin (one from the province only with a reason, which goes up)', body: Cancel, answer: BroadcastAnswer, stable: true }), async (req, res) => {
    const { reason } = parse(Cancel, req.body ?? {}, 'cancel')
    const b = await broadcasts.cancel(String(req.params.id), actorOf(req), reason ?? null)
    record(req, 'broadcast.cancel', b.id, reason ? { reason, province: b.province?.id ?? null } : undefined)
    res.json(b)
  })

  router.get('/speaker-groups', allow('broadcasts.read'), doc({ summary: 'Named groups of loudspeaker clusters', answer: z.array(GroupAnswer) }), (_req, res) => { res.json(deps.groups.list()) })

  router.put('/speaker-groups/:name', allow('broadcasts.compose'), doc({ summary: 'Set a group\'s clusters', body: GroupBody, answer: GroupAnswer }), (req, res) => {
    const { devices } = parse(GroupBody, req.body, 'group')
    const group = deps.groups.set(String(req.params.name), devices)
    record(req, 'speaker_group.set', group.name, { devices })
    res.json(group)
  })

  router.delete('/speaker-groups/:name', allow('broadcasts.compose'), doc({ summary: 'Remove a group' }), (req, res) => {
    deps.groups.remove(String(req.params.name))
    record(req, 'speaker_group.remove', String(req.params.name))
    res.status(204).end()
  })

  return router
}

/** The clusters' side: the audio of a bulletin, by its token, while it is on air. */
export function mediaRoutes (deps: Pick<BroadcastRouteDeps, 'broadcastStore' | 'audio'>): Router {
  const router = Router()
  router.get('/media/:token', open(), doc({ summary: 'A bulletin\'s audio for the clusters, by its token, while it is on air', answers: [{ status: 200, media: ['audio/mpeg', 'audio/wav'] }] }), (req, res) => {
    const b = deps.broadcastStore.byToken(String(req.params.token), Date.now())
    if (!b) throw new GatewayError('NOT_FOUND', 'no bulletin at this link, or it has played out')
    const clip = deps.audio.require(b.clipId)
    res.type(clip.contentType).sendFile(deps.audio.fileOf(clip.id))
  })
  return router
}
