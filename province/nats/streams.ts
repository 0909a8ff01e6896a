// The province's streams and consumers on the cluster: R3 file streams for what comes up
// (readings: a buffer of days, not the archive; events: alarms, proof of play, presence and
// the broadcast log, device events, gaps, heartbeats) and for commands going down, one durable
// pull consumer per worker pool and one per commune for its commands. Made idempotently at
// every worker start, so a fresh cluster needs no manual step.
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, nanos, type JetStreamManager } from 'nats'
import { COMMANDS_STREAM, commandConsumer } from '../../edge/uplink/nats-transport.js'

export const READINGS_STREAM = 'UPLINK_READINGS'
export const EVENTS_STREAM = 'UPLINK_EVENTS'
export const READINGS_CONSUMER = 'readings-tsdb'
export const EVENTS_CONSUMER = 'events-pg'

const DAY_NS = nanos(86_400_000)
/** A box restarted within this window re-sends its saved batch under the same id: suppressed. */
const DUPLICATE_WINDOW = nanos(10 * 60_000)

export interface StreamOptions { replicas: number; readingsDays: number }

export async function ensureStreams (jsm: JetStreamManager, options: StreamOptions): Promise<void> {
  const common = {
    storage: StorageType.File,
    num_replicas: options.replicas,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: DUPLICATE_WINDOW
  }
  await upsertStream(jsm, { ...common, name: READINGS_STREAM, subjects: ['up.*.readings'], max_age: options.readingsDays * DAY_NS })
  await upsertStream(jsm, {
    ...common, name: EVENTS_STREAM, max_age: 30 * DAY_NS,
    subjects: ['up.*.alarms', 'up.*.proof', 'up.*.status', 'up.*.events', 'up.*.gap', 'up.*.heartbeat']
  })
  await upsertStream(jsm, { ...common, name: COMMANDS_STREAM, subjects: ['down.>'], max_age: 7 * DAY_NS })
  for (const [stream, durable] of [[READINGS_STREAM, READINGS_CONSUMER], [EVENTS_STREAM, EVENTS_CONSUMER]] as const) {
    await upsertConsumer(jsm, stream, durable, undefined)
  }
}

/** The durable consumer a commune pulls its commands from (only its own subjects). */
export async function ensureCommandConsumer (jsm: JetStreamManager, commune: string): Promise<void> {
  await upsertConsumer(jsm, COMMANDS_STREAM, commandConsumer(commune), `down.${commune}.>`)
}

async function upsertStream (jsm: JetStreamManager, config: Parameters<JetStreamManager['streams']['add']>[0] & { name: string }): Promise<void> {
  // Just after the nodes start, the meta leader may answer before it knows its peers: an R3
  // stream then has "no suitable peers for placement" for a moment (seen in tests on a busy machine).
  for (let deadline = Date.now() + 30_000; ;) {
    try {
      try {
        await jsm.streams.info(config.name)
        await jsm.streams.update(config.name, config)
      } catch (err) {
        if (!/stream not found/i.test(String(err))) throw err
        await jsm.streams.add(config)
      }
      return
    } catch (err) {
      if (!/no suitable peers/i.test(String(err)) || Date.now() > deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}

async function upsertConsumer (jsm: JetStreamManager, stream: string, durable: string, filter: string | undefined): Promise<void> {
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(30_000),
    max_ack_pending: 20_000,
    max_deliver: -1,
    ...(filter ? { filter_subject: filter } : {})
  })
}
