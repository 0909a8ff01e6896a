// The gateway asks each online MQTT camera for a snapshot every GATEWAY_SNAPSHOT_INTERVAL_S
// (issue #20), as the probe fetches a probed camera's: each camera in its own slot of the
// interval (keeper.ts slotOf), so a hundred cameras do not all send, and all get measured, at
// once. Cameras with an RTSP/ONVIF endpoint are the probe's. The command lives one interval:
// a camera that misses it is asked again in its next slot, never twice in one, nor twice
// within half an interval. A camera seen for the first time is asked at once, but no more of
// them in one look than their share of the interval: after a restart a hundred cameras
// are asked over the interval, not in the same second. Finished snapshot commands are
// forgotten after a week (there is one per camera every few minutes).
import type { CommandDispatcher } from '../commands/dispatcher.js'
import type { Logger } from '../log.js'
import type { Registry } from '../registry/registry.js'
import { slotOf } from './keeper.js'

export interface SnapshotAskerParts {
  registry: Pick<Registry, 'list'>
  commands: Pick<CommandDispatcher, 'send' | 'prune'>
  isOnline: (deviceId: string) => boolean
  /** Cameras the probe takes care of (they have an RTSP/ONVIF endpoint). */
  isProbed: (deviceId: string) => boolean
  log: Logger
  now?: () => number
}

/** How often the asker looks whose slot has come. */
const TICK_MS = 5_000
const KEEP_COMMANDS_MS = 7 * 86_400_000
const PRUNE_EVERY_MS = 3_600_000

export class SnapshotAsker {
  private readonly asked = new Map<string, number>()
  private timer: NodeJS.Timeout | null = null
  private prunedAt = 0
  private readonly now: () => number

  constructor (private readonly parts: SnapshotAskerParts, private readonly intervalMs: number) {
    this.now = parts.now ?? Date.now
  }

  remembers (deviceId: string): boolean {
    return this.asked.has(deviceId)
  }

  forget (deviceId: string): void {
    this.asked.delete(deviceId)
  }

  start (): void {
    this.timer ??= setInterval(() => { void this.tick() }, Math.max(1000, Math.min(TICK_MS, this.intervalMs)))
  }

  stop (): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** Asks every online MQTT camera whose slot has come; the ids asked. */
  async tick (): Promise<string[]> {
    const at = this.now()
    if (at - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = at
      this.parts.commands.prune('snapshot', at - KEEP_COMMANDS_MS)
    }
    const cameras = this.parts.registry.list().filter((d) => d.kind === 'camera' && d.enabled && this.parts.isOnline(d.id) && !this.parts.isProbed(d.id))
    const share = Math.max(1, Math.ceil(cameras.length * Math.min(TICK_MS, this.intervalMs) / this.intervalMs))
    const due = cameras.filter((d) => {
      const last = this.asked.get(d.id)
      return last === undefined || (slotOf(d.id, at, this.intervalMs) > slotOf(d.id, last, this.intervalMs) && at - last >= this.intervalMs / 2)
    }).slice(0, share)
    for (const d of due) {
      this.asked.set(d.id, at)
      await this.parts.commands.send(d.id, { name: 'snapshot', params: {} }, this.intervalMs)
        .catch((err: unknown) => this.parts.log.warn({ deviceId: d.id, err: (err as Error).message }, 'could not ask a camera for its snapshot'))
    }
    return due.map((d) => d.id)
  }
}
