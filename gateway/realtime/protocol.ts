// The live link between the gateway and the dashboard, typed both ways. The dashboard
// imports these types (types only: nothing of the gateway is bundled).
//
// On connect the dashboard subscribes to the channels its view needs; each subscription is
// answered with a snapshot, and from then on the channel's room receives batched deltas: a
// few per second at most, each carrying the whole current view of every device that changed
// (so a delta replayed after a reconnect is harmless).
import type { DeviceKind } from '../contract/index.js'
import type { DeviceView } from '../live/device-view.js'
import type { Overview } from '../live/overview.js'
import type { Role } from '../users/roles.js'
import type { Alarm } from '../alarms/catalog.js'
import type { BroadcastNotice } from '../broadcasts/service.js'

export type { Alarm, BroadcastNotice, DeviceView, Overview }

/** "overview", the alarms the role sees, the bulletins (officials), or the devices of one kind. */
export type Channel = 'overview' | 'alarms' | 'broadcasts' | DeviceKind

export type SubscribeReply =
  | { ok: true; channel: 'overview'; overview: Overview }
  | { ok: true; channel: 'alarms'; alarms: Alarm[] }
  | { ok: true; channel: 'broadcasts'; broadcasts: BroadcastNotice[] }
  | { ok: true; channel: DeviceKind; devices: DeviceView[]; at: number }
  | { ok: false; code: 'FORBIDDEN' | 'VALIDATION' | 'UNAUTHORIZED'; message: string }

export interface DevicesDelta {
  kind: DeviceKind
  devices: DeviceView[]
  removed: string[]
  /** When the gateway sent it (ms): the dashboard's latency measure. */
  at: number
}

/** Alarms that changed (raised, updated, acknowledged, cleared, escalated), as they are now. */
export interface AlarmsDelta {
  alarms: Alarm[]
  /** The change of each alarm, by id: a new critical alarm rings. */
  changes: Record<number, string>
  at: number
}

/** Bulletins whose status or deliveries changed, each with the counts of its latest airing. */
export interface BroadcastsDelta {
  broadcasts: BroadcastNotice[]
  at: number
}

export interface ServerToClientEvents {
  devices: (delta: DevicesDelta) => void
  alarms: (delta: AlarmsDelta) => void
  broadcasts: (delta: BroadcastsDelta) => void
  overview: (overview: Overview) => void
}

export interface ClientToServerEvents {
  subscribe: (channel: Channel, reply: (answer: SubscribeReply) => void) => void
  unsubscribe: (channel: Channel) => void
}

export interface SocketData {
  actor: string
  role: Role
  sessionHash: string | null
}
