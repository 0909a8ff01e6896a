// A telemetry store run on a worker thread (thread.ts): the embedded SQLite file, or the
// InfluxDB client. On the main thread, every batch the drain writes stopped the event loop that
// acknowledges devices: the embedded store's inserts and WAL checkpoints showed as PUBACK p99
// spikes of tens of milliseconds at a steady 5,000 readings/s, and node-influx builds a
// batch's line protocol in one go, 4 µs a reading (issue #18). On its own thread the store's
// work also runs on the second core. Same interface; the main thread only posts messages.
import type {
  EventQuery, HistoryBucket, HistoryQuery, LatestByDevice, RetentionSettings, StoredEvent, TelemetryPoint, TelemetryStore
} from './telemetry-store.js'
import type { InfluxSettings } from './influx-store.js'
import { StoreRejectedError } from './telemetry-store.js'
import { ThreadCalls } from './thread.js'

type Method = 'open' | 'close' | 'write' | 'writeJson' | 'latest' | 'history' | 'events' | 'rollup' | 'applyRetention'

export class WorkerTelemetryStore implements TelemetryStore {
  private readonly thread: ThreadCalls<Method>

  private constructor (readonly name: TelemetryStore['name'], module: string, exportName: string, args: unknown[]) {
    this.thread = new ThreadCalls(new URL(module, import.meta.url), exportName, args)
  }

  /** The embedded store in `file`. */
  static sqlite (file: string, retention: RetentionSettings): WorkerTelemetryStore {
    return new WorkerTelemetryStore('sqlite', './sqlite-store.ts', 'SqliteTelemetryStore', [file, retention])
  }

  static influx (settings: InfluxSettings, retention: RetentionSettings): WorkerTelemetryStore {
    return new WorkerTelemetryStore('influxdb', './influx-store.ts', 'InfluxTelemetryStore', [settings, retention])
  }

  open (): Promise<void> { return this.thread.call('open') }
  async close (): Promise<void> {
    await this.thread.call('close')
    await this.thread.terminate()
  }

  /** With the journal's texts, those cross to the thread instead of a copy of every point (a fifth of the cost, measured), and are parsed there. */
  async write (points: readonly TelemetryPoint[], lines?: readonly string[]): Promise<void> {
    try {
      await (lines ? this.thread.call('writeJson', lines) : this.thread.call('write', points))
    } catch (err) {
      // A refusal of the points themselves keeps its type across the thread: the drain quarantines by it.
      throw (err as Error).name === 'StoreRejectedError' ? new StoreRejectedError((err as Error).message) : err
    }
  }

  latest (): Promise<LatestByDevice> { return this.thread.call('latest') }
  history (q: HistoryQuery): Promise<HistoryBucket[]> { return this.thread.call('history', q) }
  events (q: EventQuery): Promise<StoredEvent[]> { return this.thread.call('events', q) }
  rollup (now: number): Promise<void> { return this.thread.call('rollup', now) }
  applyRetention (now: number): Promise<void> { return this.thread.call('applyRetention', now) }
}
