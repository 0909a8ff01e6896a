// What keeps a hostile or broken client from writing the log (issue #12): every string that
// comes from outside (client id, topic, filter, command id, payload excerpt, username) is cut
// to a short length before it is logged, and a warning that repeats is written at most once
// per window per client and reason, and at most a few times per window per reason in all,
// with the count of what was held back. 1,000 CONNECTs with 30 KB client ids were 60 MB of log.
import type { Logger } from './log.js'

/** Longest excerpt of a client's string in a log line; a device id is at most 64. */
export const LOGGED_CHARS = 80
const WINDOW_MS = 60_000
/** Lines per reason and window over all clients: a thousand clients are not a thousand lines. */
const PER_REASON = 10
/** Keys remembered; beyond this the oldest window is forgotten early (memory stays bounded). */
const MAX_KEYS = 10_000

/** A client's string as it may appear in a log line: short, with its real length when cut. */
export function clip (value: string | Buffer | undefined | null, max = LOGGED_CHARS): string | undefined {
  if (value === undefined || value === null) return undefined
  const text = typeof value === 'string' ? value : value.toString('utf8', 0, max * 4)
  if (text.length <= max) return text
  return `${text.slice(0, max)}…(${typeof value === 'string' ? `${text.length} chars` : `${value.length} bytes`})`
}

interface Window { start: number; logged: number; held: number }

/**
 * Decides whether a warning about one client for one reason is written now. `take` answers
 * null to stay silent, or the number of lines held back since the last one written (put it
 * in the line, so the operator sees the scale without the flood).
 */
export class LogLimiter {
  private readonly perKey = new Map<string, Window>()
  private readonly perReason = new Map<string, Window>()

  constructor (
    private readonly windowMs = WINDOW_MS,
    private readonly perReasonLimit = PER_REASON,
    private readonly now: () => number = Date.now
  ) {}

  take (reason: string, client: string | undefined): number | null {
    const now = this.now()
    const reasonWindow = this.window(this.perReason, reason, now)
    const keyWindow = this.window(this.perKey, `${reason}\u0000${clip(client) ?? ''}`, now)
    if (keyWindow.logged > 0 || reasonWindow.logged >= this.perReasonLimit) {
      keyWindow.held++
      reasonWindow.held++
      return null
    }
    keyWindow.logged++
    reasonWindow.logged++
    const held = reasonWindow.held
    reasonWindow.held = 0
    return held
  }

  private window (map: Map<string, Window>, key: string, now: number): Window {
    let w = map.get(key)
    if (w && now - w.start < this.windowMs) return w
    if (!w && map.size >= MAX_KEYS) this.prune(map, now)
    w = { start: now, logged: 0, held: w?.held ?? 0 }
    map.set(key, w)
    return w
  }

  private prune (map: Map<string, Window>, now: number): void {
    for (const [key, w] of map) if (now - w.start >= this.windowMs) map.delete(key)
    // Still full (a flood of distinct keys within one window): forget the oldest half.
    if (map.size >= MAX_KEYS) {
      let n = 0
      for (const key of map.keys()) { if (n++ >= MAX_KEYS / 2) break; map.delete(key) }
    }
  }
}

/**
 * Writes a warning about a client unless the limiter holds it back. `fields` must already be
 * clipped; `held` is added when lines were held back since the last one.
 */
export function warnLimited (
  log: Logger, limiter: LogLimiter, reason: string, client: string | undefined, fields: Record<string, unknown>, message: string,
  level: 'info' | 'warn' | 'error' = 'warn'
): void {
  const held = limiter.take(reason, client)
  if (held === null) return
  log[level](held > 0 ? { ...fields, reason, held } : { ...fields, reason }, message)
}
