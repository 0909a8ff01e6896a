// What the webhook sends (issue #22), as zod schemas: alarm changes, devices going online or
// offline, bulletins changing state and ending. /api/webhook-events.json serves them as JSON
// Schema (z.toJSONSchema), so a receiver validates what it gets against what the gateway
// promises; test/gateway/webhook-events.test.ts checks real deliveries against them.
import { z } from 'zod'
import type { BroadcastNotice } from '../broadcasts/service.js'
import { DeviceKind } from '../contract/index.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents } from '../events/events.js'
import { AlarmAnswer } from '../http/answers.js'
import type { Registry } from '../registry/registry.js'
import type { Outbox } from './outbox.js'

const Envelope = {
  id: z.number().int().describe('the delivery\'s id: the same on every retry of this delivery (x-gateway-delivery)'),
  text: z.string().describe('the message in words, Vietnamese first'),
  sentAt: z.string().describe('ISO 8601 time of this attempt')
}
const ALARM_CHANGES = ['raised', 'updated', 'worsened', 'acknowledged', 'cleared', 'escalated'] as const
export const AlarmEvent = z.object({ ...Envelope, event: z.enum(ALARM_CHANGES.map((c) => `alarm.${c}` as const)), alarm: AlarmAnswer })
export const PresenceEvent = z.object({
  ...Envelope,
  event: z.enum(['device.online', 'device.offline']),
  device: z.object({ id: z.string(), kind: DeviceKind, name: z.string(), village: z.string() }),
  at: z.number().int().describe('milliseconds since 1970'),
  reason: z.string().describe('status, message, will, status_offline, disconnected or heartbeat_timeout')
})
const BroadcastFacts = z.object({ id: z.string(), title: z.string(), priority: z.string(), status: z.string() })
const Summary = z.object({ targeted: z.number().int(), done: z.number().int(), outcome: z.string().describe('not_aired, airing, played, partly_played or not_played') })
export const BroadcastEvent = z.object({ ...Envelope, event: z.enum(['broadcast.status', 'broadcast.ended']), broadcast: BroadcastFacts, summary: Summary })
export const WarningOutcomeEvent = z.object({ ...Envelope, event: z.literal('broadcast.warning.outcome'), alarm: z.object({ id: z.number().int() }), broadcast: z.object({ id: z.string(), title: z.string(), summary: Summary }) })
export const WebhookEvent = z.discriminatedUnion('event', [AlarmEvent, PresenceEvent, BroadcastEvent, WarningOutcomeEvent])

/** The JSON Schema of every webhook body (draft 2020-12), for receivers. */
export function webhookEventSchema (): unknown {
  return { title: 'Commune gateway webhook event', ...z.toJSONSchema(WebhookEvent, { io: 'output' }) }
}

/** Presence changes and bulletin states to the webhook, beside the alarms the notifier sends. */
export function startEventsOut (parts: { bus: EventBus<GatewayEvents>; outbox: Outbox; registry: Registry; webhookUrl: string | null }): () => void {
  const url = parts.webhookUrl
  if (!url) return () => undefined
  const offPresence = parts.bus.on('presence', (change) => {
    const device = parts.registry.get(change.deviceId)
    if (!device) return
    const state = change.online ? 'online' : 'offline'
    parts.outbox.enqueue(null, 'webhook', url, {
      event: `device.${state}`, device: { id: device.id, kind: device.kind, name: device.name, village: device.village }, at: change.at, reason: change.reason,
      text: `${device.name} (${device.village}): ${change.online ? 'trực tuyến / online' : 'mất kết nối / offline'}`
    })
  })
  // Deliveries progress many times a bulletin; a receiver hears only when its status changes.
  const lastStatus = new Map<string, string>()
  const send = (event: 'broadcast.status' | 'broadcast.ended', { broadcast: b, summary }: BroadcastNotice) => {
    parts.outbox.enqueue(null, 'webhook', url, {
      event, broadcast: { id: b.id, title: b.title, priority: b.priority, status: b.status }, summary: { targeted: summary.targeted, done: summary.done, outcome: summary.outcome },
      text: `${b.title}: ${b.status}${event === 'broadcast.ended' ? `, ${summary.done}/${summary.targeted}` : ''}`
    })
  }
  const offState = parts.bus.on('broadcast', (notice) => {
    if (lastStatus.get(notice.broadcast.id) === notice.broadcast.status) return
    lastStatus.set(notice.broadcast.id, notice.broadcast.status)
    send('broadcast.status', notice)
  })
  const offEnded = parts.bus.on('broadcastEnded', (notice) => {
    lastStatus.delete(notice.broadcast.id)
    send('broadcast.ended', notice)
  })
  return () => { offPresence(); offState(); offEnded() }
}
