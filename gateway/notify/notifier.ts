// Listens to alarm changes and fills the outbox: the webhook hears every change; people hear
// of a new alarm, of a level alarm crossing a higher line, and of each escalation, by their chosen channels, from their chosen
// severity, outside their quiet hours unless the alarm is critical.
import type { AlarmNotice } from '../alarms/engine.js'
import { rank } from '../alarms/catalog.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents } from '../events/events.js'
import type { Registry } from '../registry/registry.js'
import type { Users } from '../users/users.js'
import type { Outbox } from './outbox.js'
import { notBefore, type NotificationPrefs, type PrefsStore } from './prefs.js'
import type { NotificationPayload } from './channels.js'
import { rolesFor } from './routing.js'
import { alarmText } from './text.js'

export interface NotifierParts {
  bus: EventBus<GatewayEvents>
  outbox: Outbox
  users: Users
  prefs: PrefsStore
  registry: Registry
  webhookUrl: string | null
  now?: () => number
}

export function startNotifier (parts: NotifierParts): () => void {
  const now = parts.now ?? Date.now
  return parts.bus.on('alarm', ({ alarm, change }: AlarmNotice) => {
    const name = alarm.deviceId ? parts.registry.get(alarm.deviceId)?.name ?? alarm.deviceId : alarm.village
    const payload = { event: `alarm.${change}`, alarm, text: alarmText(alarm, name, change) }
    if (parts.webhookUrl) parts.outbox.enqueue(alarm.id, 'webhook', parts.webhookUrl, payload)
    if (change !== 'raised' && change !== 'worsened' && change !== 'escalated') return
    const roles = rolesFor(alarm, alarm.escalationLevel)
    for (const user of parts.users.list()) {
      if (!user.enabled || !roles.includes(user.role)) continue
      const prefs = parts.prefs.get(user.id)
      if (rank(alarm.severity) > rank(prefs.minSeverity)) continue
      // Quiet hours hold back a notice until they end; a critical alarm goes at once.
      const at = alarm.severity === 'critical' ? now() : notBefore(prefs, now())
      toPerson(parts.outbox, prefs, alarm.id, payload, at)
    }
  })
}

/** A message to one person by the channels they chose (SMS, Zalo), not before `at`. */
export function toPerson (outbox: Outbox, prefs: NotificationPrefs, alarmId: number, payload: NotificationPayload, at: number): void {
  if (prefs.channels.includes('sms') && prefs.phone) outbox.enqueue(alarmId, 'sms', prefs.phone, payload, at)
  if (prefs.channels.includes('zalo') && prefs.zaloUserId) outbox.enqueue(alarmId, 'zalo', prefs.zaloUserId, payload, at)
}
