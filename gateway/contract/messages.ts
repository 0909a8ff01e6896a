// Status, events and commands: everything on the wire that is not a telemetry reading.
import { z } from 'zod'
import { KINDS, PRIORITIES, perKind, type CommandName, type DeviceKind } from '../kinds/index.js'
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

type Events<K extends DeviceKind> = keyof (typeof KINDS)[K]['events'] & string
type EventTypes = { [K in DeviceKind]: readonly [Events<K>, ...Array<Events<K>>] }
/** The event types of each kind (their words: the kind's definition, contract/event-words.ts). */
export const EVENT_TYPES = perKind((kind) => Object.keys(KINDS[kind].events)) as unknown as EventTypes

function eventSchema<T extends readonly [string, ...string[]]> (types: T) {
  return z.strictObject({
    ts: Timestamp.optional(),
    type: z.enum(types),
    message: z.string().max(200).optional()
  })
}

export const EVENTS = perKind((kind) => eventSchema(EVENT_TYPES[kind])) as unknown as
  { [K in DeviceKind]: ReturnType<typeof eventSchema<EventTypes[K]>> }
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

/** Every command's schema, by name; each kind's definition lists the ones it accepts. */
const COMMAND_SCHEMAS = { reboot: Reboot, set_volume: SetVolume, stop: Stop, play: Play, snapshot: Snapshot } as const satisfies Record<CommandName, z.ZodType>
type CommandSchema = (typeof COMMAND_SCHEMAS)[CommandName]

/** What each kind accepts. */
export const COMMANDS = perKind((kind) => {
  const schemas = KINDS[kind].commands.map((name) => COMMAND_SCHEMAS[name]) as unknown as [CommandSchema, ...CommandSchema[]]
  return z.discriminatedUnion('name', schemas)
}) as unknown as { [K in DeviceKind]: z.ZodDiscriminatedUnion<Array<(typeof COMMAND_SCHEMAS)[(typeof KINDS)[K]['commands'][number]]>> }
export type CommandOf<K extends DeviceKind> = z.infer<(typeof COMMAND_SCHEMAS)[(typeof KINDS)[K]['commands'][number]]>
export type Command = CommandOf<DeviceKind>
export type { CommandName }

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
