// /api/alarms: the live list and the history, acknowledge and clear with a comment, each
// device's alarm history, the thresholds (admin) and one's own notification choices.
import { Router, type Request } from 'express'
import { z } from 'zod'
import { SEVERITIES } from '../alarms/catalog.js'
import type { AlarmEngine } from '../alarms/engine.js'
import type { AlarmStore } from '../alarms/store.js'
import { THRESHOLDS, ThresholdPatch, type ThresholdStore } from '../alarms/thresholds.js'
import { GatewayError } from '../errors.js'
import type { Outbox } from '../notify/outbox.js'
import { NotificationPrefs, type PrefsStore } from '../notify/prefs.js'
import type { Registry } from '../registry/registry.js'
import type { AuditLog } from '../users/audit.js'
import { alarmTypesHiddenFrom, scopeSeesAlarm } from '../users/roles.js'
import { addressOf, allow, callerName, kindsOf, principalOf, requireSees } from './access.js'
import { AlarmAnswer, AlarmWithHistoryAnswer, AnyList, ThresholdsAnswer } from './answers.js'
import { doc } from './describe.js'
import { parse } from './parse.js'

export interface AlarmRouteDeps {
  alarms: AlarmStore
  engine: AlarmEngine
  thresholds: ThresholdStore
  prefs: PrefsStore
  outbox: Outbox
  registry: Registry
  audit: AuditLog
}

const AlarmQuery = z.strictObject({
  state: z.enum(['active', 'cleared']).optional(),
  severity: z.enum(SEVERITIES).optional(),
  acknowledged: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200)
})
const Comment = z.strictObject({ comment: z.string().trim().max(500).optional() })
const OneComment = z.strictObject({ comment: z.string().trim().min(1).max(500) })
/** Several alarms at once with one comment (an alarm storm: issue #15). */
const Several = z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500), comment: z.string().trim().max(500).optional() })
const Limit = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100), alarmId: z.coerce.number().int().optional() })

export function alarmRoutes (deps: AlarmRouteDeps): Router {
  const router = Router()
  const { alarms, engine, audit } = deps

  /** The alarm of the :id, if the requester's role sees its kind. */
  const visible = (req: Request, id = Number(req.params.id)) => {
    const alarm = Number.isInteger(id) ? alarms.get(id) : null
    if (!alarm) throw new GatewayError('NOT_FOUND', `no alarm ${String(req.params.id ?? id)}`)
    if (alarm.kind) requireSees(req, alarm.kind)
    const who = principalOf(req)
    if (!scopeSeesAlarm(who.scope, alarm)) throw new GatewayError('FORBIDDEN', `${callerName(who)} does not handle ${alarm.type} alarms`)
    return alarm
  }

  router.get('/alarms', allow('alarms.read'), doc({ summary: 'Alarms of the kinds the caller watches, newest first', query: AlarmQuery, answer: z.array(AlarmAnswer), stable: true }), (req, res) => {
    const q = parse(AlarmQuery, req.query, 'query')
    res.json(alarms.list({ ...q, kinds: kindsOf(req), hiddenTypes: alarmTypesHiddenFrom(principalOf(req).scope) }))
  })

  router.get('/alarms/:id', allow('alarms.read'), doc({ summary: 'One alarm with its history', answer: AlarmWithHistoryAnswer, stable: true }), (req, res) => {
    const alarm = visible(req)
    res.json({ ...alarm, history: alarms.history(alarm.id) })
  })

  // Before /alarms/:id/...: all or nothing, every alarm checked against the role first.
  router.post('/alarms/acknowledge', allow('alarms.acknowledge'), doc({ summary: 'Acknowledge several alarms with one comment (all or nothing)', body: Several, answer: z.array(AlarmAnswer), stable: true }), (req, res) => {
    const { ids, comment } = parse(Several, req.body ?? {}, 'alarms to acknowledge')
    const who = principalOf(req)
    const targets = [...new Set(ids)].map((id) => visible(req, id))
    const done = targets.map((alarm) => {
      const acked = engine.acknowledge(alarm.id, who.actor, comment ?? null)
      audit.record({ actor: who.actor, role: who.role, action: 'alarm.acknowledge', target: String(alarm.id), details: { type: alarm.type, subject: alarm.subject, comment }, address: addressOf(req) })
      return acked
    })
    res.json(done)
  })

  router.post('/alarms/:id/comment', allow('alarms.handle'), doc({ summary: 'Comment on an alarm', body: OneComment, answer: AlarmAnswer }), (req, res) => {
    const alarm = visible(req)
    const { comment } = parse(OneComment, req.body ?? {}, 'comment')
    const who = principalOf(req)
    const done = engine.comment(alarm.id, who.actor, comment)
    audit.record({ actor: who.actor, role: who.role, action: 'alarm.comment', target: String(alarm.id), details: { type: alarm.type, subject: alarm.subject, comment }, address: addressOf(req) })
    res.json(done)
  })

  for (const action of ['acknowledge', 'clear'] as const) {
    router.post(`/alarms/:id/${action}`, allow(action === 'acknowledge' ? 'alarms.acknowledge' : 'alarms.handle'), doc({ summary: `${action === 'clear' ? 'Clear' : 'Acknowledge'} an alarm, with an optional comment`, body: Comment, answer: AlarmAnswer, stable: action === 'acknowledge' }), (req, res) => {
      const alarm = visible(req)
      const { comment } = parse(Comment, req.body ?? {}, 'comment')
      const who = principalOf(req)
      const done = action === 'acknowledge' ? engine.acknowledge(alarm.id, who.actor, comment ?? null) : engine.clear(alarm.id, who.actor, comment ?? null)
      audit.record({ actor: who.actor, role: who.role, action: `alarm.${action}`, target: String(alarm.id), details: { type: alarm.type, subject: alarm.subject, comment }, address: addressOf(req) })
      res.json(done)
    })
  }

  router.get('/devices/:id/alarms', allow('alarms.read'), doc({ summary: 'A device\'s alarms, newest first', query: Limit, answer: z.array(AlarmAnswer), stable: true }), (req, res) => {
    const device = deps.registry.require(String(req.params.id))
    requireSees(req, device.kind)
    res.json(alarms.list({ deviceId: device.id, limit: parse(Limit, req.query, 'query').limit }))
  })

  router.get('/alarm-thresholds', allow('alarms.configure'), doc({ summary: 'Alarm thresholds: the defaults and the overrides', answer: ThresholdsAnswer }), (_req, res) => {
    res.json({ defaults: THRESHOLDS, overrides: deps.thresholds.list() })
  })

  router.put('/alarm-thresholds', allow('alarms.configure'), doc({ summary: 'Override thresholds for a scope', body: ThresholdPatch, answer: ThresholdsAnswer }), (req, res) => {
    deps.thresholds.set(req.body)
    const who = principalOf(req)
    audit.record({ actor: who.actor, role: who.role, action: 'alarm.thresholds', target: (req.body as { scope?: string }).scope ?? null, details: req.body, address: addressOf(req) })
    res.json({ defaults: THRESHOLDS, overrides: deps.thresholds.list() })
  })

  router.get('/notifications', allow('alarms.configure'), doc({ summary: 'Notification deliveries (webhook, Zalo, SMS)', query: Limit, answer: AnyList }), (req, res) => {
    const q = parse(Limit, req.query, 'query')
    res.json(deps.outbox.list(q.limit, q.alarmId))
  })

  router.get('/session/notifications', allow('session.own'), doc({ summary: 'One\'s own notification choices', answer: NotificationPrefs }), (req, res) => {
    res.json(deps.prefs.get(ownUserId(req)))
  })

  router.put('/session/notifications', allow('session.own'), doc({ summary: 'Set one\'s own notification choices', body: NotificationPrefs, answer: NotificationPrefs }), (req, res) => {
    const prefs = parse(NotificationPrefs, req.body, 'notification choices')
    deps.prefs.set(ownUserId(req), prefs)
    res.json(prefs)
  })

  return router
}

function ownUserId (req: Request): number {
  const { userId } = principalOf(req)
  if (userId === null) throw new GatewayError('VALIDATION', 'the admin token is not a person: sign in to choose notifications')
  return userId
}
