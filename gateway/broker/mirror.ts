// The read-only MQTT mirror (issue #22): readings and alarm changes, republished by the gateway
// under their own root for Node-RED and Home Assistant, which log in with an integration token
// (username "token:<name>", the token as password). They may subscribe under the root and
// nowhere else, publish nothing, and receive only what their grants and kinds allow;
// devices never see the mirror (broker.ts forwards them their own command topic only).
import type { Aedes } from 'aedes'
import type { AlarmNotice } from '../alarms/engine.js'
import { DEVICE_KINDS, type DeviceKind } from '../contract/index.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents, Reading } from '../events/events.js'
import { scopeMay, scopeSees, scopeSeesAlarm, type Scope } from '../users/roles.js'
import type { AlarmType } from '../alarms/catalog.js'

/** Its own root, apart from the devices' commune/v1/{id}/... (no device id can be "mirror/v1"). */
export const MIRROR_ROOT = 'commune-mirror/v1'
export const mirrorTopics = {
  /** A device's latest reading, retained: {deviceId, kind, name, village, ts, fields}. */
  reading: (kind: DeviceKind, deviceId: string) => `${MIRROR_ROOT}/readings/${kind}/${deviceId}`,
  /** An alarm change, not retained: {event, alarm}. `village` for a village's alarms. */
  alarm: (kind: DeviceKind | null, type: AlarmType) => `${MIRROR_ROOT}/alarms/${kind ?? 'village'}/${type}`
}

/** The integration login's username for a token. */
export const INTEGRATION_PREFIX = 'token:'
export const isIntegration = (clientId: string): boolean => clientId.startsWith(INTEGRATION_PREFIX)

/** May a token with this scope log in to the mirror at all? */
export const mayMirror = (scope: Scope): boolean => scopeMay(scope, 'devices.read') || scopeMay(scope, 'alarms.read')

/** A subscription an integration may make: under the mirror's root only ('#' or '+' included, deliveries are checked one by one). */
export const mirrorFilterAllowed = (filter: string): boolean => filter === MIRROR_ROOT || filter.startsWith(`${MIRROR_ROOT}/`)

/** Whether this mirror message may reach this scope: the per-delivery check of authorizeForward. */
export function mirrorForwardAllowed (scope: Scope, topic: string): boolean {
  const [root, version, channel, kind, rest] = topic.split('/')
  if (`${root}/${version}` !== MIRROR_ROOT || !kind || !rest) return false
  if (channel === 'readings') return scopeMay(scope, 'devices.read') && (DEVICE_KINDS as readonly string[]).includes(kind) && scopeSees(scope, kind as DeviceKind)
  if (channel === 'alarms') {
    const alarmKind = kind === 'village' ? null : (DEVICE_KINDS as readonly string[]).includes(kind) ? kind as DeviceKind : undefined
    return alarmKind !== undefined && scopeMay(scope, 'alarms.read') && scopeSeesAlarm(scope, { kind: alarmKind, type: rest as AlarmType })
  }
  return false
}

/**
 * Republishes readings and alarm changes on the mirror while an integration is connected (the
 * hot path pays nothing otherwise: a device's latest reading is retained from its next reading
 * after the first integration logs in); returns its stop.
 */
export function startMirror (bus: EventBus<GatewayEvents>, broker: Aedes): () => void {
  let connected = 0
  broker.on('clientReady', (client) => { if (isIntegration(client.id)) connected++ })
  broker.on('clientDisconnect', (client) => { if (isIntegration(client.id)) connected = Math.max(0, connected - 1) })
  const publish = (topic: string, body: unknown, retain: boolean): void => {
    if (connected > 0) broker.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(body)), qos: 0, retain, dup: false }, () => undefined)
  }
  const offReading = bus.on('reading', (r: Reading) => {
    publish(mirrorTopics.reading(r.device.kind, r.device.id), { deviceId: r.device.id, kind: r.device.kind, name: r.device.name, village: r.device.village, ts: r.ts, fields: r.fields }, true)
  })
  const offAlarm = bus.on('alarm', ({ alarm, change }: AlarmNotice) => {
    publish(mirrorTopics.alarm(alarm.kind, alarm.type), { event: `alarm.${change}`, alarm }, false)
  })
  return () => { offReading(); offAlarm() }
}
