// Who is online. A device comes online the moment it is heard (its retained status, or any
// message); it goes offline on its last will, an "offline" status, a closed connection, or
// when nothing came within its kind's heartbeat timeout. Going offline is debounced: a
// flapping village link that reconnects within the debounce window makes no transition.
// Every transition is recorded with its time and reason.
import type { Statement } from 'better-sqlite3'
import type { DeviceKind } from '../contract/index.js'
import type { Db } from '../db/database.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents } from '../events/events.js'
import type { Registry } from '../registry/registry.js'
import type { DiskFaults } from '../disk-full.js'
import { LogLimiter, warnLimited } from '../log-limit.js'
import type { Logger } from '../log.js'

import type { PresenceChange, PresenceReason } from './change.js'

export type { PresenceChange, PresenceReason } from './change.js'

export interface PresenceState {
  online: boolean
  /** Since when the device is in this state (null: never seen). */
  since: number | null
  lastSeen: number | null
}

export interface PresenceOptions {
  debounceMs: number
  heartbeatMs: Record<DeviceKind, number>
  /** How often silent devices are looked for. */
  sweepMs?: number
  /** Where a failed write is reported (a full disk): the transition is recorded at a later sweep. */
  disk?: DiskFaults
  log?: Logger
}

/** Transitions kept in memory while they cannot be written. */
const MAX_UNRECORDED = 10_000

interface Entry extends PresenceState {
  pendingOffline: NodeJS.Timeout | null
}

export class Presence {
  private readonly devices = new Map<string, Entry>()
  private readonly record: Statement<[string, number, number, string]>
  private sweeper: NodeJS.Timeout | null = null
  /** Transitions not yet written (the disk was full), oldest first; recorded at the next sweeps. */
  private unrecorded: Array<[string, number, number, string]> = []
  private readonly logLimit = new LogLimiter()

  constructor (
    private readonly db: Db,
    private readonly registry: Registry,
    private readonly bus: EventBus<GatewayEvents>,
    private readonly options: PresenceOptions,
    private readonly now: () => number = Date.now
  ) {
    this.record = db.prepare('INSERT INTO presence_transitions (device_id, at, online, reason) VALUES (?, ?, ?, ?)')
  }

  /**
   * Restores the last recorded state. A device that was online is given a fresh heartbeat
   * window from now: it may have kept running while the gateway restarted.
   */
  start (): void {
    const rows = this.db.prepare<[], { device_id: string; at: number; online: number }>(`
      SELECT device_id, at, online FROM presence_transitions p
      WHERE rowid = (SELECT max(rowid) FROM presence_transitions WHERE device_id = p.device_id)`).all()
    const started = this.now()
    for (const row of rows) {
      this.devices.set(row.device_id, {
        online: row.online === 1, since: row.at, lastSeen: row.online === 1 ? started : null, pendingOffline: null
      })
    }
    this.sweeper = setInterval(() => this.sweep(), this.options.sweepMs ?? 1000)
    this.sweeper.unref()
  }

  stop (): void {
    if (this.sweeper) clearInterval(this.sweeper)
    for (const entry of this.devices.values()) if (entry.pendingOffline) clearTimeout(entry.pendingOffline)
  }

  get (deviceId: string): PresenceState {
    const entry = this.devices.get(deviceId)
    return entry ? { online: entry.online, since: entry.since, lastSeen: entry.lastSeen } : { online: false, since: null, lastSeen: null }
  }

  onlineCount (): number {
    let n = 0
    for (const entry of this.devices.values()) if (entry.online) n++
    return n
  }

  /** The device spoke: it is online, and any pending offline is off. */
  heard (deviceId: string, reason: 'status' | 'message'): void {
    const entry = this.entry(deviceId)
    entry.lastSeen = this.now()
    if (entry.pendingOffline) { clearTimeout(entry.pendingOffline); entry.pendingOffline = null }
    if (!entry.online) this.transition(deviceId, entry, true, reason)
  }

  /** The device is gone (will, offline status, closed connection): offline after the debounce. */
  lost (deviceId: string, reason: 'will' | 'status_offline' | 'disconnected'): void {
    // Not looked up with entry(): a device removed (and forgotten) is disconnected just after,
    // and must not come back as an empty entry. Only a device online can go offline.
    const entry = this.devices.get(deviceId)
    if (!entry?.online || entry.pendingOffline) return
    entry.pendingOffline = setTimeout(() => {
      entry.pendingOffline = null
      if (entry.online) this.transition(deviceId, entry, false, reason)
    }, this.options.debounceMs)
    entry.pendingOffline.unref()
  }

  /** Devices that said nothing within their heartbeat timeout are offline. */
  sweep (): void {
    this.recordPending()
    const now = this.now()
    for (const [deviceId, entry] of this.devices) {
      if (!entry.online || entry.lastSeen === null) continue
      const kind = this.registry.get(deviceId)?.kind
      if (!kind) { this.devices.delete(deviceId); continue }
      if (now - entry.lastSeen > this.options.heartbeatMs[kind]) {
        if (entry.pendingOffline) { clearTimeout(entry.pendingOffline); entry.pendingOffline = null }
        this.transition(deviceId, entry, false, 'heartbeat_timeout')
      }
    }
  }

  /** Recorded transitions of one device, newest first. */
  history (deviceId: string, limit: number): PresenceChange[] {
    return this.db.prepare<[string, number], { at: number; online: number; reason: PresenceReason }>(
      'SELECT at, online, reason FROM presence_transitions WHERE device_id = ? ORDER BY at DESC, rowid DESC LIMIT ?')
      .all(deviceId, limit)
      .map((r) => ({ deviceId, at: r.at, online: r.online === 1, reason: r.reason }))
  }

  remembers (deviceId: string): boolean {
    return this.devices.has(deviceId)
  }

  forget (deviceId: string): void {
    const entry = this.devices.get(deviceId)
    if (entry?.pendingOffline) clearTimeout(entry.pendingOffline)
    this.devices.delete(deviceId)
  }

  private entry (deviceId: string): Entry {
    let entry = this.devices.get(deviceId)
    if (!entry) this.devices.set(deviceId, (entry = { online: false, since: null, lastSeen: null, pendingOffline: null }))
    return entry
  }

  /**
   * Presence is what the device did, not what the disk could take: the state changes and
   * the bus hears it even when the row cannot be written (a full disk). Such rows wait, in
   * order, for the next sweep. This runs in timers (the debounce): a write error thrown
   * here was an uncaught exception that ended the process every 20 s on a full disk.
   */
  private transition (deviceId: string, entry: Entry, online: boolean, reason: PresenceReason): void {
    const at = this.now()
    entry.online = online
    entry.since = at
    this.unrecorded.push([deviceId, at, online ? 1 : 0, reason])
    this.recordPending()
    this.bus.emit('presence', { deviceId, online, at, reason })
  }

  private recordPending (): void {
    if (this.unrecorded.length === 0) return
    try {
      this.db.transaction(() => { for (const row of this.unrecorded) this.record.run(...row) })()
      this.unrecorded = []
      this.options.disk?.ok()
    } catch (err) {
      // A removed device's rows cannot be written any more (foreign key): drop them, keep the
      // rest, within a bound (a disk full for days must not fill the memory instead).
      this.unrecorded = this.unrecorded.filter(([id]) => this.registry.get(id) !== null).slice(-MAX_UNRECORDED)
      if (this.options.disk?.failed('presence', err)) return
      if (this.options.log) warnLimited(this.options.log, this.logLimit, 'presence_write', undefined, { err }, 'presence transitions not recorded; retried at the next sweep', 'error')
    }
  }
}
