// An emergency a cluster did not play in full is a critical alarm of its village
// (broadcast_unconfirmed); it clears itself once the village's clusters have played an
// emergency in full after all (issue #15).
import type { AlarmEngine } from '../alarms/engine.js'
import { FINAL_DELIVERY, type Broadcast, type BroadcastStore, type Delivery, type DeliveryState } from './store.js'

interface Parts { store: BroadcastStore; alarms: AlarmEngine }

/** A cluster's delivery of `b` reached `state`: raise its village's alarm, or clear it. */
export function followEmergency (parts: Parts, b: Broadcast, d: Delivery, state: DeliveryState): void {
  if (b.priority !== 'emergency') return
  if (FINAL_DELIVERY.has(state) && state !== 'done' && b.status !== 'cancelled') {
    const missing = parts.store.deliveries(b.id, d.airingAt)
      .filter((x) => x.village === d.village && FINAL_DELIVERY.has(x.state) && x.state !== 'done').map((x) => x.deviceId)
    parts.alarms.reportVillage(d.village, {
      type: 'broadcast_unconfirmed', active: true, details: { broadcastId: b.id, title: b.title, issuer: b.province?.issuer ?? null, devices: missing }
    })
  } else if (state === 'done') confirmedAfterAll(parts, b, d)
}

/**
 * The village's clusters have all played an emergency in full now: sent again (the same
 * bulletin), or a later emergency that played on every cluster the alarm names.
 * Its broadcast_unconfirmed alarm is no longer true, so it clears.
 */
function confirmedAfterAll (parts: Parts, b: Broadcast, d: Delivery): void {
  const alarm = parts.alarms.activeAlarms().find((a) => a.type === 'broadcast_unconfirmed' && a.village === d.village)
  if (!alarm) return
  const airing = parts.store.deliveries(b.id, d.airingAt)
  const same = alarm.details.broadcastId === b.id
  const missed = Array.isArray(alarm.details.devices) ? alarm.details.devices as string[] : []
  const played = same
    ? airing.filter((x) => x.village === d.village).every((x) => x.state === 'done')
    : d.airingAt >= alarm.startedAt && missed.length > 0 && missed.every((id) => airing.some((x) => x.deviceId === id && x.state === 'done'))
  if (played) {
    parts.alarms.reportVillage(d.village, { type: 'broadcast_unconfirmed', active: false, details: { broadcastId: alarm.details.broadcastId, title: alarm.details.title, devices: [], playedBy: b.id } })
  }
}
