// A typed in-process event bus. A failing listener is logged and does not stop the others,
// nor the publisher: a bug in the dashboard push must never stall ingest.
import type { Logger } from '../log.js'
import { LogLimiter, warnLimited } from '../log-limit.js'

type Listener<A extends unknown[]> = (...args: A) => void | Promise<void>
// Stored without its argument types; `on` and `emit` keep them paired per event name.
type AnyListener = (...args: unknown[]) => void | Promise<void>

export class EventBus<Events extends Record<keyof Events, unknown[]>> {
  private readonly listeners = new Map<keyof Events, Set<AnyListener>>()
  private readonly logLimit = new LogLimiter()

  constructor (private readonly log: Logger) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends keyof Events> (event: E, listener: Listener<Events[E]>): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener as AnyListener)
    return () => { set.delete(listener as AnyListener) }
  }

  emit<E extends keyof Events> (event: E, ...args: Events[E]): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const listener of set) {
      try {
        const result = listener(...args)
        if (result instanceof Promise) result.catch((err: unknown) => this.fail(event, err))
      } catch (err) {
        this.fail(event, err)
      }
    }
  }

  private fail (event: keyof Events, err: unknown): void {
    // Once a minute per event: a listener failing on every reading (a full disk) is one line, not thousands.
    warnLimited(this.log, this.logLimit, 'listener_failed', String(event), { err, event: String(event) }, 'event listener failed', 'error')
  }
}
