// Health, metrics and the live overview: what an operator, Prometheus and the dashboard poll.
import { Router } from 'express'
import type { JournalDrain } from '../journal/drain.js'
import type { Journal } from '../journal/journal.js'
import type { Metrics } from '../metrics/metrics.js'
import type { TelemetryStore } from '../store/telemetry-store.js'
import { open } from './access.js'
import { HealthAnswer } from './answers.js'
import { doc } from './describe.js'

export interface StatusRouteDeps {
  journal: Journal
  drain: JournalDrain
  store: TelemetryStore
  metrics: Metrics
  journalWarnFraction: number
  disk: { readonly full: boolean; readonly since: number | null }
  broker: () => { listening: boolean; connectedDevices: number }
  /** The uplink to the province when configured (edge/uplink); its state never makes the box unhealthy. */
  uplink?: () => unknown
}

export function statusRoutes (deps: StatusRouteDeps): Router {
  const router = Router()

  // 200 when everything works; 503 when readings pile up (store down, journal filling, disk full),
  // with the same body, so a supervisor and a person both see why.
  router.get('/health', open(), doc({ summary: 'Is the box well: broker, store, journal, disk (503 with the same body when not)', answer: HealthAnswer, stable: true }), (_req, res) => {
    const drain = deps.drain.status()
    const broker = deps.broker()
    const usedFraction = deps.journal.usedFraction
    const journalWarning = usedFraction >= deps.journalWarnFraction
    const healthy = broker.listening && drain.storeReachable && !journalWarning && !deps.disk.full
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'ok' : 'degraded',
      broker,
      disk: { full: deps.disk.full, since: deps.disk.since },
      store: { name: deps.store.name, reachable: drain.storeReachable, lastError: drain.lastError, failingSince: drain.failingSince, lastStoredAt: drain.lastStoredAt },
      journal: {
        depth: deps.journal.depth,
        quarantined: deps.journal.quarantined,
        usedBytes: deps.journal.usedBytes,
        budgetBytes: deps.journal.budgetBytes,
        usedPct: Math.round(usedFraction * 1000) / 10,
        warning: journalWarning
      },
      ...(deps.uplink ? { uplink: deps.uplink() } : {})
    })
  })

  router.get('/metrics', open(), doc({ summary: 'Prometheus metrics', answers: [{ status: 200, media: 'text/plain' }], stable: true }), async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics())
  })

  return router
}
