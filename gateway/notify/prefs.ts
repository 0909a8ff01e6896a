// Each person's notification choices: where to reach them, from which severity, and quiet
// hours (local time) during which only critical alarms come through at once.
import { z } from 'zod'
import type { Db } from '../db/database.js'
import { SEVERITIES } from '../alarms/catalog.js'

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
export const NotificationPrefs = z.strictObject({
  phone: z.string().regex(/^\+?[0-9]{8,15}$/, 'a phone number, digits only, e.g. 0912345678').nullable().default(null),
  zaloUserId: z.string().regex(/^[0-9]{5,32}$/, 'the numeric Zalo user id of a follower of the official account').nullable().default(null),
  channels: z.array(z.enum(['sms', 'zalo'])).max(2).default([]),
  minSeverity: z.enum(SEVERITIES).default('minor'),
  quietFrom: clock.nullable().default(null),
  quietTo: clock.nullable().default(null)
})
export type NotificationPrefs = z.output<typeof NotificationPrefs>

export const DEFAULT_PREFS: NotificationPrefs = NotificationPrefs.parse({})

export class PrefsStore {
  constructor (private readonly db: Db) {}

  get (userId: number): NotificationPrefs {
    const row = this.db.prepare<[number], { prefs: string }>('SELECT prefs FROM notification_prefs WHERE user_id = ?').get(userId)
    return row ? NotificationPrefs.parse(JSON.parse(row.prefs)) : DEFAULT_PREFS
  }

  set (userId: number, prefs: NotificationPrefs): void {
    this.db.prepare('INSERT INTO notification_prefs (user_id, prefs) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET prefs = excluded.prefs').run(userId, JSON.stringify(prefs))
  }
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))

/** When a non-critical notice may go out: now, or the end of the person's quiet hours. */
export function notBefore (prefs: NotificationPrefs, now: number): number {
  if (!prefs.quietFrom || !prefs.quietTo) return now
  const local = new Date(now + 7 * 3_600_000) // Asia/Ho_Chi_Minh, UTC+7 all year
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes()
  const from = minutesOf(prefs.quietFrom)
  const to = minutesOf(prefs.quietTo)
  const quiet = from <= to ? minute >= from && minute < to : minute >= from || minute < to
  if (!quiet) return now
  const wait = ((to - minute + 24 * 60) % (24 * 60)) * 60_000 - local.getUTCSeconds() * 1000 - local.getUTCMilliseconds()
  return now + wait
}
