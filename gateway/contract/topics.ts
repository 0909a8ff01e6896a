// [contract] Every topic of a device lives under commune/v1/{deviceId}/. The version is in
// the topic so that a v2 contract can run beside v1 while devices are updated.
import { DEVICE_ID_PATTERN } from './kinds.js'

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

const PREFIX = `${TOPIC_ROOT}/`
const CHANNELS: ReadonlySet<string> = new Set([...DEVICE_CHANNELS, COMMAND_CHANNEL, SNAPSHOT_CHANNEL])

/**
 * Splits a topic of the contract; null for anything else. It runs for every message (issue
 * #18): slices instead of a split array, the device id's pattern instead of its schema.
 */
export function parseTopic (topic: string): ParsedTopic | null {
  if (!topic.startsWith(PREFIX)) return null
  const slash = topic.indexOf('/', PREFIX.length)
  if (slash < 0) return null
  // A channel with a further level ("telemetry/extra") is none of the set.
  const channel = topic.slice(slash + 1)
  if (!CHANNELS.has(channel)) return null
  const deviceId = topic.slice(PREFIX.length, slash)
  return DEVICE_ID_PATTERN.test(deviceId) ? { deviceId, channel: channel as ParsedTopic['channel'] } : null
}
