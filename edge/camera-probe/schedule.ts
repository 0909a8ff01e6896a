// The probe cycle: every camera with an endpoint, at most `concurrency` at once, each
// under its own deadline; results go into the gateway as each camera finishes. Cycles
// never overlap: the next starts `intervalMs` after the previous started, or at once when
// a cycle took longer than that (logged: more cameras than the box can probe in time).
import type { DeviceChannel } from '../../gateway/contract/index.js'
import type { Verdict } from '../../gateway/ingest/ingest.js'
import type { Logger } from '../../gateway/log.js'
import { LogLimiter, warnLimited } from '../../gateway/log-limit.js'
import type { CameraEndpoint } from '../../gateway/registry/camera-endpoints.js'
import { forEachPooled } from './pool.js'
import { probeCamera, type ProbeReport } from './prober.js'
import { messagesFor, type Previous } from './publish.js'

export interface ProbeSchedulerParts {
  endpoints: { forProbe (): { endpoints: CameraEndpoint[]; unreadable: string[] } }
  /** Ingest.submit: the path every device message takes. */
  submit: (deviceId: string, channel: DeviceChannel, body: unknown) => Promise<Verdict>
  isOnline: (deviceId: string) => boolean
  log: Logger
  /** Keeps and measures a snapshot every few minutes per camera (gateway/pictures/keeper.ts). */
  pictures?: { due (deviceId: string, at: number): boolean; keep (deviceId: string, at: number, jpeg: Buffer): Promise<Record<string, number> | null>; forget (deviceId: string): void }
  /** Counts for /metrics. */
  observe?: { probed (outcome: ProbeReport['outcome']): void; cycle (seconds: number): void }
}

export interface ProbeSchedulerOptions {
  intervalMs: number
  concurrency: number
  timeoutMs: number
  /** How long each stream is read (default 1 s: 25 frames at 25 fps, 10 at night). */
  watchMs?: number
  /** The clock probes are dated by; a test moves it to another hour of the day. */
  now?: () => number
}

export interface CycleSummary {
  startedAt: number
  durationMs: number
  cameras: number
  ok: number
  failed: number
}

export class CameraProbeScheduler {
  private readonly reports = new Map<string, ProbeReport>()
  private readonly previous = new Map<string, Previous>()
  private readonly logLimit = new LogLimiter()
  private readonly stopping = new AbortController()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<CycleSummary> | null = null
  lastCycle: CycleSummary | null = null

  constructor (private readonly parts: ProbeSchedulerParts, private readonly options: ProbeSchedulerOptions) {}

  start (): void {
    this.schedule(0)
  }

  remembers (deviceId: string): boolean {
    return this.reports.has(deviceId) || this.previous.has(deviceId)
  }

  /** A camera no longer probed (its endpoint or the device removed): its last report goes. */
  forget (deviceId: string): void {
    this.reports.delete(deviceId)
    this.previous.delete(deviceId)
    this.parts.pictures?.forget(deviceId)
  }

  /** Ends the running probes at once and waits for the cycle to wind up. */
  async stop (): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.stopping.abort()
    await this.running?.catch(() => undefined)
  }

  /** The last probe of a camera, for the people setting it up (GET /api/devices/:id/endpoint). */
  lastReport (deviceId: string): ProbeReport | undefined {
    return this.reports.get(deviceId)
  }

  /** One cycle over every camera; a cycle already running is joined, not doubled. */
  runCycle (): Promise<CycleSummary> {
    this.running ??= this.cycle().finally(() => { this.running = null })
    return this.running
  }

  private schedule (delayMs: number): void {
    if (this.stopping.signal.aborted) return
    this.timer = setTimeout(() => {
      const started = Date.now()
      this.runCycle().catch((err: unknown) => this.parts.log.error({ err }, 'camera probe cycle failed')).finally(() => {
        const elapsed = Date.now() - started
        if (elapsed > this.options.intervalMs) {
          this.parts.log.warn({ durationMs: elapsed, intervalMs: this.options.intervalMs }, 'camera probe cycle took longer than its interval')
        }
        this.schedule(Math.max(0, this.options.intervalMs - elapsed))
      })
    }, delayMs)
    this.timer.unref()
  }

  private async cycle (): Promise<CycleSummary> {
    const startedAt = Date.now()
    const { endpoints, unreadable } = this.parts.endpoints.forProbe()
    if (unreadable.length > 0) this.parts.log.error({ deviceIds: unreadable }, 'camera passwords do not open with DATA_DIR/secret.key; those cameras are not probed')
    const publishing: Array<Promise<void>> = []
    let ok = 0
    await forEachPooled(endpoints, this.options.concurrency, (endpoint) => probeCamera(endpoint, {
      timeoutMs: this.options.timeoutMs, watchMs: this.options.watchMs ?? 1000, signal: this.stopping.signal, now: this.options.now
    }), (report) => {
      if (this.stopping.signal.aborted) return // the gateway is stopping: its journal may be closed
      if (report.outcome === 'ok') ok++
      this.parts.observe?.probed(report.outcome)
      publishing.push(this.publish(report))
    })
    await Promise.all(publishing)
    const ids = new Set(endpoints.map((e) => e.deviceId))
    for (const id of this.reports.keys()) if (!ids.has(id)) this.forget(id)
    const summary = { startedAt, durationMs: Date.now() - startedAt, cameras: endpoints.length, ok, failed: endpoints.length - ok }
    this.lastCycle = summary
    this.parts.observe?.cycle(summary.durationMs / 1000)
    this.parts.log.debug(summary, 'camera probe cycle done')
    return summary
  }

  private async publish (report: ProbeReport): Promise<void> {
    const { deviceId } = report
    const previous = this.previous.get(deviceId)
    if (previous?.outcome !== report.outcome) {
      const level = report.outcome === 'ok' ? 'info' : 'warn'
      this.parts.log[level]({ deviceId, outcome: report.outcome, detail: report.detail }, 'camera probe outcome changed')
    }
    const { picture, ...kept } = report
    this.reports.set(deviceId, kept) // the picture itself is the snapshot store's, not held here
    const messages = messagesFor(report, previous, this.parts.isOnline(deviceId))
    const telemetry = messages.find((m) => m.channel === 'telemetry')
    if (picture && telemetry && this.parts.pictures?.due(deviceId, report.at)) {
      // Published with the probe's telemetry: the picture rules see the stream's state beside it.
      Object.assign(telemetry.body, await this.parts.pictures.keep(deviceId, report.at, picture))
    }
    this.previous.set(deviceId, { outcome: report.outcome, streamAlive: report.rtsp?.stream.alive ?? previous?.streamAlive })
    try {
      for (const message of messages) {
        const verdict = await this.parts.submit(deviceId, message.channel, message.body)
        if (verdict.accepted) continue
        // A camera removed during the cycle is a race, not a fault; anything else is a bug here.
        const level = verdict.reason === 'unknown_device' ? 'info' : 'error'
        this.parts.log[level]({ deviceId, reason: verdict.reason, detail: verdict.detail }, 'probe result refused by ingest')
        break
      }
    } catch (err) {
      // A full journal or disk refuses every camera of every cycle: a few lines a minute, not one per camera.
      warnLimited(this.parts.log, this.logLimit, 'not_journaled', deviceId, { deviceId, err: (err as Error).message }, 'probe result not journaled (journal or disk full?); the next cycle sends a fresh one')
    }
  }
}
