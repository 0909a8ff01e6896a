// [contract] Every topic of a device lives under commune/v1/{deviceId}/. The version is in
// the topic so that a v2 contract can run beside v1 while devices are updated.
import { DeviceId } from './kinds.js'

export const TOPIC_ROOT = 'commune/v1'

/** Channels a device publishes on. */
export const DEVICE_CHANNELS = ['status', 'telemetry', 'event', 'reply'] as const
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number]
/** The one channel the gateway publishes on and the device subscribes to. */
export const COMMAND_CHANNEL = 'cmd'
/**
 * A camera's snapshot, asked for by the `snapshot` command (issue #20): the payload is the
 * JPEG itself, not JSON, so it has a channel of its own (gateway/pictures/mqtt-snapshot.ts).
 */
export const SNAPSHOT_CHANNEL = 'snapshot'

export const topics = {
  status: (id: string) => `${TOPIC_ROOT}/${id}/status`,
  telemetry: (id: string) => `${TOPIC_ROOT}/${id}/telemetry`,
  event: (id: string) => `${TOPIC_ROOT}/${id}/event`,
  reply: (id: string) => `${TOPIC_ROOT}/${id}/reply`,
  command: (id: string) => `${TOPIC_ROOT}/${id}/${COMMAND_CHANNEL}`,
  snapshot: (id: string) => `${TOPIC_ROOT}/${id}/${SNAPSHOT_CHANNEL}`
}

export interface ParsedTopic {
  deviceId: string
  channel: DeviceChannel | typeof COMMAND_CHANNEL | typeof SNAPSHOT_CHANNEL
}

/** Splits a topic of the contract; null for anything else. */
export function parseTopic (topic: string): ParsedTopic | null {
  const parts = topic.split('/')
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return null
  const [, , deviceId, channel] = parts as [string, string, string, string]
  if (!DeviceId.safeParse(deviceId).success) return null
  if (channel === COMMAND_CHANNEL || channel === SNAPSHOT_CHANNEL) return { deviceId, channel }
  return (DEVICE_CHANNELS as readonly string[]).includes(channel) ? { deviceId, channel: channel as DeviceChannel } : null
}
