// The uplink's public face for the gateway's composition root: built from the settings when
// they name a province, null otherwise (the gateway then works exactly as without it).
import { readFileSync, statSync } from 'node:fs'
import { Gauge, type Registry } from 'prom-client'
import type { Config } from '../../gateway/config/settings.js'
import type { Db } from '../../gateway/db/database.js'
import type { EventBus } from '../../gateway/events/bus.js'
import type { GatewayEvents } from '../../gateway/events/events.js'
import type { Logger } from '../../gateway/log.js'
import { LANES } from './lanes.js'
import { NatsTransport } from './nats-transport.js'
import { Uplink, type DescribeDevice } from './uplink.js'

export { Uplink, type UplinkHealth } from './uplink.js'

const VERSION = '0.1.0'

export function createUplink (config: Config, stateDb: Db, bus: EventBus<GatewayEvents>, log: Logger, describe?: DescribeDevice): Uplink | null {
  if (!config.uplinkUrls || !config.uplinkCommune || !config.uplinkSeedFile) return null
  const seed = readSeed(config.uplinkSeedFile, log)
  const transport = new NatsTransport({
    servers: config.uplinkUrls.split(','),
    commune: config.uplinkCommune,
    seed,
    ackTimeoutMs: config.uplinkAckTimeoutS * 1000,
    ignoreClusterUpdates: config.uplinkIgnoreClusterUpdates
  }, log)
  return new Uplink({
    commune: config.uplinkCommune,
    budgetBytes: config.uplinkBudgetMb * 1024 * 1024,
    readingsBytesPerS: config.uplinkReadingsKbps * 1024,
    replayWindowMs: config.uplinkReplayHours * 3_600_000,
    heartbeatMs: config.uplinkHeartbeatS * 1000,
    alarmWaitWarnMs: config.uplinkAlarmWaitS * 1000,
    version: VERSION
  }, stateDb, bus, transport, log, describe)
}

function readSeed (file: string, log: Logger): string {
  let seed: string
  try {
    seed = readFileSync(file, 'utf8').trim()
  } catch (err) {
    throw new Error(`GATEWAY_UPLINK_SEED_FILE ${file} cannot be read: ${(err as Error).message}`, { cause: err })
  }
  if (!/^SU[A-Z2-7]{50,}$/.test(seed)) throw new Error(`GATEWAY_UPLINK_SEED_FILE ${file} does not hold a user nkey seed (SU...)`)
  if ((statSync(file).mode & 0o077) !== 0) log.warn({ file }, 'the uplink seed file is readable by others than its owner: chmod 600 it')
  return seed
}

/** Progress, not "connected": per lane what waits and for how long, what went, what was dropped. */
export function registerUplinkMetrics (registry: Registry, uplink: Uplink): void {
  const registers = [registry]
  const labelNames = ['lane'] as const
  // Collected in registration order: this first gauge reads the health once for the ones below.
  new Gauge({
    name: 'gateway_uplink_pending_rows', help: 'Outbox rows not yet acknowledged by the province', labelNames, registers,
    collect () {
      const h = uplink.health()
      connected.set(h.connected ? 1 : 0)
      for (const lane of LANES) {
        const l = h.lanes[lane]
        this.set({ lane }, l.pending)
        oldest.set({ lane }, l.oldestAgeS ?? 0)
        sentRows.set({ lane }, l.sentRows)
        sentBytes.set({ lane }, l.sentBytes)
        dropped.set({ lane }, l.droppedRows)
      }
    }
  })
  const connected = new Gauge({ name: 'gateway_uplink_connected', help: '1 while connected to the province', registers })
  const oldest = new Gauge({ name: 'gateway_uplink_oldest_pending_seconds', help: 'Age of the oldest unacknowledged row (0: none waits)', labelNames, registers })
  const sentRows = new Gauge({ name: 'gateway_uplink_sent_rows', help: 'Rows acknowledged by the province since the outbox was made', labelNames, registers })
  const sentBytes = new Gauge({ name: 'gateway_uplink_sent_bytes', help: 'Bytes of rows acknowledged by the province', labelNames, registers })
  const dropped = new Gauge({ name: 'gateway_uplink_dropped_rows', help: 'Rows dropped over the outbox budget (readings only)', labelNames, registers })
  new Gauge({ name: 'gateway_uplink_outbox_bytes', help: 'Disk the outbox occupies (waiting rows and the replay window)', registers, collect () { this.set(uplink.health().outboxBytes) } })
}
