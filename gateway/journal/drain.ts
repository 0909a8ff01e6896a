// Moves journal entries into the telemetry store, oldest first, in batches. An entry is
// removed only after the store confirmed its batch; if the gateway dies in between, the batch
// is written again at the next start, which the store's idempotent writes make harmless.
// While the store is down the drain backs off (1 s doubling to 30 s) and the journal grows
// within its disk budget; when the store returns, everything drains in order.
import type { Logger } from '../log.js'
import { StoreRejectedError, type TelemetryPoint, type TelemetryStore } from '../store/telemetry-store.js'
import type { Journal } from './journal.js'

export interface DrainOptions {
  batch: number
  /** Pause when the journal is empty; appends do not wait for it, only storage does. */
  idleMs?: number
  /** Pause after a batch that was not full, so that the next one gathers (GATHER_MS). */
  gatherMs?: number
  minBackoffMs?: number
  maxBackoffMs?: number
}

/**
 * After a batch smaller than the limit the drain waits this long before the next one (issue
 * #18). Without it, a store that keeps up writes whatever trickled in since its last write,
 * one commit per round trip of a few milliseconds. Every commit rewrites the same last page of
 * each series (200 of them for 50 water stations) and syncs it, and every batch's delete is
 * one more sync on the journal's thread, queued among the commits the devices' PUBACKs wait
 * for. Readings are in the journal (on disk) meanwhile, and the live state and the rules have
 * them right after their PUBACK: only the store's history sees them up to 250 ms later.
 */
const GATHER_MS = 250

export interface DrainStatus {
  storeReachable: boolean
  lastError: string | null
  /** When the store started failing; null while it works. */
  failingSince: number | null
  lastStoredAt: number | null
}

export interface DrainHooks {
  stored?: (points: readonly TelemetryPoint[], seconds: number) => void
  failed?: (err: unknown) => void
  quarantined?: (points: readonly TelemetryPoint[]) => void
}

export class JournalDrain {
  private running = false
  private loop: Promise<void> | null = null
  private wake: (() => void) | null = null
  private readonly state: DrainStatus = { storeReachable: true, lastError: null, failingSince: null, lastStoredAt: null }

  constructor (
    private readonly journal: Journal,
    private readonly store: TelemetryStore,
    private readonly log: Logger,
    private readonly options: DrainOptions,
    private readonly hooks: DrainHooks = {}
  ) {}

  status (): Readonly<DrainStatus> { return { ...this.state } }

  start (): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Lets the batch in flight finish, then stops. Entries not yet stored stay journaled. */
  async stop (): Promise<void> {
    this.running = false
    this.wake?.()
    await this.loop
  }

  private async run (): Promise<void> {
    let backoff = this.options.minBackoffMs ?? 1000
    while (this.running) {
      try {
        if (await this.step()) backoff = this.options.minBackoffMs ?? 1000
        continue
      } catch (err) {
        // The store is down, or the journal's own file could not be read or written (a full
        // disk): everything stays journaled and is tried again. A throw here used to end the
        // loop with an unhandled rejection, which ends the process.
        this.failed(err)
      }
      await this.sleep(backoff)
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 30_000)
    }
    // A clean stop stores what waited out the last pause (GATHER_MS), while the store works:
    // the next start restores recent history from the store (an air station's index).
    while (this.state.storeReachable && await this.step().catch((err: unknown) => { this.failed(err); return false }));
  }

  /** One batch into the store; false when there was nothing to move. */
  private async step (): Promise<boolean> {
    const batch = await this.journal.read(this.options.batch)
    const { points } = batch
    if (points.length === 0) {
      await this.sleep(this.options.idleMs ?? 50)
      return false
    }
    const started = performance.now()
    try {
      await this.store.write(points, batch.jsons)
    } catch (err) {
      if (!(err instanceof StoreRejectedError)) throw err
      // Sending these again cannot help and would block every reading behind them.
      this.log.error({ reason: err.message, count: points.length }, 'telemetry store refused a batch; moved to the journal quarantine')
      await this.journal.quarantine(batch, err.message)
      this.hooks.quarantined?.(points)
      return true
    }
    // Stored but not yet forgotten, should this throw: written again later, which the
    // store's idempotent writes make harmless.
    await this.journal.remove(batch)
    this.recovered()
    this.hooks.stored?.(points, (performance.now() - started) / 1000)
    if (this.running && points.length < this.options.batch) await this.sleep(this.options.gatherMs ?? GATHER_MS)
    return true
  }

  private failed (err: unknown): void {
    const message = err instanceof Error ? err.message : String(err)
    if (this.state.storeReachable) {
      // The message only: store client errors carry whole HTTP requests and responses.
      this.log.error({ reason: message, depth: this.journal.depth }, 'telemetry store write failed; readings wait in the journal')
      this.state.failingSince = Date.now()
    }
    this.state.storeReachable = false
    this.state.lastError = message
    this.hooks.failed?.(err)
  }

  private recovered (): void {
    this.state.lastStoredAt = Date.now()
    if (this.state.storeReachable) return
    this.log.info({ depth: this.journal.depth, downSince: this.state.failingSince }, 'telemetry store back; draining the journal')
    this.state.storeReachable = true
    this.state.lastError = null
    this.state.failingSince = null
  }

  private sleep (ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done (): void { clearTimeout(timer); resolve() }
      this.wake = done
    })
  }
}
