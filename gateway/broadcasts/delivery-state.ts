// A cluster's delivery follows its play command's replies (the command dispatcher's record):
// queued → sent → delivered (audio fetched) → playing → done, or failed, timed out, expired.
// A play cut off by an emergency, or whose audio did not arrive, waits and is tried again
// while the time-to-live lasts.
import type { CommandRecord } from '../commands/dispatcher.js'
import type { BroadcastStore, Delivery, DeliveryState } from './store.js'

/** A play that was cut off or whose audio did not arrive is tried again this long after. */
const RETRY_MS = 2000
const MAX_ATTEMPTS = 5
const RETRYABLE = /^(preempted|fetch)/

/** Moves the delivery with its command's status; returns its new state (null: unchanged). */
export function advanceDelivery (store: BroadcastStore, d: Delivery, record: CommandRecord, now: number): DeliveryState | null {
  switch (record.status) {
    case 'queued': return null
    case 'sent': if (d.state !== 'queued') return null; store.setDelivery(d, { state: 'sent' }, now); return 'sent'
    case 'accepted': store.setDelivery(d, { state: 'delivered' }, now); return 'delivered'
    case 'in_progress': store.setDelivery(d, { state: 'playing', started_at: now, reason: null }, now); return 'playing'
    case 'done': store.setDelivery(d, { state: 'done', finished_at: now, reason: null }, now); return 'done'
    case 'timed_out': case 'expired':
      store.setDelivery(d, { state: record.status, finished_at: now }, now)
      return record.status
    case 'failed': case 'rejected': {
      const reason = record.reason ?? record.status
      if (RETRYABLE.test(reason) && d.attempts < MAX_ATTEMPTS && now + RETRY_MS < d.expiresAt) {
        store.setDelivery(d, { state: 'queued', reason, retry_at: now + RETRY_MS, command_id: null }, now)
        return 'queued'
      }
      store.setDelivery(d, { state: 'failed', reason, finished_at: now }, now)
      return 'failed'
    }
  }
}
