// Bucketing shared by both stores, so that a history answers the same on either.
import type { HistoryBucket, HistoryQuery } from './telemetry-store.js'

export const HOUR_MS = 3_600_000

/** Width of each bucket so that [from, to) fits in at most maxPoints buckets. */
export function bucketWidth (q: Pick<HistoryQuery, 'from' | 'to' | 'maxPoints'>): number {
  return Math.max(1, Math.ceil((q.to - q.from) / q.maxPoints))
}

export const floorHour = (t: number): number => Math.floor(t / HOUR_MS) * HOUR_MS
export const ceilHour = (t: number): number => Math.ceil(t / HOUR_MS) * HOUR_MS

/** Partial aggregates of one bucket, as both stores compute them. */
export interface BucketAggregate {
  index: number
  min: number
  max: number
  sum: number
  count: number
}

/** A half-open span of time [from, to) in ms. */
export interface Span {
  from: number
  to: number
}

export interface HistoryPlan {
  width: number
  /** Whole hours answered by the hourly rollups, or null. */
  rollup: Span | null
  /** The rest of [from, to), answered by raw readings. */
  raw: Span[]
}

/**
 * Where the rollups answer and where raw readings do. Rollups (hourly) answer up to the
 * point they cover when a bucket spans at least an hour, and always for the part of the
 * range whose raw readings are past their retention; raw readings answer the rest.
 *
 * A rollup row holds its whole hour, so rollups answer only the hours wholly inside
 * [from, to): the partial hours at either end come from raw readings (or are missing
 * once those are past retention), never from an hour that reaches outside the range.
 * Buckets of an hour or more are whole hours wide, so that each hour falls in one bucket
 * (exactly so when `from` is on the hour, as the dashboard's long ranges are).
 */
export function planHistory (q: HistoryQuery, rolledUntil: number, rawKeptFrom: number): HistoryPlan {
  let width = bucketWidth(q)
  if (width >= HOUR_MS) width = Math.ceil(width / HOUR_MS) * HOUR_MS
  const rollupUpTo = width >= HOUR_MS ? rolledUntil : Math.min(rolledUntil, rawKeptFrom)
  const start = ceilHour(q.from)
  const end = floorHour(Math.min(rollupUpTo, q.to))
  if (end <= start) return { width, rollup: null, raw: [{ from: q.from, to: q.to }] }
  const raw = [{ from: q.from, to: start }, { from: end, to: q.to }].filter((s) => s.from < s.to)
  return { width, rollup: { from: start, to: end }, raw }
}

/** Combines the aggregates of rollups and raw readings into the buckets returned to callers. */
export function finishBuckets (from: number, width: number, parts: readonly BucketAggregate[]): HistoryBucket[] {
  const byIndex = new Map<number, BucketAggregate>()
  for (const p of parts) {
    if (p.count === 0) continue
    const seen = byIndex.get(p.index)
    if (!seen) {
      byIndex.set(p.index, { ...p })
    } else {
      seen.min = Math.min(seen.min, p.min)
      seen.max = Math.max(seen.max, p.max)
      seen.sum += p.sum
      seen.count += p.count
    }
  }
  return [...byIndex.values()]
    .sort((a, b) => a.index - b.index)
    .map((b) => ({ t: from + b.index * width, min: b.min, mean: b.sum / b.count, max: b.max, count: b.count }))
}

/**
 * Tracks which hours need (re)rolling: everything from the watermark on, and any earlier
 * hour that received a late reading (a journal drained after an outage, a device's buffer).
 */
export class RollupTracker {
  private dirtyFrom = Number.POSITIVE_INFINITY

  constructor (public rolledUntil: number) {}

  noteWritten (ts: number): void {
    if (ts < this.rolledUntil && ts < this.dirtyFrom) this.dirtyFrom = floorHour(ts)
  }

  /** The hours to roll now, or null when nothing is due. */
  due (now: number): { from: number; to: number } | null {
    const to = floorHour(now)
    const from = Math.min(this.rolledUntil, this.dirtyFrom)
    return from < to ? { from, to } : null
  }

  done (to: number): void {
    this.rolledUntil = to
    this.dirtyFrom = Number.POSITIVE_INFINITY
  }
}
