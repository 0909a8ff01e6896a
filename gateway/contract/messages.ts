// Status, events and commands: everything on the wire that is not a telemetry reading.
import { z } from 'zod'
import { PRIORITIES } from './catalog.js'
import type { DeviceKind } from './kinds.js'
import { Timestamp } from './time.js'

// ---- status (retained; also the device's last will) -------------------------------------

export const Status = z.strictObject({
  state: z.enum(['online', 'offline']),
  ts: Timestamp.optional(),
  firmware: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(64).optional()
})
export type Status = z.infer<typeof Status>

// ---- events (things that happened, as opposed to periodic measurements) -----------------

export const EVENT_TYPES = {
  speaker: ['amplifier_fault', 'amplifier_restored', 'power_lost', 'power_restored', 'overheat', 'reboot'],
  // auth_failed and unreachable come from edge probes: the camera refuses the gateway's
  // credentials (changed behind our back?), or does not answer at all.
  camera: ['tamper', 'tamper_cleared', 'stream_lost', 'stream_restored', 'recording_stopped', 'recording_started', 'storage_error', 'reboot',
    'auth_failed', 'unreachable'],
  water_sensor: ['sensor_fault', 'low_battery', 'reboot']
} as const satisfies Record<DeviceKind, readonly [string, ...string[]]>

function eventSchema<T extends readonly [string, ...string[]]>(types: T) {
  return z.strictObject({
    ts: Timestamp.optional(),
    type: z.enum(types),
    message: z.string().max(200).optional()
  })
}

export const EVENTS = {
  speaker: eventSchema(EVENT_TYPES.speaker),
  camera: eventSchema(EVENT_TYPES.camera),
  water_sensor: eventSchema(EVENT_TYPES.water_sensor)
} as const satisfies Record<DeviceKind, z.ZodType>
export type DeviceEvent = z.infer<(typeof EVENTS)[DeviceKind]>

// ---- commands (gateway -> device) and replies (device -> gateway) -----------------------

export const CommandId = z.string().min(1).max(64)

const Reboot = z.strictObject({ name: z.literal('reboot'), params: z.strictObject({}) })
const SetVolume = z.strictObject({
  name: z.literal('set_volume'),
  params: z.strictObject({ volume: z.number().int().min(0).max(100) })
})
const Stop = z.strictObject({ name: z.literal('stop'), params: z.strictObject({}) })
/**
 * A camera sends one snapshot now (issue #20): the JPEG itself on its own `snapshot` topic,
 * at most GATEWAY_SNAPSHOT_MQTT_MAX_KB, then `done` on its reply topic. The gateway keeps and
 * measures it like a probed camera's (gateway/pictures/mqtt-snapshot.ts).
 */
const Snapshot = z.strictObject({ name: z.literal('snapshot'), params: z.strictObject({}) })
/**
 * Play a bulletin: fetch the audio over HTTP (the URL carries the broadcast's token), play it
 * `repeat` times with `gapS` of silence between, by priority: an emergency preempts whatever
 * plays, a priority bulletin goes before routine ones in the cluster's queue. Replies:
 * accepted (audio fetched, queued), in_progress (playing), done (played in full), failed
 * with a reason ("preempted" when an emergency cut it off; the gateway sends it again).
 * The request's expiresAt is the latest start; the play itself may run past it.
 */
export const Play = z.strictObject({
  name: z.literal('play'),
  params: z.strictObject({
    broadcastId: z.string().min(1).max(64),
    title: z.string().min(1).max(128),
    audioUrl: z.string().url().max(2000),
    durationS: z.number().positive().max(3 * 3600),
    priority: z.enum(PRIORITIES),
    repeat: z.number().int().min(1).max(5).default(1),
    gapS: z.number().min(0).max(60).default(0),
    /**
     * A live stream (a live session or a relay, issue #21) instead of a file: audioUrl answers
     * with MP3 over chunked HTTP for as long as it lasts. The cluster plays it as it comes,
     * replies in_progress at its first audio and done when the stream ends; durationS is then
     * the most it may last. Absent on bulletins, so older firmware reads them unchanged.
     */
    stream: z.boolean().optional()
  })
})
export type PlayParams = z.infer<typeof Play>['params']

/** What each kind accepts. */
export const COMMANDS = {
  speaker: z.discriminatedUnion('name', [SetVolume, Stop, Play, Reboot]),
  camera: z.discriminatedUnion('name', [Snapshot, Reboot]),
  water_sensor: z.discriminatedUnion('name', [Reboot])
} as const satisfies Record<DeviceKind, z.ZodType>
export type CommandOf<K extends DeviceKind> = z.infer<(typeof COMMANDS)[K]>
export type Command = CommandOf<DeviceKind>
export type CommandName = Command['name']

/** The request as it travels to the device on its cmd topic. */
export const CommandRequest = z.strictObject({
  id: CommandId,
  name: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()),
  ts: Timestamp,
  /** After this time the device must not start the command (it is stale). */
  expiresAt: Timestamp
})
export type CommandRequest = z.infer<typeof CommandRequest>

export const REPLY_STATUSES = ['accepted', 'in_progress', 'done', 'failed', 'rejected'] as const
export const CommandReply = z.strictObject({
  id: CommandId,
  status: z.enum(REPLY_STATUSES),
  ts: Timestamp.optional(),
  reason: z.string().max(200).optional()
})
export type CommandReply = z.infer<typeof CommandReply>
