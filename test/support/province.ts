// A province for tests: a real 3-node nats-server cluster with the province's authorization
// (a service user and one nkey user per commune), its streams made, and each commune's seed in
// a 0600 file, ready to be given to a gateway.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, nkeyAuthenticator, type JetStreamManager, type NatsConnection } from 'nats'
import { startNatsCluster, type NatsCluster } from '../../province/dev/nats-cluster.js'
import { authConfig, newUserKey, type NewKey } from '../../province/identity/auth.js'
import { ensureCommandConsumer, ensureStreams } from '../../province/nats/streams.js'
import { startPostgres, type LocalPostgres } from '../../province/dev/postgres.js'
import type { RuleSettings } from '../../province/rules/rules.js'
import { jetStreamReady, startProvince, type Province } from '../../province/service.js'
import type { InfluxWriter } from '../../province/tsdb/influx.js'
import { createLogger } from '../../gateway/log.js'

export interface TestProvince {
  cluster: NatsCluster
  /** The province's own connection (all subjects). */
  nc: NatsConnection
  jsm: JetStreamManager
  serviceSeed: string
  /** Per commune code: its key and the file holding its seed. */
  communes: Map<string, NewKey & { seedFile: string }>
  /** A connection as the given commune's box, for tests of what it may do. */
  connectAs (code: string, servers?: string[]): Promise<NatsConnection>
  stop (): Promise<void>
}

export async function startTestProvince (codes: string[], options: { replicas?: number } = {}): Promise<TestProvince> {
  const dir = mkdtempSync(join(tmpdir(), 'province-keys-'))
  const service = newUserKey()
  const communes = new Map<string, NewKey & { seedFile: string }>()
  for (const code of codes) {
    const key = newUserKey()
    const seedFile = join(dir, `${code}.seed`)
    writeFileSync(seedFile, key.seed + '\n', { mode: 0o600 })
    chmodSync(seedFile, 0o600)
    communes.set(code, { ...key, seedFile })
  }
  const auth = authConfig(service.publicKey, [...communes].map(([code, k]) => ({ code, publicKey: k.publicKey })))
  const cluster = await startNatsCluster(auth)
  const nc = await connect({ servers: cluster.urls, authenticator: nkeyAuthenticator(new TextEncoder().encode(service.seed)), maxReconnectAttempts: -1, reconnectTimeWait: 250 })
  const jsm = await jetStreamReady(nc)
  await ensureStreams(jsm, { replicas: options.replicas ?? 3, readingsDays: 3 })
  for (const code of codes) await ensureCommandConsumer(jsm, code)
  return {
    cluster, nc, jsm, serviceSeed: service.seed, communes,
    connectAs (code, servers = cluster.urls) {
      const key = communes.get(code)
      if (!key) throw new Error(`no commune ${code}`)
      return connect({ servers, authenticator: nkeyAuthenticator(new TextEncoder().encode(key.seed)), inboxPrefix: `_INBOX_${code}`, maxReconnectAttempts: 0 })
    },
    async stop () {
      await nc.close().catch(() => {})
      await cluster.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Settings that turn a gateway's uplink on towards this province as the given commune. */
export function uplinkSettings (province: TestProvince, code: string, servers = province.cluster.urls): Record<string, string | number | boolean> {
  return {
    uplinkUrls: servers.join(','),
    uplinkCommune: code,
    uplinkSeedFile: province.communes.get(code)!.seedFile,
    uplinkIgnoreClusterUpdates: true
  }
}

export interface ProvinceStack extends TestProvince {
  pg: LocalPostgres
  service: Province
  influx: InfluxWriter
  /** Readings of one device in the provincial store: their times, in order. */
  storedTimes (commune: string, deviceId: string): Promise<number[]>
  sql<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>
}

/** The whole province: cluster, PostgreSQL, the workers and rules in this process, readings in the test run's influxd. */
export async function startProvinceStack (codes: string[], influxUrl: string, rules: Partial<RuleSettings & { sweepMs: number; escalateMs: number }> = {}): Promise<ProvinceStack> {
  const [province, pgServer] = await Promise.all([startTestProvince(codes), startPostgres()])
  const database = `province_${Math.random().toString(36).slice(2, 8)}`
  const service = await startProvince({
    natsUrls: province.cluster.urls, serviceSeed: province.serviceSeed, pgUrl: pgServer.url, influxUrl, influxDatabase: database,
    replicas: 3, readingsDays: 3,
    rules: { silentAfterMs: 180_000, darkMinCount: 3, darkFraction: 0.3, basinMinStations: 2, sweepMs: 1000, ...rules }
  }, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'))
  for (const [code, key] of province.communes) {
    await service.pool.query('INSERT INTO communes (code, name, public_key, basin) VALUES ($1, $2, $3, $4)', [code, `Xã ${code}`, key.publicKey, 'song-huong'])
  }
  return {
    ...province,
    pg: pgServer,
    service,
    influx: service.influx,
    async storedTimes (commune, deviceId) {
      const res = await service.influx.query(`SELECT levelM FROM water_sensor WHERE commune = '${commune}' AND device = '${deviceId}' ORDER BY time`)
      return (res.results[0]?.series?.[0]?.values ?? []).map((v) => v[0] as number)
    },
    async sql<R extends Record<string, unknown>> (text: string, values: unknown[] = []): Promise<R[]> {
      return (await service.pool.query<R>(text, values)).rows
    },
    async stop () {
      await service.stop()
      await province.stop()
      await pgServer.stop()
    }
  }
}
