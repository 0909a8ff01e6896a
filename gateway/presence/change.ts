// A device going online or offline, as the event bus carries it: a leaf of types, so the
// event vocabulary (events/events.ts) imports it without importing presence.
export type PresenceReason = 'status' | 'message' | 'will' | 'status_offline' | 'disconnected' | 'heartbeat_timeout'

export interface PresenceChange {
  deviceId: string
  online: boolean
  at: number
  reason: PresenceReason
}
