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
  const jsm = await waitForJetStream(nc)
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

/** The cluster elects its meta leader a moment after the nodes start. */
async function waitForJetStream (nc: NatsConnection): Promise<JetStreamManager> {
  const deadline = Date.now() + 30_000
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

/** Settings that turn a gateway's uplink on towards this province as the given commune. */
export function uplinkSettings (province: TestProvince, code: string, servers = province.cluster.urls): Record<string, string | number | boolean> {
  return {
    uplinkUrls: servers.join(','),
    uplinkCommune: code,
    uplinkSeedFile: province.communes.get(code)!.seedFile,
    uplinkIgnoreClusterUpdates: true
  }
}
