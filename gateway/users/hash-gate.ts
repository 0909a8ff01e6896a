// At most a few password hashes at once, and a short queue behind them; beyond that a hash is
// refused at once (429). scrypt runs on libuv's thread pool (4 threads by default), which
// also serves every file read: the dashboard's files and the bulletin audio that
// loudspeakers download (/media). Issue #14 measured 64 concurrent logins filling all four
// threads: an emergency bulletin's audio took 18 s instead of 12 ms. With these gates at most
// half the pool hashes (passwords.ts: one lane for real accounts, one for invented names),
// and a flood costs a quick refusal instead of a growing queue.
// A gate, not a library: p-limit and friends have no bound on their queue, which is the point.
import { availableParallelism } from 'node:os'
import { GatewayError } from '../errors.js'

export interface GateLimits {
  /** Hashes running at the same time. */
  running: number
  /** Hashes waiting for a turn; one more is refused. */
  waiting: number
}

export class HashGate {
  private active = 0
  private readonly queue: Array<() => void> = []

  constructor (private readonly limits: GateLimits) {}

  get busy (): { running: number; waiting: number } {
    return { running: this.active, waiting: this.queue.length }
  }

  /** Runs the hash when a turn is free; throws TOO_MANY_REQUESTS at once when the queue is full. */
  async run<T> (hash: () => Promise<T>): Promise<T> {
    if (this.active >= this.limits.running) {
      if (this.queue.length >= this.limits.waiting) {
        throw new GatewayError('TOO_MANY_REQUESTS', 'the gateway is busy checking passwords; try again in a few seconds / hệ thống đang bận, vui lòng thử lại sau ít giây')
      }
      await new Promise<void>((resolve) => this.queue.push(resolve))
    } else {
      this.active++
    }
    try {
      return await hash()
    } finally {
      // The turn passes straight to the next in line, so `active` never drops below it.
      const next = this.queue.shift()
      if (next) next()
      else this.active--
    }
  }
}

/** Half of libuv's pool (UV_THREADPOOL_SIZE, 4 by default), and never more than the cores. */
export function defaultGateLimits (env: NodeJS.ProcessEnv = process.env): GateLimits {
  const pool = Number(env.UV_THREADPOOL_SIZE) || 4
  const running = Math.max(1, Math.min(Math.floor(pool / 2), availableParallelism()))
  return { running, waiting: running * 4 }
}
