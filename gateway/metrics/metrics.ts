// Prometheus metrics of one gateway. Each gateway owns its registry, so tests can run
// several in one process and /metrics shows only its own numbers.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export const REJECT_REASONS = ['not_json', 'schema', 'unknown_topic', 'not_own_topic', 'unknown_device', 'too_large', 'not_jpeg', 'too_frequent', 'protocol_violation', 'journal_full', 'disk_full'] as const
export type RejectReason = (typeof REJECT_REASONS)[number]

export interface MetricsSources {
  journalDepth: () => number
  journalBytes: () => number
  connectedDevices: () => number
  diskFull: () => boolean
}

/**
 * How often the event loop's delay is sampled (prom-client's default, named here because it is
 * in every figure): a timer every 10 ms, and the `gateway_process_nodejs_eventloop_lag_*`
 * gauges are the times between its runs, so an idle loop reads 10 ms. The loop's lag is the
 * gauge minus this (prometheus/client_js#370); the soak reports it so.
 */
export const EVENT_LOOP_SAMPLE_MS = 10

export function createMetrics (sources: MetricsSources) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'gateway_process_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS })
  const registers = [registry]
  const metrics = {
    registry,
    messagesReceived: new Counter({
      name: 'gateway_messages_received_total', help: 'MQTT messages received from devices, by channel', labelNames: ['channel'] as const, registers
    }),
    messagesRejected: new Counter({
      name: 'gateway_messages_rejected_total', help: 'Messages dropped, by reason', labelNames: ['reason'] as const, registers
    }),
    readingsRestamped: new Counter({
      name: 'gateway_readings_restamped_total',
      help: 'Readings filed at receive time because the device time was missing or out of tolerance',
      labelNames: ['reason'] as const,
      registers
    }),
    // Issue #18: the device sees this plus the network and its own queueing; the two apart
    // tell a slow gateway from a slow link (or, in the bench, a load generator short of CPU).
    readingAckSeconds: new Histogram({
      name: 'gateway_reading_ack_seconds',
      help: 'From a reading\'s arrival (its packet read and parsed) to its acknowledgement: validation and the journal commit; the PUBACK is written right after',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 1, 5],
      registers
    }),
    readingsStored: new Counter({ name: 'gateway_readings_stored_total', help: 'Journal entries confirmed by the telemetry store', registers }),
    storeWriteSeconds: new Histogram({
      name: 'gateway_store_write_seconds',
      help: 'Time of one batch write to the telemetry store',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers
    }),
    readingsQuarantined: new Counter({
      name: 'gateway_readings_quarantined_total', help: 'Journal entries the store refused for good, kept in the journal quarantine', registers
    }),
    storeErrors: new Counter({ name: 'gateway_store_errors_total', help: 'Failed batch writes to the telemetry store', registers }),
    journalDepth: new Gauge({
      name: 'gateway_journal_depth', help: 'Readings waiting in the journal for the store', registers,
      collect () { this.set(sources.journalDepth()) }
    }),
    journalBytes: new Gauge({
      name: 'gateway_journal_bytes', help: 'Disk budget used by waiting readings', registers,
      collect () { this.set(sources.journalBytes()) }
    }),
    connectedDevices: new Gauge({
      name: 'gateway_connected_devices', help: 'Devices with an open MQTT connection', registers,
      collect () { this.set(sources.connectedDevices()) }
    }),
    diskFull: new Gauge({
      name: 'gateway_disk_full', help: '1 while the data disk is full: devices are not acknowledged, other writes wait', registers,
      collect () { this.set(sources.diskFull() ? 1 : 0) }
    }),
    cameraProbes: new Counter({
      name: 'gateway_camera_probes_total', help: 'Probes of RTSP/ONVIF cameras, by outcome (ok, auth_failed, unreachable, timeout, protocol_error)',
      labelNames: ['outcome'] as const, registers
    }),
    cameraProbeCycleSeconds: new Gauge({
      name: 'gateway_camera_probe_cycle_seconds', help: 'Duration of the last camera probe cycle (over the interval: cameras are probed late)', registers
    })
  }
  for (const reason of REJECT_REASONS) metrics.messagesRejected.inc({ reason }, 0)
  return metrics
}

export type Metrics = ReturnType<typeof createMetrics>
