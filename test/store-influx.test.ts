import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { InfluxTelemetryStore } from '../gateway/store/influx-store.js'
import { HOUR_MS } from '../gateway/store/buckets.js'
import { startInfluxd, type Influxd } from './support/influxd.js'
import { NOW, level, storeContract } from './store-contract.js'

const url = inject('influxUrl')
let n = 0
const settings = (database = `contract_${process.pid}_${++n}`) => ({ url, database, manageSchema: true })

storeContract('InfluxDB 1.6.7', ({ retention, now }) => Promise.resolve(new InfluxTelemetryStore(settings(), retention, now)))

const DAY_MS = 24 * HOUR_MS
const retention = { rawRetentionMs: 30 * DAY_MS, rollupRetentionMs: 0 }

/** SHOW FIELD KEYS as { field: type }. */
async function fieldTypes (measurement: string, db: string): Promise<Record<string, unknown>> {
  return Object.fromEntries((await influxql(`SHOW FIELD KEYS FROM "raw"."${measurement}"`, db)).map((row) => [String(row[0]), row[1]]))
}

async function influxql (q: string, db: string): Promise<unknown[][]> {
  const res = await fetch(`${url}/query?db=${db}&q=${encodeURIComponent(q)}`)
  const body = await res.json() as { results: Array<{ series?: Array<{ values: unknown[][] }> }> }
  return body.results[0]?.series?.flatMap((s) => s.values) ?? []
}

test('InfluxDB: database, retention policies and explicit field types', async () => {
  const s = settings()
  const store = new InfluxTelemetryStore(s, retention, () => NOW)
  await store.open()
  await store.write([
    level('wl-a', NOW - 1000, 12),
    { measurement: 'camera', deviceId: 'cam-a', kind: 'camera', commune: 'Xã thử', village: 'Thôn Đông', ts: NOW - 1000, fields: { uptimeS: 3600, fps: 25, streamAlive: true } }
  ])
  const policies = await influxql('SHOW RETENTION POLICIES', s.database)
  expect(policies).toEqual(expect.arrayContaining([
    expect.arrayContaining(['raw', '720h0m0s']) as unknown,
    expect.arrayContaining(['rollup', '0s']) as unknown
  ]))
  expect(policies.find((p) => p[0] === 'raw')?.at(-1)).toBe(true) // raw is the default
  // A whole number stays an integer (uptimeS), a float field stays float even when 25 is sent.
  expect(await fieldTypes('camera', s.database)).toEqual({ uptimeS: 'integer', fps: 'float', streamAlive: 'boolean' })
  expect(await fieldTypes('water_sensor', s.database)).toEqual({ levelM: 'float' })
  await store.close()
})

let influxd: Influxd
beforeAll(async () => { influxd = await startInfluxd() }, 60_000)
afterAll(async () => { await influxd.destroy() })

test('InfluxDB: a write while the server is down rejects; after it returns, writes succeed', { timeout: 60_000 }, async () => {
  const store = new InfluxTelemetryStore({ url: influxd.url, database: 'down', manageSchema: true, requestTimeoutMs: 2000 }, retention, () => NOW)
  await store.open()
  await store.write([level('wl-a', NOW - 3000, 1)])
  await influxd.stop()
  await expect(store.write([level('wl-a', NOW - 2000, 2)])).rejects.toThrow()
  await influxd.start()
  await store.write([level('wl-a', NOW - 2000, 2)])
  const buckets = await store.history({ deviceId: 'wl-a', kind: 'water_sensor', field: 'levelM', from: NOW - 10_000, to: NOW, maxPoints: 1 })
  expect(buckets).toEqual([expect.objectContaining({ count: 2, min: 1, max: 2 })])
  await store.close()
})
