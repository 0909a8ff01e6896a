// Where notifications go. One HTTP POST underneath all three: a webhook (JSON, signed with
// HMAC-SHA256 so the receiver knows it came from this box), and adapters shaped for a Zalo
// official account and an SMS gateway, whose endpoints and tokens are settings. Retries and
// the record of every delivery are the outbox's (outbox.ts), the same for all.
import { createHmac } from 'node:crypto'
import type { Config } from '../config/settings.js'

export type ChannelName = 'webhook' | 'zalo' | 'sms'

/** What a channel sends: an event's name, its words, and its facts (notify/events-out.ts has each event's schema). */
export interface NotificationPayload {
  event: string
  /** The message people read, Vietnamese first. */
  text: string
  alarm?: unknown
  /** A bulletin (its state, or an automatic flood warning's outcome), for webhook receivers. */
  broadcast?: unknown
  [fact: string]: unknown
}

export interface Channel {
  name: ChannelName
  send (recipient: string, payload: NotificationPayload, deliveryId: number): Promise<void>
}

const TIMEOUT_MS = 10_000

async function post (url: string, headers: Record<string, string>, body: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(TIMEOUT_MS) })
  const text = await res.text()
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`)
  try { return JSON.parse(text) as unknown } catch { return null }
}

/** The signature a receiver recomputes: HMAC-SHA256 of "<timestamp>.<body>" with the shared secret. */
export function signature (secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
}

export function webhookChannel (secret: string): Channel {
  return {
    name: 'webhook',
    async send (url, payload, deliveryId) {
      const body = JSON.stringify({ id: deliveryId, ...payload, sentAt: new Date().toISOString() })
      const timestamp = String(Date.now())
      await post(url, {
        'x-gateway-event': payload.event,
        'x-gateway-delivery': String(deliveryId),
        'x-gateway-timestamp': timestamp,
        'x-gateway-signature': signature(secret, timestamp, body)
      }, body)
    }
  }
}

/** Zalo OA "customer service" message to a follower's user id; Zalo answers 200 with an error code inside. */
export function zaloChannel (url: string, accessToken: string): Channel {
  return {
    name: 'zalo',
    async send (userId, payload) {
      const answer = await post(url, { access_token: accessToken }, JSON.stringify({ recipient: { user_id: userId }, message: { text: payload.text } })) as { error?: number; message?: string } | null
      if (answer && typeof answer.error === 'number' && answer.error !== 0) throw new Error(`Zalo error ${answer.error}: ${answer.message ?? ''}`)
    }
  }
}

/** A telecom SMS gateway taking { to, text } with a bearer token. */
export function smsChannel (url: string, token: string): Channel {
  return {
    name: 'sms',
    async send (phone, payload) {
      await post(url, { authorization: `Bearer ${token}` }, JSON.stringify({ to: phone, text: payload.text }))
    }
  }
}

/** The notification channels the settings configure. */
export function channelsFrom (config: Pick<Config, 'webhookUrl' | 'webhookSecret' | 'zaloUrl' | 'zaloToken' | 'smsUrl' | 'smsToken'>): Map<ChannelName, Channel> {
  const channels = new Map<ChannelName, Channel>()
  if (config.webhookUrl && config.webhookSecret) channels.set('webhook', webhookChannel(config.webhookSecret))
  if (config.zaloToken) channels.set('zalo', zaloChannel(config.zaloUrl, config.zaloToken))
  if (config.smsUrl && config.smsToken) channels.set('sms', smsChannel(config.smsUrl, config.smsToken))
  return channels
}
