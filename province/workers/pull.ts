// A stateless worker: one durable pull consumer that any number of replicas share (any may
// die; what it had not acknowledged is redelivered to another after the ack wait). Messages
// are acknowledged only after the store has them, so a crash in between means a
// redelivery, which the stores absorb (idempotent or newer-wins).
import type { JetStreamClient, JsMsg } from 'nats'
import type { Logger } from '../../gateway/log.js'

export interface PullWorkerOptions {
  stream: string
  consumer: string
  /** Messages per fetch at most. */
  batch: number
  /** Handles a fetch; throws to have the whole fetch redelivered. */
  handle (msgs: JsMsg[]): Promise<void>
}

export interface PullWorker {
  /** Messages handled and acknowledged since start. */
  readonly handled: number
  stop (): Promise<void>
}

const RETRY_MS = 1000
const IDLE_MS = 1000
/**
 * How long one pull request waits on the server. The client notices a lost pull request (its
 * consumer's leader died or moved) only after two missed heartbeats of half this: with the
 * library's 30 s default, an alarm reached PostgreSQL 44 s after the consumer's leader was
 * killed; with 2 s, about 7 s (test/province/consumer-leader-kill.test.ts).
 */
const PULL_EXPIRES_MS = 2000

export function startPullWorker (js: JetStreamClient, options: PullWorkerOptions, log: Logger): PullWorker {
  let running = true
  let handled = 0
  let stopConsuming: (() => void) | null = null
  const signal: { wake: (() => void) | null } = { wake: null }
  const buffer: JsMsg[] = []
  // consume() keeps pull requests open and hands over each message as soon as it is stored,
  // so an alarm is handled at once; whatever piled up meanwhile is handled as one batch.
  const loop = (async () => {
    while (running) {
      try {
        const consumer = await js.consumers.get(options.stream, options.consumer)
        const messages = await consumer.consume({ max_messages: options.batch * 2, expires: PULL_EXPIRES_MS })
        stopConsuming = () => { messages.stop() }
        const feeding = (async () => { for await (const m of messages) { buffer.push(m); signal.wake?.() } })()
        while (running) {
          if (buffer.length === 0) {
            await new Promise<void>((resolve) => { signal.wake = resolve; setTimeout(resolve, IDLE_MS) })
            signal.wake = null
            continue
          }
          const msgs = buffer.splice(0, options.batch)
          try {
            await options.handle(msgs)
          } catch (err) {
            log.warn({ err, stream: options.stream, messages: msgs.length }, 'worker could not store a batch; redelivered shortly')
            for (const m of msgs) m.nak(RETRY_MS)
            await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
            continue
          }
          for (const m of msgs) m.ack()
          handled += msgs.length
        }
        messages.stop()
        await feeding
      } catch (err) {
        if (!running) break
        log.warn({ err, stream: options.stream }, 'worker lost its consumer; trying again')
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
      }
    }
  })()
  return {
    get handled () { return handled },
    async stop () {
      running = false
      stopConsuming?.()
      signal.wake?.()
      await loop
    }
  }
}

/** The commune a message came from: from its subject, which the cluster's permissions vouch for (never from its body). */
export function communeOf (subject: string): { commune: string; lane: string } {
  const [, commune, lane] = subject.split('.')
  if (!commune || !lane) throw new Error(`unexpected subject ${subject}`)
  return { commune, lane }
}
