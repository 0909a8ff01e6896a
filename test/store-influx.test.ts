import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, expect, inject, test } from 'vitest'
import { InfluxTelemetryStore, type InfluxSettings } from '../gateway/store/influx-store.js'
import { StoreRejectedError, type RetentionSettings } from '../gateway/store/telemetry-store.js'
import { startInfluxd, type Influxd } from './support/influxd.js'
import { DAY_MS, NOW, level, storeContract } from './store-contract.js'

const url = inject('influxUrl')
let n = 0
const databases: string[] = []
/** A fresh database for every store, dropped after its test (the influxd is shared by every file). */
function settings (): InfluxSettings {
  const database = `store_${process.pid}_${++n}`
  databases.push(database)
  return { url, database, manageSchema: true }
}
afterEach(async () => {
  for (const db of databases.splice(0)) await influxql(`DROP DATABASE "${db}"`)
})

storeContract('InfluxDB 1.6.7', ({ retention, now }) => Promise.resolve(new InfluxTelemetryStore(settings(), retention, now)))

const retention: RetentionSettings = { rawRetentionMs: 30 * DAY_MS, rollupRetentionMs: 0 }

/** InfluxQL over plain HTTP (GET /query for reads, POST for the rest), the rows of the first result. */
async function influxql (q: string, db = '', base = url): Promise<unknown[][]> {
  const read = /^\s*(SELECT|SHOW)/i.test(q)
  const res = await fetch(`${base}/query?db=${db}&q=${encodeURIComponent(q)}`, { method: read ? 'GET' : 'POST' })
  const body = await res.json() as { results: Array<{ series?: Array<{ values?: unknown[][] }>; error?: string }> }
  if (!res.ok || body.results[0]?.error) throw new Error(`${q}: ${JSON.stringify(body)}`)
  return body.results[0]?.series?.flatMap((s) => s.values ?? []) ?? []
}

/** SHOW FIELD KEYS as { field: type }. */
async function fieldTypes (measurement: string, db: string): Promise<Record<string, unknown>> {
  return Object.fromEntries((await influxql(`SHOW FIELD KEYS FROM "raw"."${measurement}"`, db)).map((row) => [String(row[0]), row[1]]))
}

/** SHOW RETENTION POLICIES as { name: [duration, default] }. */
async function policies (db: string): Promise<Record<string, unknown>> {
  return Object.fromEntries((await influxql('SHOW RETENTION POLICIES', db)).map((row) => [String(row[0]), [row[1], row.at(-1)]]))
}

test('InfluxDB: the database and the raw (default) and rollup retention policies, with the configured durations', async () => {
  const s = settings()
  await new InfluxTelemetryStore(s, retention, () => NOW).write([level('wl-a', NOW - 1000, 12)])
  expect((await influxql('SHOW DATABASES')).flat()).toContain(s.database)
  expect(await policies(s.database)).toMatchObject({ raw: ['720h0m0s', true], rollup: ['0s', false] })
  // Changed settings change the policies at the next start.
  await new InfluxTelemetryStore(s, { rawRetentionMs: 60 * DAY_MS, rollupRetentionMs: 400 * DAY_MS }, () => NOW).latest()
  expect(await policies(s.database)).toMatchObject({ raw: ['1440h0m0s', true], rollup: ['9600h0m0s', false] })
})

test('InfluxDB: fields are written with their declared types; a whole number stays an integer or a float', async () => {
  const s = settings()
  const store = new InfluxTelemetryStore(s, retention, () => NOW)
  await store.write([
    level('wl-a', NOW - 1000, 12),
    { measurement: 'camera', deviceId: 'cam-a', kind: 'camera', commune: 'Xã thử', village: 'Thôn Đông', ts: NOW - 1000, fields: { uptimeS: 3600, fps: 25, streamAlive: true, storageState: 'ok' } }
  ])
  expect(await fieldTypes('camera', s.database)).toEqual({ uptimeS: 'integer', fps: 'float', streamAlive: 'boolean', storageState: 'string' })
  expect(await fieldTypes('water_sensor', s.database)).toEqual({ levelM: 'float' })
  expect((await store.latest()).get('cam-a')?.uptimeS).toEqual({ value: 3600, ts: NOW - 1000 })
})

test('InfluxDB: points the server refuses for what they are (a field type conflict) are a StoreRejectedError', async () => {
  const s = settings()
  const store = new InfluxTelemetryStore(s, retention, () => NOW)
  await store.write([level('wl-a', NOW - 2000, 1)])
  // Someone else wrote "fps" as text into this database first.
  const res = await fetch(`${url}/write?db=${s.database}&rp=raw&precision=ms`, { method: 'POST', body: `camera,device=cam-x fps="high" ${NOW - 5000}` })
  expect(res.status).toBe(204)
  const camera = { measurement: 'camera', deviceId: 'cam-a', kind: 'camera', commune: 'Xã thử', village: 'Thôn Đông', ts: NOW - 1000, fields: { fps: 25 } } as const
  await expect(store.write([camera])).rejects.toBeInstanceOf(StoreRejectedError)
})

test('InfluxDB: a batch larger than one write request is written whole; a refused point refuses the batch, not its other slices', async () => {
  const s = settings()
  const store = new InfluxTelemetryStore(s, retention, () => NOW)
  // 1,100 readings: five requests (WRITE_SLICE is 250), the last one part full.
  const batch = Array.from({ length: 1100 }, (_, i) => level(`wl-${i % 7}`, NOW - 2_000_000 + i * 1000, i / 100))
  await store.write(batch)
  expect((await influxql('SELECT count("levelM") FROM "raw"."water_sensor"', s.database))[0]?.[1]).toBe(1100)

  // A camera's "fps" was written as text by someone else: the one camera reading in the middle
  // of the next batch is refused, and the batch with it (the drain quarantines it whole).
  await fetch(`${url}/write?db=${s.database}&rp=raw&precision=ms`, { method: 'POST', body: `camera,device=cam-x fps="high" ${NOW - 5000}` })
  const camera = { measurement: 'camera', deviceId: 'cam-a', kind: 'camera', commune: 'Xã thử', village: 'Thôn Đông', ts: NOW - 1000, fields: { fps: 25 } } as const
  const next = Array.from({ length: 600 }, (_, i) => level('wl-next', NOW - 700_000 + i * 1000, 1))
  await expect(store.write([...next.slice(0, 300), camera, ...next.slice(300)])).rejects.toBeInstanceOf(StoreRejectedError)
  // Every slice was sent and settled before the refusal was reported: the readings around it are in.
  expect((await influxql('SELECT count("levelM") FROM "raw"."water_sensor" WHERE "device" = \'wl-next\'', s.database))[0]?.[1]).toBe(600)
})

test('InfluxDB: a second store on the same database picks up the rollup watermark', async () => {
  const s = settings()
  const today = Math.floor(NOW / DAY_MS) * DAY_MS
  const first = new InfluxTelemetryStore(s, { rawRetentionMs: 90 * DAY_MS, rollupRetentionMs: 0 }, () => NOW)
  await first.write([level('wl-old', today - 4 * DAY_MS, 7)])
  await first.rollup(NOW)
  // A restart, 89 days later: raw readings up to yesterday are past retention and rolled up.
  const later = today + 89 * DAY_MS
  const again = new InfluxTelemetryStore(s, { rawRetentionMs: 90 * DAY_MS, rollupRetentionMs: 0 }, () => later)
  await again.applyRetention(later)
  expect((await again.latest()).has('wl-old')).toBe(false)
  const q = { deviceId: 'wl-old', kind: 'water_sensor' as const, field: 'levelM', from: today - 10 * DAY_MS, to: today, maxPoints: 10 }
  expect(await again.history(q)).toEqual([expect.objectContaining({ count: 1, min: 7, max: 7 })])
})

let influxd: Influxd
beforeAll(async () => { influxd = await startInfluxd() }, 60_000)
afterAll(async () => { await influxd.destroy() })

test('InfluxDB: a write while the server is down rejects as unreachable, not refused; after it returns, writes succeed', { timeout: 60_000 }, async () => {
  const store = new InfluxTelemetryStore({ url: influxd.url, database: 'down', manageSchema: true, requestTimeoutMs: 2000 }, retention, () => NOW)
  await store.open()
  await store.write([level('wl-a', NOW - 3000, 1)])
  await influxd.stop()
  // The journal drain keeps a batch and retries it later unless the store calls it refused.
  const failed = await store.write([level('wl-a', NOW - 2000, 2)]).then(() => null, (err: unknown) => err)
  expect(failed).toBeInstanceOf(Error)
  expect(failed).not.toBeInstanceOf(StoreRejectedError)
  // A batch of several requests fails once, as a whole: a request refused while the next is
  // still being built is the batch's failure, not an unhandled rejection (which ends the process).
  const many = Array.from({ length: 600 }, (_, i) => level('wl-many', NOW - 700_000 + i * 1000, 1))
  const manyFailed = await store.write(many).then(() => null, (err: unknown) => err)
  expect(manyFailed).toBeInstanceOf(Error)
  expect(manyFailed).not.toBeInstanceOf(StoreRejectedError)
  await influxd.start()
  await store.write([level('wl-a', NOW - 2000, 2)])
  const buckets = await store.history({ deviceId: 'wl-a', kind: 'water_sensor', field: 'levelM', from: NOW - 10_000, to: NOW, maxPoints: 1 })
  expect(buckets).toEqual([{ t: NOW - 10_000, count: 2, min: 1, max: 2, mean: 1.5 }])
  await store.close()
})

test('InfluxDB: a batch with one slice refused and another failing for a reason that may pass is tried again, not quarantined', async () => {
  // Two requests of one batch failing at the same moment for different reasons: a server that
  // answers by what it is sent makes it certain (the real one cannot be made to, on demand).
  const seen: string[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => { body += chunk.toString() })
    req.on('end', () => {
      seen.push(body.includes('wl-bad') ? 'refused' : body.includes('wl-down') ? 'down' : 'ok')
      if (body.includes('wl-bad')) res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"partial write: field type conflict"}')
      else if (body.includes('wl-down')) res.writeHead(503).end()
      else res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  try {
    const store = new InfluxTelemetryStore({ url: `http://127.0.0.1:${port}`, database: 'by-body', manageSchema: false }, retention, () => NOW)
    const slice = (device: string): ReturnType<typeof level>[] => Array.from({ length: 250 }, (_, i) => level(device, NOW - 300_000 + i * 1000, 1))
    const failed = await store.write([...slice('wl-bad'), ...slice('wl-down'), ...slice('wl-ok')]).then(() => null, (err: unknown) => err)
    expect(failed).toBeInstanceOf(Error)
    expect(failed).not.toBeInstanceOf(StoreRejectedError)
    expect(seen.sort()).toEqual(['down', 'ok', 'refused'])
    // With nothing else wrong, the refusal is the batch's: the drain quarantines it.
    await expect(store.write([...slice('wl-ok'), ...slice('wl-bad')])).rejects.toBeInstanceOf(StoreRejectedError)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

test('InfluxDB: an answer cut off in the middle (the server stopped while answering) fails the call in time, never hangs', async () => {
  // What influxd does when it is stopped mid-answer, made certain: headers and half a body,
  // then the connection is dropped. The real server cannot be stopped at that instant on demand.
  const cutting = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
    res.write('{"results":[')
    setTimeout(() => res.socket?.destroy(), 20)
  })
  await new Promise<void>((resolve) => cutting.listen(0, '127.0.0.1', resolve))
  const { port } = cutting.address() as AddressInfo
  try {
    const store = new InfluxTelemetryStore({ url: `http://127.0.0.1:${port}`, database: 'cut', manageSchema: true, requestTimeoutMs: 500 }, retention, () => NOW)
    const failed = await store.write([level('wl-a', NOW, 1)]).then(() => null, (err: unknown) => err)
    expect(String(failed)).toMatch(/no complete answer to CREATE DATABASE within 500 ms/)
    expect(failed).not.toBeInstanceOf(StoreRejectedError)
    // The setup is tried again on the next call, not left hanging for every later one.
    expect(String(await store.latest().then(() => null, (err: unknown) => err))).toMatch(/no complete answer to CREATE DATABASE/)
  } finally {
    cutting.closeAllConnections()
    await new Promise((resolve) => cutting.close(resolve))
  }
})
