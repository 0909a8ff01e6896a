// The gateway, assembled: state database and registry, journal and its drain into the
// telemetry store, presence, live state, commands, the broker, people and their sessions,
// the HTTP API with the dashboard, and the live socket.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Aedes } from 'aedes'
import { AlarmEngine } from './alarms/engine.js'
import { AlarmStore } from './alarms/store.js'
import { ThresholdStore } from './alarms/thresholds.js'
import { startBroadcasts, type BroadcastFeature } from './broadcasts/index.js'
import { startProvincialBulletins } from './broadcasts/provincial.js'
import { channelsFrom } from './notify/channels.js'
import { startEventsOut } from './notify/events-out.js'
import { startNotifier } from './notify/notifier.js'
import { Outbox, OUTBOX_DEFAULTS } from './notify/outbox.js'
import { PrefsStore } from './notify/prefs.js'
import { probeSummary } from '../edge/camera-probe/publish.js'
import { CameraProbeScheduler } from '../edge/camera-probe/schedule.js'
import { createUplink, registerUplinkMetrics, type Uplink } from '../edge/uplink/index.js'
import { commandPublisher, createBroker } from './broker/broker.js'
import { startMirror } from './broker/mirror.js'
import { listen, start, type Listeners } from './broker/listeners.js'
import { CommandDispatcher } from './commands/dispatcher.js'
import { heartbeatKey, type Config } from './config/settings.js'
import { behaviourOf } from './kinds/behaviour/index.js'
import { perKind } from './kinds/index.js'
import { lockDataFolder } from './db/data-lock.js'
import { openDatabase, type Db } from './db/database.js'
import { DiskWatch } from './disk-full.js'
import { securePrivateFolder } from './db/private-files.js'
import { STATE_MIGRATIONS } from './db/state-schema.js'
import { EventBus } from './events/bus.js'
import type { GatewayEvents } from './events/events.js'
import type { Express } from 'express'
import type { AnswerMismatch } from './http/describe.js'
import { createHttpApp, type RouteInfo } from './http/server.js'
import { Ingest } from './ingest/ingest.js'
import { JournalDrain } from './journal/drain.js'
import { Journal } from './journal/journal.js'
import { DeviceViews } from './live/device-view.js'
import { LiveState } from './live/live-state.js'
import { LevelTrends } from './live/trend.js'
import type { Logger } from './log.js'
import { createMetrics, type Metrics } from './metrics/metrics.js'
import { Presence } from './presence/presence.js'
import { LiveFeed } from './realtime/live-feed.js'
import { attachLiveServer, closeSessions, type LiveServer } from './realtime/socket-server.js'
import { CameraEndpoints } from './registry/camera-endpoints.js'
import { PictureKeeper } from './pictures/keeper.js'
import { mqttSnapshots } from './pictures/mqtt-snapshot.js'
import { SnapshotAsker } from './pictures/ask-snapshots.js'
import { SnapshotStore } from './pictures/snapshots.js'
import { startProvincePictures } from './pictures/province-request.js'
import { Registry } from './registry/registry.js'
import { SealedBox } from './registry/sealed-box.js'
import { ShellChanges } from './registry/shell-changes.js'
import { forgetRemovedDevices, type DeviceMemory } from './registry/forgetting.js'
import { createStore, maintain } from './store/create.js'
import { adminTokenFor } from './users/admin-token.js'
import { hydrateTrends } from './live/trend-hydrate.js'
import { restoreMemories } from './alarms/restore-memories.js'
import type { TelemetryStore } from './store/telemetry-store.js'
import { AuditLog } from './users/audit.js'
import { ensureFirstAdmin } from './users/first-admin.js'
import { ApiTokens } from './users/api-tokens.js'
import { Sessions } from './users/sessions.js'
import { Users } from './users/users.js'

const MAINTENANCE_MS = 10 * 60_000
const DAY_MS = 86_400_000
const LOGIN_WINDOW_MS = 15 * 60_000
/** Dashboard deltas per channel: at most four a second; the overview once a second. */
const LIVE_DELTA_MS = 250
const LIVE_OVERVIEW_MS = 1000
const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/dist', import.meta.url))

export { createStore } from './store/create.js'
export { adminTokenFor } from './users/admin-token.js'

export interface Gateway {
  readonly config: Config
  readonly adminToken: string
  readonly registry: Registry
  readonly users: Users
  readonly sessions: Sessions
  readonly tokens: ApiTokens
  readonly audit: AuditLog
  readonly views: DeviceViews
  readonly alarms: AlarmEngine
  readonly alarmStore: AlarmStore
  readonly outbox: Outbox
  readonly thresholds: ThresholdStore
  readonly prefs: PrefsStore
  readonly broadcasts: BroadcastFeature
  readonly io: LiveServer
  /** Every HTTP route with who may call it and its description. */
  readonly routes: readonly RouteInfo[]
  /** The express app (tests walk what it really has registered). */
  readonly httpApp: Express
  readonly cameraEndpoints: CameraEndpoints
  readonly cameraProbes: CameraProbeScheduler
  readonly snapshots: SnapshotStore
  readonly snapshotAsker: SnapshotAsker
  readonly presence: Presence
  readonly live: LiveState
  /** Every part that keeps state per device id, by name: each forgets a removed device (registry/forgetting.ts). */
  readonly deviceMemories: Readonly<Record<string, DeviceMemory>>
  readonly commands: CommandDispatcher
  readonly bus: EventBus<GatewayEvents>
  readonly store: TelemetryStore
  readonly journal: Journal
  readonly drain: JournalDrain
  readonly metrics: Metrics
  /** The uplink to the province; null when none is configured. */
  readonly uplink: Uplink | null
  readonly broker: Aedes
  readonly mqtt: Listeners
  readonly http: AddressInfo
  stop (): Promise<void>
}

export function openState (config: Config): Db {
  securePrivateFolder(resolve(config.dataDir))
  return openDatabase(join(config.dataDir, 'state.db'), { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
}

/** What tests may replace: the clock of sessions and of camera probes, how often live sockets are checked for expiry. */
export interface GatewayOptions {
  now?: () => number
  /** The clock camera probes and kept snapshots are dated by (tests of day and night pictures, and of the retention). */
  cameraClock?: () => number
  liveSweepMs?: number
  /** Tests: every JSON answer is checked against the route's documented schema, and mismatches reported here. */
  checkAnswers?: (mismatch: AnswerMismatch) => void
}

/** Starts every part, holding the data folder for this process until stop (db/data-lock.ts). */
export async function startGateway (config: Config, log: Logger, options: GatewayOptions = {}): Promise<Gateway> {
  const release = lockDataFolder(config.dataDir)
  try {
    const gateway = await startParts(config, log, options)
    const stop = gateway.stop.bind(gateway)
    return Object.assign(gateway, { stop: async () => { try { await stop() } finally { release() } } })
  } catch (err) {
    release()
    throw err
  }
}

async function startParts (config: Config, log: Logger, options: GatewayOptions): Promise<Gateway> {
  const db = openState(config)
  const disk = new DiskWatch(resolve(config.dataDir), log.child({ module: 'disk' }))
  const adminToken = adminTokenFor(config)
  const bus = new EventBus<GatewayEvents>(log.child({ module: 'bus' }))
  const registry = new Registry(db, config.commune)
  registry.onChange((change) => bus.emit('registry', change))
  const users = new Users(db)
  const tokens = new ApiTokens(db, options.now)
  const sessions = new Sessions(db, { idleMs: config.sessionIdleMin * 60_000, absoluteMs: config.sessionMaxDays * DAY_MS }, options.now)
  const audit = new AuditLog(db)
  await ensureFirstAdmin(users, audit, log)
  const cameraEndpoints = new CameraEndpoints(db, registry, SealedBox.forDataDir(config.dataDir))

  const presence = new Presence(db, registry, bus, {
    debounceMs: config.presenceDebounceS * 1000,
    heartbeatMs: perKind((kind) => config[heartbeatKey(kind)] * 1000),
    disk,
    log: log.child({ module: 'presence' })
  })
  presence.start()

  // The uplink's outbox rows join the journal's commits and the state changes' turns (edge/uplink).
  const uplink = createUplink(config, db, bus, log.child({ module: 'uplink' }), (id) => {
    const d = registry.get(id)
    return d ? { kind: d.kind, name: d.name, village: d.village } : null
  })
  const journal = await Journal.open(join(config.dataDir, 'journal.db'), {
    budgetBytes: config.journalMaxMb * 1024 * 1024, commitMs: config.journalCommitMs, tap: uplink?.journalTap
  })
  if (journal.depth > 0) log.info({ depth: journal.depth }, 'journal holds readings from before the restart; draining them')
  let broker: Aedes | null = null
  const metrics = createMetrics({
    journalDepth: () => journal.depth,
    journalBytes: () => journal.usedBytes,
    connectedDevices: () => broker?.connectedClients ?? 0,
    diskFull: () => disk.full
  })
  if (uplink) {
    registerUplinkMetrics(metrics.registry, uplink)
    uplink.start(() => journal.depth)
  }

  const store = createStore(config)
  await store.open()
  const drain = new JournalDrain(journal, store, log.child({ module: 'drain' }), { batch: config.drainBatch }, {
    stored: (points, seconds) => { metrics.readingsStored.inc(points.length); metrics.storeWriteSeconds.observe(seconds) },
    failed: (err) => { metrics.storeErrors.inc(); disk.failed('drain', err) },
    quarantined: (points) => metrics.readingsQuarantined.inc(points.length)
  })
  drain.start()

  const live = new LiveState()
  store.latest().then((latest) => live.hydrate(latest), (err: unknown) => log.warn({ err }, 'latest values not loaded from the store; they fill in as devices report'))
  bus.on('reading', (reading) => live.apply(reading))
  const trends = new LevelTrends()
  bus.on('reading', (reading) => {
    const field = behaviourOf(reading.device.kind).trendField
    const value = field === null ? undefined : reading.fields[field]
    if (typeof value === 'number') trends.add(reading.device.id, reading.ts, value)
  })
  const thresholds = new ThresholdStore(db)
  const alarmStore = new AlarmStore(db)
  const alarms = new AlarmEngine({ store: alarmStore, thresholds, registry, presence, live, trends, bus, log: log.child({ module: 'alarms' }), disk, sweepMs: config.alarmSweepS * 1000 })
  // The outlook reads what the kind remembers of each device (the air's window): the engine keeps it.
  const views = new DeviceViews(registry, presence, live, trends, (device) => thresholds.for(device), (id) => alarms.peekMemory(id), options.now)
  alarms.start()
  if (uplink) uplink.onAlarmWait = (stalled, details) => { alarms.reportGateway({ type: 'uplink_stalled', active: stalled, details }) }
  const prefs = new PrefsStore(db)
  const outbox = new Outbox(db, channelsFrom(config), log.child({ module: 'notify' }), { ...OUTBOX_DEFAULTS, disk })
  outbox.start()
  const stopNotifier = startNotifier({ bus, outbox, users, prefs, registry, webhookUrl: config.webhookUrl ?? null })
  const stopEventsOut = startEventsOut({ bus, outbox, registry, webhookUrl: config.webhookUrl ?? null })
  hydrateTrends(registry, store, trends).catch((err: unknown) => log.warn({ err }, 'water-level trends not loaded from the store; they fill in within the hour'))
  restoreMemories(registry, store, alarms).catch((err: unknown) => log.warn({ err }, 'recent readings not restored from the store (air-quality index); they fill in as devices report'))

  // Ingest needs the dispatcher and the broker needs ingest: the dispatcher gets the broker's
  // publish once the broker exists.
  let publish: ReturnType<typeof commandPublisher> = () => Promise.reject(new Error('broker not started'))
  const commands = new CommandDispatcher(db, registry, bus, (topic, request) => publish(topic, request),
    (id) => presence.get(id).online, log.child({ module: 'commands' }), config.commandTtlS * 1000, disk)
  commands.start()
  const broadcasts = startBroadcasts(config, { db, registry, commands, alarms, bus, outbox, users, prefs, log: log.child({ module: 'broadcasts' }), disk })
  // Bulletins from the province (issue #19) come down the uplink's command consumer.
  const stopProvincial = uplink
    ? startProvincialBulletins({ ...broadcasts, db, registry, bus, uplink, log: log.child({ module: 'province-bulletins' }) })
    : () => {}

  // Cameras' snapshots: kept on this box only, within a budget, measured for picture faults
  // (issue #20); from the probe of RTSP/ONVIF cameras, or sent by an MQTT camera when asked.
  const snapshots = new SnapshotStore(join(config.dataDir, 'snapshots'), { budgetBytes: config.snapshotBudgetMb * 1024 * 1024, retentionDays: config.snapshotRetentionDays }, options.cameraClock)
  const pictures = new PictureKeeper({ store: snapshots, log: log.child({ module: 'pictures' }), diskFailed: (err) => disk.failed('snapshots', err) }, config.snapshotIntervalS * 1000)
  // The province may ask for one camera's latest picture, audited (the only way one leaves the box).
  if (uplink) startProvincePictures({ uplink, snapshots, registry, audit, log: log.child({ module: 'province-pictures' }) })
  uplink?.acceptCommands()
  const snapshotsSent = mqttSnapshots({ keeper: pictures, commands, maxBytes: config.snapshotMqttMaxKb * 1024, submit: (deviceId, channel, body) => ingest.submit(deviceId, channel, body) })
  const ingest: Ingest = new Ingest({
    registry, journal, presence, commands, bus, metrics, disk,
    log: log.child({ module: 'ingest' }),
    clock: { futureMs: config.clockFutureToleranceS * 1000, pastMs: config.clockPastToleranceS * 1000 },
    snapshot: snapshotsSent
  })
  // MQTT cameras are asked for theirs (the snapshot command); probed ones are the probe's.
  const snapshotAsker = new SnapshotAsker({
    registry, commands, isOnline: (id) => presence.get(id).online, isProbed: (id) => cameraEndpoints.view(id) !== null, log: log.child({ module: 'pictures' })
  }, config.snapshotIntervalS * 1000)
  // Cameras that speak RTSP/ONVIF, not MQTT: probed, and their results go through ingest
  // exactly as a device's own messages would (edge/camera-probe).
  const cameraProbes = new CameraProbeScheduler({
    endpoints: cameraEndpoints,
    pictures,
    submit: (deviceId, channel, body) => ingest.submit(deviceId, channel, body),
    isOnline: (deviceId) => presence.get(deviceId).online,
    log: log.child({ module: 'camera-probe' }),
    observe: { probed: (outcome) => metrics.cameraProbes.inc({ outcome }), cycle: (seconds) => metrics.cameraProbeCycleSeconds.set(seconds) }
  }, { intervalMs: config.cameraProbeIntervalS * 1000, concurrency: config.cameraProbeConcurrency, timeoutMs: config.cameraProbeTimeoutS * 1000, now: options.cameraClock })

  // Every part that keeps state per device forgets a removed one (registry/forgetting.ts).
  const deviceMemories = { presence, live, trends, alarms, cameraProbes, pictures, snapshots, snapshotAsker, snapshotsSent }
  const stopForgetting = forgetRemovedDevices(registry, deviceMemories, log.child({ module: 'registry' }))

  broker = await createBroker({
    registry, ingest, presence, log: log.child({ module: 'broker' }), onCommandSubscribe: (id) => { void commands.flush(id, { resendSent: true }) },
    tokens, onIntegrationLogin: (token, address) => audit.record({ actor: `token:${token.name}`, role: null, action: 'token.use', target: 'mqtt', details: { method: 'CONNECT' }, address })
  })
  const stopMirror = startMirror(bus, broker)
  publish = commandPublisher(broker)
  // The `device` CLI writes to state.db from another process: its changes are announced here.
  const shellChanges = new ShellChanges(db, registry)
  shellChanges.start()
  const mqtt = await listen(broker, {
    host: config.mqttHost,
    port: config.mqttPort,
    wsPort: config.mqttWsPort,
    tls: config.tlsCert && config.tlsKey ? { port: config.mqttTlsPort, certFile: config.tlsCert, keyFile: config.tlsKey } : null,
    maxPacketBytes: config.maxPacketBytes,
    onRefused: (refusal) => metrics.messagesRejected.inc({ reason: refusal.cause === 'oversize' ? 'too_large' : 'protocol_violation' })
  }, log.child({ module: 'mqtt' }))

  // The socket server needs the HTTP server, which needs the app, whose logout closes sockets:
  // the app is given a function that reaches the socket server, made just after it (never
  // called before: a logout needs the server listening). socket.io attaches after the app, so
  // it takes its own requests before the app sees them.
  const onSessionsEnded = (hashes: string[]) => { closeSessions(liveServer, hashes) }
  const { app, routes } = createHttpApp({
    cameraEndpoints,
    snapshots,
    lastProbe: (deviceId) => { const report = cameraProbes.lastReport(deviceId); return report && probeSummary(report) },
    registry, presence, views, store, commands, journal, drain, metrics, disk, adminToken, tokens, users, sessions, audit, onSessionsEnded,
    alarms: alarmStore, engine: alarms, thresholds, prefs, outbox,
    broadcasts: broadcasts.service, broadcastStore: broadcasts.store, audio: broadcasts.audio, groups: broadcasts.groups, liveSessions: broadcasts.live, relays: broadcasts.relays,
    log: log.child({ module: 'http' }),
    commune: config.commune,
    journalWarnFraction: config.journalWarnPct / 100,
    broker: () => ({ listening: !broker.closed, connectedDevices: broker.connectedClients }),
    ...(uplink ? { uplink: () => uplink.health() } : {}),
    dashboardDir: config.dashboardDir ?? DEFAULT_DASHBOARD_DIR,
    mapTiles: { dir: config.mapTilesDir ?? null, zoom: config.mapTilesZoom },
    trustProxy: config.trustProxy,
    sessionMaxMs: config.sessionMaxDays * DAY_MS,
    loginAttempts: { limit: config.loginAttempts, perAddress: config.loginAttemptsPerAddress, windowMs: LOGIN_WINDOW_MS }
  })
  if (options.checkAnswers) app.locals.checkAnswers = options.checkAnswers
  const server = createServer(app)
  const liveServer = attachLiveServer(server, () => feed, { users, sessions, adminToken }, log.child({ module: 'live' }), options.liveSweepMs)
  const feed = new LiveFeed(bus, registry, views, alarms, broadcasts.recent, {
    occupied: (room) => (liveServer.sockets.adapter.rooms.get(room)?.size ?? 0) > 0,
    sendDevices: (room, delta) => liveServer.to(room).emit('devices', delta),
    sendOverview: (room, overview) => liveServer.to(room).emit('overview', overview),
    sendAlarms: (room, delta) => liveServer.to(room).emit('alarms', delta),
    sendBroadcasts: (room, delta) => liveServer.to(room).emit('broadcasts', delta)
  }, { deltaMs: LIVE_DELTA_MS, overviewMs: LIVE_OVERVIEW_MS })
  feed.start()
  const http = await start(server, config.httpHost, config.httpPort)
  log.info({ port: http.port, store: store.name }, 'HTTP API listening')
  broadcasts.listening(http.port)
  cameraProbes.start()
  snapshotAsker.start()

  const maintenance = setInterval(() => {
    try {
      sessions.prune()
    } catch (err) {
      // A throw out of a timer ends the process; ended sessions are pruned at the next round.
      if (!disk.failed('sessions', err)) log.error({ err }, 'ended sessions not pruned; tried again at the next round')
    }
    try {
      // A camera that stopped sending has its pictures past the retention deleted too.
      snapshots.prune()
    } catch (err) {
      if (!disk.failed('snapshots', err)) log.error({ err }, 'old snapshots not pruned; tried again at the next round')
    }
    void maintain(store, log)
  }, MAINTENANCE_MS)
  maintenance.unref()
  const journalWatch = setInterval(() => {
    if (journal.usedFraction >= config.journalWarnPct / 100) {
      log.warn({ usedPct: Math.round(journal.usedFraction * 100), depth: journal.depth }, 'journal nearly full: the telemetry store is not taking readings')
    }
  }, 60_000)
  journalWatch.unref()

  const activeBroker = broker
  return {
    config, adminToken, registry, users, sessions, audit, views, alarms, alarmStore, outbox, thresholds, prefs, broadcasts, io: liveServer, routes, httpApp: app, tokens, cameraEndpoints, cameraProbes, snapshots, snapshotAsker,
    presence, live, commands, bus, store, journal, drain, metrics, uplink, broker: activeBroker, mqtt, http, deviceMemories,
    async stop () {
      shellChanges.stop()
      stopForgetting()
      clearInterval(maintenance)
      clearInterval(journalWatch)
      await cameraProbes.stop()
      snapshotAsker.stop()
      feed.stop()
      stopProvincial()
      await broadcasts.stop()
      alarms.stop()
      stopNotifier()
      stopEventsOut()
      stopMirror()
      await outbox.stop()
      // socket.io's close also closes the HTTP server it is attached to.
      await liveServer.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await mqtt.close()
      await new Promise<void>((resolve) => activeBroker.close(() => resolve()))
      commands.stop()
      presence.stop()
      disk.stop()
      await uplink?.stop()
      await drain.stop()
      await journal.close()
      await store.close()
      db.close()
    }
  }
}
