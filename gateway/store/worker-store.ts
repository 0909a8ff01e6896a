// The embedded SQLite telemetry store, run on a worker thread. better-sqlite3 is synchronous:
// on the main thread, every batch the drain writes (and every WAL checkpoint behind it)
// stops the event loop that acknowledges devices, which showed as PUBACK p99 spikes of
// tens of milliseconds at a steady 5,000 readings/s. On its own thread the store's work also
// runs on the second core. Same interface, same file; the main thread only posts messages.
import { Worker } from 'node:worker_threads'
import type {
  EventQuery, HistoryBucket, HistoryQuery, LatestByDevice, RetentionSettings, StoredEvent, TelemetryPoint, TelemetryStore
} from './telemetry-store.js'

type Method = 'open' | 'close' | 'write' | 'latest' | 'history' | 'events' | 'rollup' | 'applyRetention'
interface Reply { id: number; result?: unknown; error?: { message: string; name?: string; code?: string } }

export class WorkerTelemetryStore implements TelemetryStore {
  readonly name = 'sqlite'
  private readonly worker: Worker
  private readonly ready: Promise<void>
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private next = 0

  constructor (file: string, retention: RetentionSettings) {
    this.worker = new Worker(new URL('./sqlite-worker.mjs', import.meta.url), { workerData: { file, retention } })
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve())
      this.worker.once('error', reject)
    })
    this.worker.on('message', (reply: Reply) => {
      const call = this.pending.get(reply.id)
      if (!call) return
      this.pending.delete(reply.id)
      // The code tells a full disk (SQLITE_FULL) from a bug, across the thread boundary too.
      if (reply.error) call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name ?? 'Error', code: reply.error.code }))
      else call.resolve(reply.result)
    })
    this.worker.on('error', (err) => { for (const call of this.pending.values()) call.reject(err) })
  }

  private async call<T> (method: Method, ...args: unknown[]): Promise<T> {
    await this.ready
    const id = ++this.next
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage({ id, method, args })
    })
  }

  open (): Promise<void> { return this.call('open') }
  async close (): Promise<void> {
    await this.call('close')
    await this.worker.terminate()
  }

  write (points: readonly TelemetryPoint[]): Promise<void> { return this.call('write', points) }
  latest (): Promise<LatestByDevice> { return this.call('latest') }
  history (q: HistoryQuery): Promise<HistoryBucket[]> { return this.call('history', q) }
  events (q: EventQuery): Promise<StoredEvent[]> { return this.call('events', q) }
  rollup (now: number): Promise<void> { return this.call('rollup', now) }
  applyRetention (now: number): Promise<void> { return this.call('applyRetention', now) }
}
