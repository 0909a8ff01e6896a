// The gateway, assembled: state database and registry, journal and its drain into the
// telemetry store, presence, live state, commands, the broker and the HTTP API.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import type { Aedes } from 'aedes'
import { probeSummary } from '../edge/camera-probe/publish.js'
import { CameraProbeScheduler } from '../edge/camera-probe/schedule.js'
import { commandPublisher, createBroker } from './broker/broker.js'
import { listen, start, type Listeners } from './broker/listeners.js'
import { CommandDispatcher } from './commands/dispatcher.js'
import type { Config } from './config/settings.js'
import { openDatabase, type Db } from './db/database.js'
import { STATE_MIGRATIONS } from './db/state-schema.js'
import { EventBus } from './events/bus.js'
import type { GatewayEvents } from './events/events.js'
import { createHttpApp } from './http/server.js'
import { Ingest } from './ingest/ingest.js'
import { JournalDrain } from './journal/drain.js'
import { Journal } from './journal/journal.js'
import { LiveState } from './live/live-state.js'
import type { Logger } from './log.js'
import { createMetrics, type Metrics } from './metrics/metrics.js'
import { Presence } from './presence/presence.js'
import { CameraEndpoints } from './registry/camera-endpoints.js'
import { Registry } from './registry/registry.js'
import { SealedBox } from './registry/sealed-box.js'
import { InfluxTelemetryStore } from './store/influx-store.js'
import { SqliteTelemetryStore } from './store/sqlite-store.js'
import type { TelemetryStore } from './store/telemetry-store.js'

const MAINTENANCE_MS = 10 * 60_000
const DAY_MS = 86_400_000

export interface Gateway {
  readonly config: Config
  readonly adminToken: string
  readonly registry: Registry
  readonly cameraEndpoints: CameraEndpoints
  readonly cameraProbes: CameraProbeScheduler
  readonly presence: Presence
  readonly live: LiveState
  readonly commands: CommandDispatcher
  readonly bus: EventBus<GatewayEvents>
  readonly store: TelemetryStore
  readonly journal: Journal
  readonly drain: JournalDrain
  readonly metrics: Metrics
  readonly broker: Aedes
  readonly mqtt: Listeners
  readonly http: AddressInfo
  stop (): Promise<void>
}

export function createStore (config: Config): TelemetryStore {
  const retention = { rawRetentionMs: config.rawRetentionDays * DAY_MS, rollupRetentionMs: config.rollupRetentionDays * DAY_MS }
  if (!config.influxUrl) return new SqliteTelemetryStore(join(config.dataDir, 'telemetry.db'), retention)
  return new InfluxTelemetryStore({
    url: config.influxUrl,
    database: config.influxDatabase,
    username: config.influxUsername,
    password: config.influxPassword,
    manageSchema: config.influxManageSchema
  }, retention)
}

/** The configured admin token, or the one kept in the data folder (made on first start). */
export function adminTokenFor (config: Config): string {
  if (config.adminToken) return config.adminToken
  const file = join(config.dataDir, 'admin-token')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const token = randomBytes(24).toString('base64url')
  writeFileSync(file, token + '\n', { mode: 0o600 })
  return token
}

export function openState (config: Config): Db {
  mkdirSync(resolve(config.dataDir), { recursive: true })
  return openDatabase(join(config.dataDir, 'state.db'), { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
}

export async function startGateway (config: Config, log: Logger): Promise<Gateway> {
  const db = openState(config)
  const adminToken = adminTokenFor(config)
  const bus = new EventBus<GatewayEvents>(log.child({ module: 'bus' }))
  const registry = new Registry(db, config.commune)
  registry.onChange((change) => bus.emit('registry', change))
  const cameraEndpoints = new CameraEndpoints(db, registry, SealedBox.forDataDir(config.dataDir))

  const presence = new Presence(db, registry, bus, {
    debounceMs: config.presenceDebounceS * 1000,
    heartbeatMs: {
      speaker: config.heartbeatSpeakerS * 1000,
      camera: config.heartbeatCameraS * 1000,
      water_sensor: config.heartbeatWaterSensorS * 1000
    }
  })
  presence.start()

  const journal = new Journal(join(config.dataDir, 'journal.db'), {
    budgetBytes: config.journalMaxMb * 1024 * 1024, commitMs: config.journalCommitMs
  })
  if (journal.depth > 0) log.info({ depth: journal.depth }, 'journal holds readings from before the restart; draining them')
  let broker: Aedes | null = null
  const metrics = createMetrics({
    journalDepth: () => journal.depth,
    journalBytes: () => journal.usedBytes,
    connectedDevices: () => broker?.connectedClients ?? 0
  })

  const store = createStore(config)
  await store.open()
  const drain = new JournalDrain(journal, store, log.child({ module: 'drain' }), { batch: config.drainBatch }, {
    stored: (points, seconds) => { metrics.readingsStored.inc(points.length); metrics.storeWriteSeconds.observe(seconds) },
    failed: () => metrics.storeErrors.inc(),
    quarantined: (points) => metrics.readingsQuarantined.inc(points.length)
  })
  drain.start()

  const live = new LiveState()
  store.latest().then((latest) => live.hydrate(latest), (err: unknown) => log.warn({ err }, 'latest values not loaded from the store; they fill in as devices report'))
  bus.on('reading', (reading) => live.apply(reading))

  // Ingest needs the dispatcher and the broker needs ingest: the dispatcher gets the broker's
  // publish once the broker exists.
  let publish: ReturnType<typeof commandPublisher> = () => Promise.reject(new Error('broker not started'))
  const commands = new CommandDispatcher(db, registry, bus, (topic, request) => publish(topic, request),
    (id) => presence.get(id).online, log.child({ module: 'commands' }), config.commandTtlS * 1000)
  commands.start()

  const ingest = new Ingest({
    registry, journal, presence, commands, bus, metrics,
    log: log.child({ module: 'ingest' }),
    clock: { futureMs: config.clockFutureToleranceS * 1000, pastMs: config.clockPastToleranceS * 1000 }
  })
  // Cameras that speak RTSP/ONVIF, not MQTT: probed, and their results go through ingest
  // exactly as a device's own messages would (edge/camera-probe).
  const cameraProbes = new CameraProbeScheduler({
    endpoints: cameraEndpoints,
    submit: (deviceId, channel, body) => ingest.submit(deviceId, channel, body),
    isOnline: (deviceId) => presence.get(deviceId).online,
    log: log.child({ module: 'camera-probe' }),
    observe: { probed: (outcome) => metrics.cameraProbes.inc({ outcome }), cycle: (seconds) => metrics.cameraProbeCycleSeconds.set(seconds) }
  }, { intervalMs: config.cameraProbeIntervalS * 1000, concurrency: config.cameraProbeConcurrency, timeoutMs: config.cameraProbeTimeoutS * 1000 })

  broker = await createBroker({ registry, ingest, presence, log: log.child({ module: 'broker' }) })
  publish = commandPublisher(broker)
  const mqtt = await listen(broker, {
    host: config.mqttHost,
    port: config.mqttPort,
    wsPort: config.mqttWsPort,
    tls: config.tlsCert && config.tlsKey ? { port: config.mqttTlsPort, certFile: config.tlsCert, keyFile: config.tlsKey } : null,
    maxPacketBytes: config.maxPacketBytes,
    onOversize: () => metrics.messagesRejected.inc({ reason: 'too_large' })
  }, log.child({ module: 'mqtt' }))

  const app = createHttpApp({
    cameraEndpoints,
    lastProbe: (deviceId) => { const report = cameraProbes.lastReport(deviceId); return report && probeSummary(report) },
    registry, presence, live, store, commands, journal, drain, metrics, adminToken,
    log: log.child({ module: 'http' }),
    journalWarnFraction: config.journalWarnPct / 100,
    broker: () => ({ listening: !broker.closed, connectedDevices: broker.connectedClients })
  })
  const server = createServer(app)
  const http = await start(server, config.httpHost, config.httpPort)
  log.info({ port: http.port, store: store.name }, 'HTTP API listening')
  cameraProbes.start()

  const maintenance = setInterval(() => { void maintain(store, log) }, MAINTENANCE_MS)
  maintenance.unref()
  const journalWatch = setInterval(() => {
    if (journal.usedFraction >= config.journalWarnPct / 100) {
      log.warn({ usedPct: Math.round(journal.usedFraction * 100), depth: journal.depth }, 'journal nearly full: the telemetry store is not taking readings')
    }
  }, 60_000)
  journalWatch.unref()

  const activeBroker = broker
  return {
    config, adminToken, registry, cameraEndpoints, cameraProbes, presence, live, commands, bus, store, journal, drain, metrics, broker: activeBroker, mqtt, http,
    async stop () {
      clearInterval(maintenance)
      clearInterval(journalWatch)
      await cameraProbes.stop()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await mqtt.close()
      await new Promise<void>((resolve) => activeBroker.close(() => resolve()))
      commands.stop()
      presence.stop()
      await drain.stop()
      journal.close()
      await store.close()
      db.close()
    }
  }
}

async function maintain (store: TelemetryStore, log: Logger): Promise<void> {
  try {
    const now = Date.now()
    await store.rollup(now)
    await store.applyRetention(now)
  } catch (err) {
    log.warn({ err }, 'rollup or retention failed; retried at the next round')
  }
}
