import type { PresenceChange } from '../presence/presence.js'

export interface Outage {
  start: number
  /** null while it lasts. */
  end: number | null
  durationMs: number | null
  reason: PresenceChange['reason']
}

/** Pairs presence transitions (newest first) into outages, newest first. */
export function outagesFrom (transitions: readonly PresenceChange[], now = Date.now()): Outage[] {
  const outages: Outage[] = []
  let wentBackOnlineAt: number | null = null
  for (const t of transitions) {
    if (t.online) { wentBackOnlineAt = t.at; continue }
    outages.push({ start: t.at, end: wentBackOnlineAt, durationMs: (wentBackOnlineAt ?? now) - t.at, reason: t.reason })
    wentBackOnlineAt = null
  }
  return outages
}
