// The province's service, assembled: its connection to the cluster (the service user),
// streams and consumers, PostgreSQL schema, the workers and the province-wide rules. Workers
// are stateless: run this in as many processes as wanted, they share the durable consumers.
import { connect, nkeyAuthenticator, type JetStreamManager, type NatsConnection } from 'nats'
import pg from 'pg'
import type { Logger } from '../gateway/log.js'
import { ensureCommandConsumer, ensureStreams } from './nats/streams.js'
import { serveAudio } from './bulletins/audio.js'
import { ProvinceBulletins } from './bulletins/compose.js'
import { ProvincePictures } from './pictures/requests.js'
import { FloodWarnings, pushBasinMap, type UpAlarm } from './bulletins/flood.js'
import { RuleSweep, type RuleSettings } from './rules/sweep.js'
import { migrate } from './store/schema.js'
import { InfluxWriter } from './tsdb/influx.js'
import { startEventsWorker } from './workers/events.js'
import type { PullWorker } from './workers/pull.js'
import { startReadingsWorker } from './workers/readings.js'

export interface ProvinceSettings {
  natsUrls: string[]
  serviceSeed: string
  pgUrl: string
  influxUrl: string
  influxDatabase: string
  /** Stream replicas: 3 in production and in tests (R3). */
  replicas: number
  readingsDays: number
  rules: RuleSettings & { sweepMs: number; escalateMs?: number }
  /** Worker replicas in this process (each its own pull loop on the shared consumer). */
  workers?: number
  /** Who issues the province's bulletins, as the loudspeakers say it. */
  issuer?: string
  /** Downstream clusters that come back within this time still play a cross-commune flood warning. */
  warningTtlMin?: number
  /** Camera pictures the province asked for are kept this long (PROVINCE_PICTURE_RETENTION_DAYS; 30 by default). */
  pictureRetentionDays?: number
}

export const DEFAULT_ISSUER = 'Ủy ban nhân dân tỉnh'

export interface Province {
  nc: NatsConnection
  jsm: JetStreamManager
  pool: pg.Pool
  influx: InfluxWriter
  rules: RuleSweep
  bulletins: ProvinceBulletins
  pictures: ProvincePictures
  readingsStored (): number
  stop (): Promise<void>
}

export async function connectService (natsUrls: string[], seed: string): Promise<NatsConnection> {
  return await connect({
    servers: natsUrls, name: 'province-service', authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
    maxReconnectAttempts: -1, reconnectTimeWait: 500
  })
}

/** The cluster elects its JetStream meta leader a moment after the nodes start. */
export async function jetStreamReady (nc: NatsConnection, timeoutMs = 30_000): Promise<JetStreamManager> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const jsm = await nc.jetstreamManager()
      await jsm.getAccountInfo()
      return jsm
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

export async function startProvince (settings: ProvinceSettings, log: Logger): Promise<Province> {
  const nc = await connectService(settings.natsUrls, settings.serviceSeed)
  const jsm = await jetStreamReady(nc)
  await ensureStreams(jsm, { replicas: settings.replicas, readingsDays: settings.readingsDays })
  const pool = new pg.Pool({ connectionString: settings.pgUrl, max: 8 })
  pool.on('error', (err) => { log.warn({ err }, 'PostgreSQL connection lost; reconnects on next use') })
  await migrate(pool)
  // A commune added while the workers run gets its command consumer within a minute.
  const known = new Set<string>()
  const ensureConsumers = async (): Promise<void> => {
    for (const { code } of (await pool.query<{ code: string }>('SELECT code FROM communes')).rows) {
      if (known.has(code)) continue
      await ensureCommandConsumer(jsm, code)
      known.add(code)
    }
  }
  await ensureConsumers()
  const consumersTimer = setInterval(() => { ensureConsumers().catch((err: unknown) => { log.warn({ err }, 'command consumers not made; retried') }) }, 60_000)
  consumersTimer.unref()
  const influx = new InfluxWriter(settings.influxUrl, settings.influxDatabase)
  await influx.ensureDatabase()
  const js = nc.jetstream()
  const bulletins = new ProvinceBulletins(pool, js, { issuer: settings.issuer ?? DEFAULT_ISSUER }, log.child({ module: 'bulletins' }))
  const flood = new FloodWarnings(pool, bulletins, { issuer: settings.issuer ?? DEFAULT_ISSUER, ttlMin: settings.warningTtlMin ?? 30 }, log.child({ module: 'flood-warnings' }))
  const onAlarms = async (alarms: UpAlarm[]): Promise<void> => {
    for (const a of alarms) await flood.onAlarm(a).catch((err: unknown) => { log.error({ err, commune: a.commune }, 'cross-commune flood warning NOT sent: the villages downstream are not warned by the province') })
  }
  let stored = 0
  const workers: PullWorker[] = []
  for (let i = 0; i < (settings.workers ?? 1); i++) {
    workers.push(startReadingsWorker(js, influx, log.child({ worker: `readings-${i}` }), (n) => { stored += n }))
    workers.push(startEventsWorker(js, pool, log.child({ worker: `events-${i}` }), onAlarms))
  }
  const rules = new RuleSweep(pool, settings.rules, log.child({ module: 'rules' }))
  rules.start()
  const audio = serveAudio(nc, pool, log.child({ module: 'bulletin-audio' }))
  const pictures = new ProvincePictures(pool, js, log.child({ module: 'pictures' }))
  const pictureAnswers = pictures.serve(nc)
  const prunePictures = (): void => { pictures.prune((settings.pictureRetentionDays ?? 30) * 86_400_000).catch((err: unknown) => { log.warn({ err }, 'old camera pictures not pruned; tried again in an hour') }) }
  prunePictures()
  const pruneTimer = setInterval(prunePictures, 3_600_000)
  pruneTimer.unref()
  // Each box gets its part of the basin map at every start too (the same content is suppressed as a duplicate).
  pushBasinMap(pool, js).catch((err: unknown) => { log.warn({ err }, 'basin map not pushed to the boxes; pushed at its next change') })
  return {
    nc, jsm, pool, influx, rules, bulletins, pictures,
    readingsStored: () => stored,
    async stop () {
      clearInterval(consumersTimer)
      clearInterval(pruneTimer)
      audio.unsubscribe()
      pictureAnswers.unsubscribe()
      rules.stop()
      await Promise.all(workers.map((w) => w.stop()))
      await nc.close().catch(() => {})
      await pool.end()
    }
  }
}
