// What happens inside the gateway, as typed events. Ingest, presence and the command
// dispatcher publish; the HTTP API, the dashboard push, alarms and notifications listen. Listeners run synchronously in the publisher's turn: keep them quick.
// A leaf: each payload's type lives in a small module beside its producer (registry/change.ts,
// presence/change.ts, commands/record.ts, alarms/notice.ts, broadcasts/notice.ts), so no producer
// and its events import each other.
import type { ClockVerdict, DeviceEvent, FieldValue } from '../contract/index.js'
import type { Device } from '../registry/device.js'
import type { RegistryChange } from '../registry/change.js'
import type { CommandRecord } from '../commands/record.js'
import type { PresenceChange } from '../presence/change.js'
import type { AlarmNotice } from '../alarms/notice.js'
import type { BroadcastNotice } from '../broadcasts/notice.js'

/** A telemetry reading, journaled (so acknowledged) and about to be stored. */
export interface Reading {
  device: Device
  ts: number
  receivedAt: number
  clock: ClockVerdict
  fields: Readonly<Record<string, FieldValue>>
}

export interface DeviceEventNotice {
  device: Device
  ts: number
  receivedAt: number
  event: DeviceEvent
}

export interface GatewayEvents {
  reading: [Reading]
  deviceEvent: [DeviceEventNotice]
  presence: [PresenceChange]
  command: [CommandRecord]
  registry: [RegistryChange]
  alarm: [AlarmNotice]
  broadcast: [BroadcastNotice]
  /** Every cluster of a bulletin's airing has answered (played in full, or not and why). */
  broadcastEnded: [BroadcastNotice]
}
