// The live link: one socket.io connection per tab. Views ask for the channels they show
// (ref-counted); each subscription brings a snapshot, then the gateway's batched deltas
// keep it current. After a short drop socket.io recovers the missed deltas; after a long
// one every channel is asked for again. Renders are coalesced to one per animation frame.
import { io, type Socket } from 'socket.io-client'
import { useEffect, useState } from 'preact/hooks'
import type { DeviceKind } from '../../gateway/contract/kinds.js'
import type { Alarm, BroadcastNotice, Channel, ClientToServerEvents, DeviceView, Overview, ServerToClientEvents } from '../../gateway/realtime/protocol.js'

export type LinkState = 'connecting' | 'live' | 'down' | 'back'

class Live {
  readonly devices = new Map<DeviceKind, Map<string, DeviceView>>()
  overview: Overview | null = null
  /** Active alarms the role sees, by id. */
  readonly alarms = new Map<number, Alarm>()
  /** Bulletins with the counts of their latest airing, by id (officials). */
  readonly broadcasts = new Map<string, BroadcastNotice>()
  link: LinkState = 'connecting'
  /** The newest critical alarm not yet shown in this tab: the shell's banner, until closed. */
  critical: Alarm | null = null
  /** Called for each new critical alarm (the shell rings). */
  onCritical: (alarm: Alarm) => void = () => undefined
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null
  private readonly wanted = new Map<Channel, number>()
  /** Channels asked for and not yet answered: a reply sent on a link that then dropped is lost, even when socket.io recovers the link. */
  private readonly unanswered = new Set<Channel>()
  private readonly listeners = new Set<() => void>()
  private frame = 0
  private backTimer = 0
  private everConnected = false
  onUnauthorized: () => void = () => undefined

  start (): void {
    if (this.socket) return
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket', 'polling'], withCredentials: true })
    this.socket = socket
    socket.on('connect', () => {
      // A recovered link got the deltas it missed, but not the answers: ask again for those.
      for (const channel of socket.recovered ? [...this.unanswered].filter((c) => this.wanted.has(c)) : [...this.wanted.keys()]) this.ask(channel)
      this.link = this.everConnected ? 'back' : 'live'
      this.everConnected = true
      clearTimeout(this.backTimer)
      if (this.link === 'back') this.backTimer = window.setTimeout(() => { this.link = 'live'; this.changed() }, 5000)
      this.changed()
    })
    socket.on('disconnect', (reason) => {
      // The gateway itself closed the link: the session ended (logout elsewhere, password
      // changed, account disabled). Anything else is the network, and socket.io reconnects.
      if (reason === 'io server disconnect') { this.onUnauthorized(); return }
      this.link = 'down'
      this.changed()
    })
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'UNAUTHORIZED' || err.data?.code === 'PASSWORD_CHANGE_REQUIRED') this.onUnauthorized()
      this.link = this.everConnected ? 'down' : 'connecting'
      this.changed()
    })
    socket.on('devices', (delta) => {
      const map = this.mapOf(delta.kind)
      for (const device of delta.devices) map.set(device.id, device)
      for (const id of delta.removed) map.delete(id)
      this.changed()
    })
    socket.on('overview', (overview) => { this.overview = overview; this.changed() })
    socket.on('broadcasts', (delta) => {
      for (const notice of delta.broadcasts) this.broadcasts.set(notice.broadcast.id, notice)
      this.changed()
    })
    socket.on('alarms', (delta) => {
      for (const alarm of delta.alarms) {
        if (alarm.state === 'active') this.alarms.set(alarm.id, alarm)
        else this.alarms.delete(alarm.id)
        if ((delta.changes[alarm.id] === 'raised' || delta.changes[alarm.id] === 'worsened') && alarm.severity === 'critical') this.newCritical(alarm)
      }
      this.changed()
    })
  }

  stop (): void {
    this.socket?.disconnect()
    this.socket = null
    this.devices.clear()
    this.overview = null
    this.alarms.clear()
    this.critical = null
    this.broadcasts.clear()
    this.wanted.clear()
    this.unanswered.clear()
    this.everConnected = false
    this.link = 'connecting'
  }

  /** Keeps a channel live while the returned function is not called. */
  subscribe (channel: Channel): () => void {
    const n = this.wanted.get(channel) ?? 0
    this.wanted.set(channel, n + 1)
    if (n === 0 && this.socket?.connected) this.ask(channel)
    return () => {
      const left = (this.wanted.get(channel) ?? 1) - 1
      if (left > 0) { this.wanted.set(channel, left); return }
      this.wanted.delete(channel)
      this.socket?.emit('unsubscribe', channel)
    }
  }

  listen (fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  list (kind: DeviceKind): DeviceView[] {
    return [...this.mapOf(kind).values()]
  }

  device (id: string): DeviceView | undefined {
    for (const map of this.devices.values()) {
      const d = map.get(id)
      if (d) return d
    }
    return undefined
  }

  closeCritical (): void {
    this.critical = null
    this.changed()
  }

  private newCritical (alarm: Alarm): void {
    this.critical = alarm
    this.onCritical(alarm)
  }

  private ask (channel: Channel): void {
    this.unanswered.add(channel)
    this.socket?.emit('subscribe', channel, (answer) => {
      this.unanswered.delete(channel)
      if (!answer.ok) return
      switch (answer.channel) {
        case 'overview': this.overview = answer.overview; break
        case 'alarms': {
          // A critical alarm raised while the page opened, or while the link was down too long
          // to recover, comes in this snapshot and in no delta: it must not go unseen either.
          const unseen = answer.alarms.filter((a) => a.severity === 'critical' && !a.acknowledged && !this.alarms.has(a.id))
          this.alarms.clear()
          for (const a of answer.alarms) this.alarms.set(a.id, a)
          const newest = unseen.sort((a, b) => b.startedAt - a.startedAt)[0]
          if (newest) this.newCritical(newest)
          break
        }
        case 'broadcasts':
          this.broadcasts.clear()
          for (const n of answer.broadcasts) this.broadcasts.set(n.broadcast.id, n)
          break
        default: this.devices.set(answer.channel, new Map(answer.devices.map((d) => [d.id, d] as const)))
      }
      this.changed()
    })
  }

  private mapOf (kind: DeviceKind): Map<string, DeviceView> {
    let map = this.devices.get(kind)
    if (!map) this.devices.set(kind, (map = new Map<string, DeviceView>()))
    return map
  }

  private changed (): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      for (const fn of this.listeners) fn()
    })
  }
}

export const live = new Live()

/** Re-renders the calling component when the given channels change. */
export function useLive (...channels: Channel[]): Live {
  const [, setVersion] = useState(0)
  const key = channels.join(',')
  useEffect(() => {
    const offs = channels.map((c) => live.subscribe(c))
    const off = live.listen(() => setVersion((v) => v + 1))
    return () => { off(); for (const o of offs) o() }
  }, [key])
  return live
}
