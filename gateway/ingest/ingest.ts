// Every message a device publishes passes here before the broker acknowledges it.
// Validate against the contract, enrich with the registry, journal telemetry and events
// (the PUBACK waits for that commit and nothing else), update presence and command state.
// A journaled reading reaches the bus (rules, alarms, live state, dashboard, outbox) once its
// group's PUBACKs went out (issue #18); a crash in between cannot lose it: the journal
// knows what it handed over, and a start hands over the rest (`replay`).
//
// A bad message is dropped with a reason: counted, logged at most once per device per
// minute, and still acknowledged, because MQTT 3.1.1 has no negative acknowledgement and a
// message resent forever would block the device's queue behind it.
import { setTimeout as sleep } from 'node:timers/promises'
import {
  CommandReply, EVENTS, Status, TELEMETRY, describeIssues, fileTime, parseTopic,
  type ClockTolerance, type DeviceChannel, type FieldValue
} from '../contract/index.js'
import type { CommandDispatcher } from '../commands/dispatcher.js'
import { isDiskFull, type DiskFaults } from '../disk-full.js'
import type { EventBus } from '../events/bus.js'
import type { DeviceEventNotice, GatewayEvents, Reading } from '../events/events.js'
import { JournalFullError, type Journal } from '../journal/journal.js'
import { ReadingTimes } from './filing.js'
import type { Logger } from '../log.js'
import { clip, LogLimiter, warnLimited } from '../log-limit.js'
import type { Metrics, RejectReason } from '../metrics/metrics.js'
import type { Presence } from '../presence/presence.js'
import type { Device } from '../registry/device.js'
import type { Registry } from '../registry/registry.js'
import type { TelemetryPoint } from '../store/telemetry-store.js'

export type Verdict = { accepted: true } | { accepted: false; reason: RejectReason; detail: string }
/** One object for every accepted message, not one each (garbage per reading, issue #18). */
const ACCEPTED: Verdict = Object.freeze({ accepted: true })

export interface IngestParts {
  registry: Registry
  journal: Journal
  presence: Presence
  commands: CommandDispatcher
  bus: EventBus<GatewayEvents>
  metrics: Metrics
  log: Logger
  clock: ClockTolerance
  now?: () => number
  /** How long a message waits for room in a full journal (or disk) before it is refused. */
  fullRetryMs?: number
  disk?: DiskFaults
  /** A camera's JPEG on its snapshot topic (gateway/pictures/mqtt-snapshot.ts); without it the topic is refused. */
  snapshot?: (device: Device, jpeg: Buffer) => Promise<Verdict>
}

/** Why a message could not be kept, when it is for want of room (a full disk is also reported to the watch). */
function refusal (err: unknown, disk: DiskFaults | undefined): 'journal_full' | 'disk_full' | null {
  if (err instanceof JournalFullError) return 'journal_full'
  if (disk ? disk.failed('ingest', err) : isDiskFull(err)) return 'disk_full'
  return null
}

export class Ingest {
  private readonly logLimit: LogLimiter
  private readonly times = new ReadingTimes()
  private readonly receivedBy = new Map<DeviceChannel | 'snapshot', { inc: () => void }>()
  private readonly now: () => number

  constructor (private readonly parts: IngestParts) {
    this.now = parts.now ?? Date.now
    this.logLimit = new LogLimiter(undefined, undefined, this.now)
    parts.registry.onChange((change) => { if (change.type === 'removed') this.times.forget(change.id) })
    const failed = (err: unknown): void => { parts.log.error({ err }, 'a journaled reading was not handed to presence and the rules') }
    for (const point of parts.journal.onCommitted((point, note) => this.announce(point, note as Reading | DeviceEventNotice), failed)) {
      try { this.replay(point) } catch (err) { failed(err) }
    }
  }

  /** After the PUBACK: the reading or event goes to the bus. */
  private announce (point: TelemetryPoint, note: Reading | DeviceEventNotice): void {
    if (point.measurement === 'event') this.parts.bus.emit('deviceEvent', note as DeviceEventNotice)
    else this.parts.bus.emit('reading', note as Reading)
  }

  /**
   * A journaled entry a crash kept from the bus (committed and acknowledged, the process died
   * before the rules saw it): handed over at the start, so its alarm still happens. Not a sign
   * of life now; the receive time and the clock verdict were not journaled (nothing reads them).
   */
  private replay (point: TelemetryPoint): void {
    const device = this.parts.registry.get(point.deviceId)
    if (!device) return
    const { ts, fields } = point
    if (point.measurement !== 'event') {
      this.parts.bus.emit('reading', { device, ts, receivedAt: ts, clock: 'device', fields })
      return
    }
    const event = EVENTS[device.kind].safeParse({ ts, type: fields.type, ...(fields.message === undefined ? {} : { message: fields.message }) })
    if (event.success) this.parts.bus.emit('deviceEvent', { device, ts, receivedAt: ts, event: event.data })
  }

  /**
   * Handles one message from an authenticated device. Resolves once it is safe to
   * acknowledge; rejects only when the journal cannot take it (then nothing is acknowledged).
   */
  async handle (clientId: string, topic: string, payload: Buffer, origin: 'device' | 'will' = 'device'): Promise<Verdict> {
    const parsed = parseTopic(topic)
    if (!parsed) return this.reject(clientId, 'unknown_topic', `topic ${clip(topic)} is not in the contract`)
    if (parsed.deviceId !== clientId || parsed.channel === 'cmd') {
      return this.reject(clientId, 'not_own_topic', `${clientId} may not publish on ${clip(topic)}`)
    }
    if (parsed.channel === 'snapshot') return this.snapshot(clientId, payload)
    const device = this.received(clientId, parsed.channel)
    if (!device) return this.reject(clientId, 'unknown_device', `${clientId} is no longer registered`)

    let body: unknown
    try {
      body = JSON.parse(payload.toString('utf8'))
    } catch {
      return this.reject(clientId, 'not_json', `${parsed.channel} payload is not JSON`)
    }
    return this.dispatch(device, parsed.channel, body, origin)
  }

  /**
   * A message from a part of the gateway that speaks for a device that cannot (edge probes
   * for RTSP/ONVIF cameras): the same checks, journal, presence and events as a device's own
   * message, without an MQTT round trip or a JSON string re-parsed in the same process.
   */
  async submit (deviceId: string, channel: DeviceChannel, body: unknown): Promise<Verdict> {
    const device = this.received(deviceId, channel)
    if (!device) return this.reject(deviceId, 'unknown_device', `${deviceId} is no longer registered`)
    return this.dispatch(device, channel, body, 'device')
  }

  /** A picture, not JSON: its own checks and keeping (issue #20); the PUBACK waits until it is on disk. */
  private async snapshot (deviceId: string, jpeg: Buffer): Promise<Verdict> {
    const device = this.parts.registry.get(deviceId)
    if (!device) return this.reject(deviceId, 'unknown_device', `${deviceId} is no longer registered`)
    if (!this.parts.snapshot) return this.reject(deviceId, 'unknown_topic', 'snapshots are not taken by this gateway')
    this.counter('snapshot').inc()
    const verdict = await this.parts.snapshot(device, jpeg)
    if (!verdict.accepted) return this.reject(deviceId, verdict.reason, verdict.detail)
    this.parts.presence.heard(device.id, 'message')
    return verdict
  }

  private received (deviceId: string, channel: DeviceChannel): Device | null {
    const device = this.parts.registry.get(deviceId)
    if (device) this.counter(channel).inc()
    return device
  }

  /** The channel's counter, looked up once: `inc({ channel })` builds and hashes its labels on every message. */
  private counter (channel: DeviceChannel | 'snapshot'): { inc: () => void } {
    let counter = this.receivedBy.get(channel)
    if (!counter) this.receivedBy.set(channel, counter = this.parts.metrics.messagesReceived.labels({ channel }))
    return counter
  }

  /**
   * A message that found no room (the journal's budget spent, or the disk full: a reading's
   * journal commit, a reply's or a status's write to state.db) is not acknowledged: counted by
   * why, and the caller closes the connection so the device keeps it.
   */
  private async dispatch (device: Device, channel: DeviceChannel, body: unknown, origin: 'device' | 'will'): Promise<Verdict> {
    try {
      switch (channel) {
        case 'telemetry': return await this.telemetry(device, body)
        case 'event': return await this.event(device, body)
        case 'status': return this.status(device, body, origin)
        case 'reply': return this.reply(device, body)
      }
    } catch (err) {
      const reason = refusal(err, this.parts.disk)
      if (reason) this.parts.metrics.messagesRejected.inc({ reason })
      throw err
    }
  }

  private async telemetry (device: Device, body: unknown): Promise<Verdict> {
    const arrived = performance.now()
    const result = TELEMETRY[device.kind].safeParse(body)
    if (!result.success) return this.reject(device.id, 'schema', describeIssues(result.error).join('; '))
    const { ts: deviceTs, ...fields } = result.data as { ts?: number } & Record<string, FieldValue>
    const receivedAt = this.now()
    const filed = fileTime(deviceTs, receivedAt, this.parts.clock)
    if (filed.clock !== 'device') this.parts.metrics.readingsRestamped.inc({ reason: filed.clock })
    const ts = this.times.file(device.id, 'telemetry', filed.ts, filed.clock, fields)
    const reading: Reading = { device, ts, receivedAt, clock: filed.clock, fields }
    await this.journal(this.point(device, device.kind, ts, fields), reading)
    this.parts.metrics.readingAckSeconds.observe((performance.now() - arrived) / 1000)
    // Heard now, in the order the device's messages came (a status "offline" right behind must win).
    this.parts.presence.heard(device.id, 'message')
    return ACCEPTED
  }

  private async event (device: Device, body: unknown): Promise<Verdict> {
    const result = EVENTS[device.kind].safeParse(body)
    if (!result.success) return this.reject(device.id, 'schema', describeIssues(result.error).join('; '))
    const event = result.data
    const receivedAt = this.now()
    const filed = fileTime(event.ts, receivedAt, this.parts.clock)
    const fields: Record<string, FieldValue> = { type: event.type }
    if (event.message !== undefined) fields.message = event.message
    const ts = this.times.file(device.id, 'event', filed.ts, filed.clock, fields)
    const notice: DeviceEventNotice = { device, ts, receivedAt, event }
    await this.journal(this.point(device, 'event', ts, fields), notice)
    // Heard now, in the order the device's messages came (a status "offline" right behind must win).
    this.parts.presence.heard(device.id, 'message')
    return ACCEPTED
  }

  private status (device: Device, body: unknown, origin: 'device' | 'will'): Verdict {
    const result = Status.safeParse(body)
    if (!result.success) return this.reject(device.id, 'schema', describeIssues(result.error).join('; '))
    if (result.data.state === 'offline') {
      this.parts.presence.lost(device.id, origin === 'will' ? 'will' : 'status_offline')
      return { accepted: true }
    }
    this.parts.registry.noteFirmware(device.id, result.data.firmware, result.data.model)
    this.parts.presence.heard(device.id, 'status')
    return { accepted: true }
  }

  private reply (device: Device, body: unknown): Verdict {
    const result = CommandReply.safeParse(body)
    if (!result.success) return this.reject(device.id, 'schema', describeIssues(result.error).join('; '))
    this.parts.presence.heard(device.id, 'message')
    this.parts.commands.handleReply(device.id, result.data)
    return { accepted: true }
  }

  /**
   * Journals a point. When the journal is full (its budget) or the disk is, the message is
   * held for a moment (the drain may free room) and then refused, which closes the connection
   * without a PUBACK. The pause also lets the PUBACKs of messages committed just before go
   * out first: refusing at once would cut them off, and the device would send them again,
   * forever (and a full disk made a reconnect storm of every device).
   */
  private async journal (point: TelemetryPoint, note: Reading | DeviceEventNotice): Promise<void> {
    try {
      await this.parts.journal.append(point, note)
    } catch (err) {
      if (!(err instanceof JournalFullError || isDiskFull(err))) throw err
      await sleep(this.parts.fullRetryMs ?? 1000)
      await this.parts.journal.append(point, note)
    }
    this.parts.disk?.ok()
  }

  private point (device: Device, measurement: TelemetryPoint['measurement'], ts: number, fields: Record<string, FieldValue>): TelemetryPoint {
    return { measurement, deviceId: device.id, kind: device.kind, commune: device.commune, village: device.village, ts, fields }
  }

  /** Counts every rejection; logs at most one per device and reason a minute so a broken device cannot flood the log. */
  private reject (deviceId: string, reason: RejectReason, detail: string): Verdict {
    this.parts.metrics.messagesRejected.inc({ reason })
    warnLimited(this.parts.log, this.logLimit, reason, deviceId, { deviceId: clip(deviceId), detail: clip(detail, 300) }, 'message dropped')
    return { accepted: false, reason, detail }
  }
}
