// The telemetry store the settings ask for (InfluxDB, or the embedded SQLite file when none
// is configured), and its upkeep every few minutes: hourly rollups and retention.
import { join } from 'node:path'
import type { Config } from '../config/settings.js'
import type { Logger } from '../log.js'
import { InfluxTelemetryStore } from './influx-store.js'
import type { TelemetryStore } from './telemetry-store.js'
import { WorkerTelemetryStore } from './worker-store.js'

const DAY_MS = 86_400_000

export function createStore (config: Config): TelemetryStore {
  const retention = { rawRetentionMs: config.rawRetentionDays * DAY_MS, rollupRetentionMs: config.rollupRetentionDays * DAY_MS }
  if (!config.influxUrl) return new WorkerTelemetryStore(join(config.dataDir, 'telemetry.db'), retention)
  return new InfluxTelemetryStore({
    url: config.influxUrl,
    database: config.influxDatabase,
    username: config.influxUsername,
    password: config.influxPassword,
    manageSchema: config.influxManageSchema
  }, retention)
}

/** Rollups and retention; a failure is retried at the next round. */
export async function maintain (store: TelemetryStore, log: Logger): Promise<void> {
  try {
    const now = Date.now()
    await store.rollup(now)
    await store.applyRetention(now)
  } catch (err) {
    log.warn({ err }, 'rollup or retention failed; retried at the next round')
  }
}
