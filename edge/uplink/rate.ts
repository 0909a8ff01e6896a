// A byte-rate limit for the readings lane: a token bucket holding at most one second of
// budget, so after an idle minute the link is not flooded with a minute's worth at once.
// Taking may overdraw the bucket (a batch is never split); the debt is waited out before the next.

export class TokenBucket {
  private tokens: number
  private last: number

  constructor (private readonly bytesPerS: number, private readonly now: () => number = Date.now) {
    this.tokens = bytesPerS
    this.last = now()
  }

  ready (): boolean {
    this.refill()
    return this.tokens > 0
  }

  /** Milliseconds until the bucket holds tokens again. */
  waitMs (): number {
    this.refill()
    return this.tokens > 0 ? 0 : Math.ceil((-this.tokens / this.bytesPerS) * 1000) + 1
  }

  take (bytes: number): void {
    this.refill()
    this.tokens -= bytes
  }

  private refill (): void {
    const t = this.now()
    this.tokens = Math.min(this.bytesPerS, this.tokens + ((t - this.last) / 1000) * this.bytesPerS)
    this.last = t
  }
}
