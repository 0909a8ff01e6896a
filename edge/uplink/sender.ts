// The uplink's one sending loop. Between two messages it picks the highest lane with rows
// waiting, so an alarm raised during a long catch-up waits for at most one batch of readings.
// One message is in flight at a time: per-lane order holds, and a retry (after a timeout or a
// restart) resends the saved batch with the same message id, which JetStream suppresses.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../gateway/log.js'
import { LANE_SPECS, LANES, upSubject, type Lane } from './lanes.js'
import type { Batch, Gap, OutboxFile } from './outbox.js'
import { TokenBucket } from './rate.js'
import type { UplinkTransport } from './transport.js'

export interface SenderParts {
  commune: string
  transport: UplinkTransport
  /** Which outbox file holds each lane. */
  files: Record<Lane, OutboxFile>
  /** Where gap records are kept (the file of the droppable lane). */
  gaps: OutboxFile
  log: Logger
  /** Bytes per second for readings (0: no limit). */
  readingsBytesPerS: number
}

const IDLE_MS = 100
const BACKOFF_MIN_MS = 250
const BACKOFF_MAX_MS = 5000

export const batchMsgId = (commune: string, batch: Batch): string => `${commune}:${batch.lane}:${batch.first}-${batch.last}`

/** One message: the rows' bodies are already JSON, so they are spliced in, not re-encoded. */
export function encodeBatch (commune: string, batch: Batch): string {
  const rows = batch.rows.map((r) => `{"seq":${r.seq},"at":${r.at},"body":${r.body}}`).join(',')
  return `{"commune":${JSON.stringify(commune)},"lane":"${batch.lane}","first":${batch.first},"last":${batch.last},"rows":[${rows}]}`
}

export class Sender {
  private running = false
  private loop: Promise<void> | null = null
  private wake: (() => void) | null = null
  private readonly bucket: TokenBucket | null
  private readonly encoder = new TextEncoder()
  /** Set when a publish failed; cleared by the next success. */
  lastError: string | null = null
  duplicates = 0

  constructor (private readonly parts: SenderParts) {
    this.bucket = parts.readingsBytesPerS > 0 ? new TokenBucket(parts.readingsBytesPerS) : null
  }

  start (): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Something was appended: look again at once instead of at the next idle tick. */
  poke (): void { this.wake?.() }

  async stop (): Promise<void> {
    this.running = false
    this.poke()
    await this.loop
  }

  private async run (): Promise<void> {
    let backoff = BACKOFF_MIN_MS
    while (this.running) {
      try {
        const sent = this.parts.transport.connected && await this.sendOne()
        if (!sent) await this.idle(IDLE_MS)
        backoff = BACKOFF_MIN_MS
        this.lastError = null
      } catch (err) {
        this.lastError = (err as Error).message
        this.parts.log.debug({ err }, 'uplink send failed; retried with the same id')
        await this.idle(backoff)
        backoff = Math.min(BACKOFF_MAX_MS, backoff * 2)
      }
    }
  }

  /** Sends the most urgent message waiting; false when nothing could go now. */
  private async sendOne (): Promise<boolean> {
    for (const lane of LANES) {
      if (lane === 'events') {
        const gap = this.parts.gaps.unsentGaps()[0]
        if (gap) { await this.sendGap(gap); return true }
      }
      const file = this.parts.files[lane]
      if (!file.hasPending(lane)) continue
      if (LANE_SPECS[lane].rateLimited && this.bucket && !this.bucket.ready()) {
        // Readings wait for their budget; the loop looks again soon, so a higher lane that
        // fills meanwhile still goes first.
        await this.idle(Math.min(IDLE_MS, this.bucket.waitMs()))
        return true
      }
      const spec = LANE_SPECS[lane]
      const batch = file.nextBatch(lane, spec.maxRows, spec.maxBytes)
      if (!batch) continue
      const payload = this.encoder.encode(encodeBatch(this.parts.commune, batch))
      if (spec.rateLimited) this.bucket?.take(payload.length)
      const stored = await this.parts.transport.publish(upSubject(this.parts.commune, lane), payload, batchMsgId(this.parts.commune, batch))
      if (stored.duplicate) this.duplicates++
      file.acknowledge(batch)
      return true
    }
    return false
  }

  private async sendGap (gap: Gap): Promise<void> {
    const body = JSON.stringify({ commune: this.parts.commune, ...gap })
    await this.parts.transport.publish(upSubject(this.parts.commune, 'gap'), this.encoder.encode(body), `${this.parts.commune}:gap:${gap.id}`)
    this.parts.gaps.gapSent(gap.id)
  }

  private async idle (ms: number): Promise<void> {
    if (!this.running) return
    await Promise.race([sleep(ms), new Promise<void>((resolve) => { this.wake = resolve })])
    this.wake = null
  }
}
