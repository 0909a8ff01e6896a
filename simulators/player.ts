// A loudspeaker cluster's player: fetches a bulletin's audio over HTTP, queues it by priority
// (an emergency preempts whatever plays; a priority bulletin goes before routine ones), plays
// it for its real length (repeats and gaps included), and answers each play command:
// accepted once the audio is in, in_progress when it starts, done when played in full, or
// failed with a reason ("preempted", "stopped", "fetch: ...", an amplifier fault). It can be
// told to fail a share of its plays. A live stream (`stream: true`: a live session or a
// relay) is fetched when its turn comes and read as it arrives: in_progress at its first
// audio, done when the gateway ends it, "fetch: ..." when the link drops mid-stream.
import type { CommandReply, PlayParams, Priority } from '../gateway/contract/index.js'

export interface PlayerOptions {
  reply: (id: string, status: CommandReply['status'], reason?: string) => void
  /** The device's state changed (started or stopped playing): report it now. */
  changed: () => void
  /** Share of plays that fail at the start, as an amplifier fault would (0 to 1). */
  failShare?: number
  random?: () => number
  /** Keep the MP3 bytes of each stream played, by broadcast id, for tests to decode. */
  keepStreams?: boolean
  /** Each piece of a stream as it arrives (the benchmark times the audio in it). */
  onStream?: (broadcastId: string, chunk: Buffer) => void
}

interface Item { id: string; params: PlayParams; expiresAt: number; arrived: number }

const RANK: Record<Priority, number> = { emergency: 0, priority: 1, routine: 2 }
const FETCH_TIMEOUT_MS = 30_000

export class Player {
  private queue: Item[] = []
  private current: { item: Item; timer: NodeJS.Timeout | null; abort?: AbortController } | null = null
  /** What each stream brought, when kept (keepStreams). */
  readonly streams = new Map<string, Buffer[]>()
  private readonly fetching = new Set<string>()
  private arrivals = 0
  private powered = true

  constructor (private readonly options: PlayerOptions) {}

  /** What is on air now, for the device's telemetry. */
  nowPlaying (): { title: string; priority: Priority } | null {
    return this.current ? { title: this.current.item.params.title, priority: this.current.item.params.priority } : null
  }

  /** A play command. A repeated id (redelivered, or resent after a reconnect) is not played twice. */
  async play (id: string, params: PlayParams, expiresAt: number): Promise<void> {
    if (this.fetching.has(id) || this.current?.item.id === id || this.queue.some((i) => i.id === id)) return
    if (params.stream === true) {
      // A stream cannot wait in a queue: it is fetched when its turn comes (next()).
      if (!this.powered) return
      this.options.reply(id, 'accepted')
      this.enqueue({ id, params, expiresAt, arrived: this.arrivals++ })
      return
    }
    this.fetching.add(id)
    try {
      const res = await fetch(params.audioUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
      const audio = await res.arrayBuffer()
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      if (audio.byteLength === 0) throw new Error('empty audio')
    } catch (err) {
      if (this.powered) this.options.reply(id, 'failed', `fetch: ${(err as Error).message}`)
      return
    } finally {
      this.fetching.delete(id)
    }
    if (!this.powered) return
    this.options.reply(id, 'accepted')
    this.enqueue({ id, params, expiresAt, arrived: this.arrivals++ })
  }

  /** The network dropped: a stream being read breaks (the gateway sends it again once back). */
  dropStream (): void {
    this.current?.abort?.abort(new Error('link dropped'))
  }

  private enqueue (item: Item): void {
    const { params } = item
    this.queue.push(item)
    this.queue.sort((a, b) => RANK[a.params.priority] - RANK[b.params.priority] || a.arrived - b.arrived)
    const playing = this.current?.item
    if (playing && RANK[params.priority] === 0 && RANK[playing.params.priority] > 0) {
      this.silence()
      this.options.reply(playing.id, 'failed', 'preempted by an emergency bulletin')
    }
    this.next()
  }

  /** The stop command: silence now, and nothing waiting plays. */
  stop (): void {
    const dropped = [...(this.current ? [this.current.item] : []), ...this.queue]
    this.silence()
    this.queue = []
    for (const item of dropped) this.options.reply(item.id, 'failed', 'stopped')
    if (dropped.length > 0) this.options.changed()
  }

  /** Power lost: what was queued or playing is gone with the RAM; nothing is answered. */
  powerOff (): void {
    this.silence()
    this.queue = []
    this.powered = false
  }

  powerOn (): void {
    this.powered = true
  }

  private next (): void {
    while (!this.current && this.queue.length > 0) {
      const item = this.queue.shift()!
      if (Date.now() > item.expiresAt) {
        this.options.reply(item.id, 'failed', 'expired before it could play')
        continue
      }
      if ((this.options.failShare ?? 0) > 0 && (this.options.random ?? Math.random)() < this.options.failShare!) {
        this.options.reply(item.id, 'failed', 'amplifier: no output')
        continue
      }
      if (item.params.stream === true) {
        const abort = new AbortController()
        this.current = { item, timer: null, abort }
        void this.stream(item, abort)
        continue
      }
      const { durationS, repeat, gapS } = item.params
      const ms = (durationS * repeat + gapS * (repeat - 1)) * 1000
      this.current = { item, timer: setTimeout(() => this.finished(item), ms) }
      this.options.reply(item.id, 'in_progress')
      this.options.changed()
    }
  }

  /** Plays a stream as it comes, for at most its durationS. */
  private async stream (item: Item, abort: AbortController): Promise<void> {
    const limit = setTimeout(() => abort.abort(new Error('longer than its limit')), item.params.durationS * 1000)
    let started = false
    let outcome: { status: 'done' | 'failed'; reason?: string }
    try {
      const res = await fetch(item.params.audioUrl, { signal: abort.signal })
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`)
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        if (!started) {
          started = true
          this.options.reply(item.id, 'in_progress')
          this.options.changed()
        }
        if (this.options.keepStreams) this.keep(item.params.broadcastId, Buffer.from(chunk))
        this.options.onStream?.(item.params.broadcastId, Buffer.from(chunk))
      }
      outcome = started ? { status: 'done' } : { status: 'failed', reason: 'fetch: the stream had no audio' }
    } catch (err) {
      const why = abort.signal.reason instanceof Error ? abort.signal.reason.message : (err as Error).message
      outcome = { status: 'failed', reason: `fetch: stream ${why}` }
    } finally {
      clearTimeout(limit)
    }
    // Preempted, stopped or powered off: already answered (or, without power, never).
    if (this.current?.item !== item) return
    this.current = null
    this.options.reply(item.id, outcome.status, outcome.reason)
    this.options.changed()
    this.next()
  }

  private keep (broadcastId: string, chunk: Buffer): void {
    const kept = this.streams.get(broadcastId) ?? []
    kept.push(chunk)
    this.streams.set(broadcastId, kept)
  }

  /** Whatever plays stops now (its answer is the caller's). */
  private silence (): void {
    if (this.current?.timer) clearTimeout(this.current.timer)
    this.current?.abort?.abort(new Error('silenced'))
    this.current = null
  }

  private finished (item: Item): void {
    if (this.current?.item !== item) return
    this.current = null
    this.options.reply(item.id, 'done')
    this.options.changed()
    this.next()
  }
}
