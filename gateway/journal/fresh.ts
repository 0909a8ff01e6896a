// The journal's newest committed entries, kept in memory for the drain, so what it stores was
// not read back from the file and parsed again (issue #18). A run of consecutive seqs held in
// two parallel arrays (no object per entry); past its cap, or after a gap, it starts over and
// the entries before are read from the file instead.
import type { TelemetryPoint } from '../store/telemetry-store.js'

export interface JournalBatch {
  /** The last entry's seq; 0 when the batch is empty. */
  lastSeq: number
  points: TelemetryPoint[]
  /** The same points as journaled (JSON), for a store on another thread. */
  jsons: string[]
}

export const emptyBatch = (): JournalBatch => ({ lastSeq: 0, points: [], jsons: [] })

export class FreshEntries {
  private points: TelemetryPoint[] = []
  private jsons: string[] = []
  /** The seq of points[0]. */
  private firstSeq = 0
  /** Entries before this index have left. */
  private head = 0

  constructor (private readonly cap: number) {}

  /**
   * Keeps a committed entry. Returns false when it was not kept (the run restarts after it):
   * then it and every entry before it must be read from the file.
   */
  add (seq: number, point: TelemetryPoint, json: string): boolean {
    const held = this.points.length - this.head
    if (held >= this.cap || (held > 0 && seq !== this.firstSeq + this.points.length)) {
      this.clear(seq + 1)
      return false
    }
    if (held === 0) this.clear(seq)
    this.points.push(point)
    this.jsons.push(json)
    return true
  }

  /** The oldest entries held, up to `upTo` (seq) and `limit` of them. */
  take (upTo: number, limit: number): JournalBatch {
    const end = Math.min(this.points.length, this.head + limit, upTo - this.firstSeq + 1)
    if (end <= this.head) return emptyBatch()
    return { lastSeq: this.firstSeq + end - 1, points: this.points.slice(this.head, end), jsons: this.jsons.slice(this.head, end) }
  }

  /** Entries up to `seq` have left. */
  forget (seq: number): void {
    this.head = Math.min(this.points.length, Math.max(this.head, seq - this.firstSeq + 1))
    // Compacted now and then, in one copy, not on every batch.
    if (this.head > 4096 && this.head * 2 > this.points.length) {
      this.points = this.points.slice(this.head)
      this.jsons = this.jsons.slice(this.head)
      this.firstSeq += this.head
      this.head = 0
    }
  }

  private clear (firstSeq: number): void {
    this.points = []
    this.jsons = []
    this.firstSeq = firstSeq
    this.head = 0
  }
}
