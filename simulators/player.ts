// A loudspeaker cluster's player: fetches a bulletin's audio over HTTP, queues it by priority
// (an emergency preempts whatever plays; a priority bulletin goes before routine ones), plays
// it for its real length (repeats and gaps included), and answers each play command:
// accepted once the audio is in, in_progress when it starts, done when played in full, or
// failed with a reason ("preempted", "stopped", "fetch: ...", an amplifier fault). It can be
// told to fail a share of its plays.
import type { CommandReply, PlayParams, Priority } from '../gateway/contract/index.js'

export interface PlayerOptions {
  reply: (id: string, status: CommandReply['status'], reason?: string) => void
  /** The device's state changed (started or stopped playing): report it now. */
  changed: () => void
  /** Share of plays that fail at the start, as an amplifier fault would (0 to 1). */
  failShare?: number
  random?: () => number
}

interface Item { id: string; params: PlayParams; expiresAt: number; arrived: number }

const RANK: Record<Priority, number> = { emergency: 0, priority: 1, routine: 2 }
const FETCH_TIMEOUT_MS = 30_000

export class Player {
  private queue: Item[] = []
  private current: { item: Item; timer: NodeJS.Timeout } | null = null
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
    const item: Item = { id, params, expiresAt, arrived: this.arrivals++ }
    this.queue.push(item)
    this.queue.sort((a, b) => RANK[a.params.priority] - RANK[b.params.priority] || a.arrived - b.arrived)
    const playing = this.current?.item
    if (playing && RANK[params.priority] === 0 && RANK[playing.params.priority] > 0) {
      clearTimeout(this.current!.timer)
      this.current = null
      this.options.reply(playing.id, 'failed', 'preempted by an emergency bulletin')
    }
    this.next()
  }

  /** The stop command: silence now, and nothing waiting plays. */
  stop (): void {
    const dropped = [...(this.current ? [this.current.item] : []), ...this.queue]
    if (this.current) clearTimeout(this.current.timer)
    this.current = null
    this.queue = []
    for (const item of dropped) this.options.reply(item.id, 'failed', 'stopped')
    if (dropped.length > 0) this.options.changed()
  }

  /** Power lost: what was queued or playing is gone with the RAM; nothing is answered. */
  powerOff (): void {
    if (this.current) clearTimeout(this.current.timer)
    this.current = null
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
      const { durationS, repeat, gapS } = item.params
      const ms = (durationS * repeat + gapS * (repeat - 1)) * 1000
      this.current = { item, timer: setTimeout(() => this.finished(item), ms) }
      this.options.reply(item.id, 'in_progress')
      this.options.changed()
    }
  }

  private finished (item: Item): void {
    if (this.current?.item !== item) return
    this.current = null
    this.options.reply(item.id, 'done')
    this.options.changed()
    this.next()
  }
}
