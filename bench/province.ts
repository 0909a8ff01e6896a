// `npm run bench:province`: the uplink and the province, measured on this machine (3
// nats-server nodes on 127.0.0.1, PostgreSQL, InfluxDB 1.6.7, the workers in this process).
//   1. a commune's day offline (350,000 readings, --day) caught up over a link capped at
//      1 MB/s, with an alarm raised in the backlog (its latency to PostgreSQL after the reconnect);
//   2. the same link at 100 KB/s for --slow-s seconds: the rate, and the projected time;
//   3. 10 communes catching up at once, no link cap: the province's ingest rate;
//   4. the uplink's cost on the box at a steady 2,000 readings/s (CPU, stored/s) with and without it.
// Prints a Markdown table for docs/benchmarks.md.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { openDatabase } from '../gateway/db/database.js'
import { topics } from '../gateway/contract/index.js'
import { createLogger } from '../gateway/log.js'
import type { TelemetryPoint } from '../gateway/store/telemetry-store.js'
import { NatsTransport } from '../edge/uplink/nats-transport.js'
import { OutboxFile } from '../edge/uplink/outbox.js'
import { Sender } from '../edge/uplink/sender.js'
import type { Lane } from '../edge/uplink/lanes.js'
import { startTestGateway, type TestGateway } from '../test/support/gateway.js'
import { startInfluxd } from '../test/support/influxd.js'
import { startProvinceStack, uplinkSettings, type ProvinceStack } from '../test/support/province.js'
import { startTcpProxy } from '../test/support/tcp-proxy.js'
import { metric, startGatewayBroker } from './brokers.js'
import { fixedRate } from './phases.js'

const { values } = parseArgs({ options: { parts: { type: 'string', default: '1,2,3,4' }, day: { type: 'string', default: '350000' }, 'slow-s': { type: 'string', default: '60' }, communes: { type: 'string', default: '10' }, each: { type: 'string', default: '30000' } } })
const DAY = Number(values.day)
const SLOW_S = Number(values['slow-s'])
const N = Number(values.communes)
const PARTS = new Set(values.parts.split(',').map(Number))
const EACH = Number(values.each)
const silent = createLogger('silent')
const rows: string[] = []
const note = (what: string, figure: string): void => { rows.push(`| ${what} | ${figure} |`); console.log(`${what}: ${figure}`) }

const point = (deviceId: string, i: number, t0: number): TelemetryPoint => ({
  measurement: 'water_sensor', deviceId, kind: 'water_sensor', commune: 'Xã đo', village: 'Thôn Đông', ts: t0 + i * 250,
  fields: { levelM: 40 + (i % 500) / 100, rainMm: (i % 7) / 2, batteryPct: 88, signalDbm: -71 }
})

async function countIn (stack: ProvinceStack, commune: string): Promise<number> {
  const res = await stack.influx.query(`SELECT count(levelM) FROM water_sensor WHERE commune = '${commune}'`)
  return (res.results[0]?.series?.[0]?.values?.[0]?.[1] as number | undefined) ?? 0
}

async function until (what: () => Promise<boolean> | boolean, timeoutMs: number, every = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await sleep(every)
  }
}

/** Fills a gateway's outbox through its journal (the path a device's reading takes after ingest). */
async function backlog (t: TestGateway, deviceId: string, n: number): Promise<void> {
  const t0 = Date.now() - 86_400_000
  for (let i = 0; i < n; i += 5000) {
    await Promise.all(Array.from({ length: Math.min(5000, n - i) }, (_, j) => t.gw.journal.append(point(deviceId, i + j, t0))))
  }
}

const codes = ['mot-ngay', 'cham', ...Array.from({ length: N }, (_, i) => `xa-${i}`), 'chi-phi']
const influxd = await startInfluxd()
const stack = await startProvinceStack(codes, influxd.url, { sweepMs: 3_600_000 })
try {
  // 1. A day offline over 1 MB/s, with an alarm in the backlog.
  if (PARTS.has(1)) {
    const proxy = await startTcpProxy('127.0.0.1', stack.cluster.nodes[0]!.port)
    proxy.cut()
    const t = await startTestGateway({ ...uplinkSettings(stack, 'mot-ngay', [proxy.url]), uplinkReadingsKbps: 0 })
    const station = t.addDevice('water_sensor')
    const camera = t.addDevice('camera')
    const filled0 = Date.now()
    await backlog(t, station.id, DAY)
    const cam = await t.connect(camera.id, camera.secret)
    await cam.publishAsync(topics.telemetry(camera.id), JSON.stringify({ tamper: true }), { qos: 1 })
    const health = t.gw.uplink!.health()
    console.log(`backlog of ${health.lanes.readings.pending} readings (${Math.round(health.lanes.readings.pendingBytes / 1e6)} MB of row bodies) in ${Math.round((Date.now() - filled0) / 1000)} s`)
    proxy.throttle(1_000_000)
    const restored = Date.now()
    proxy.restore()
    await until(() => t.gw.uplink!.connected, 60_000, 10)
    const connected = Date.now()
    await until(async () => (await stack.sql("SELECT 1 FROM alarms WHERE commune = 'mot-ngay' AND type = 'tamper'")).length === 1, 60_000, 20)
    const alarmMs = Date.now() - connected
    const waiting = t.gw.uplink!.health().lanes.readings.pending
    await until(() => t.gw.uplink!.health().lanes.readings.pending === 0, 1_800_000, 2000)
    const sentS = (Date.now() - restored) / 1000
    await until(async () => (await countIn(stack, 'mot-ngay')) >= DAY, 300_000, 500)
    const storedS = (Date.now() - restored) / 1000
    note(`catch-up of ${DAY.toLocaleString('en')} readings over 1 MB/s`, `all acknowledged by the cluster in ${Math.round(sentS)} s (${Math.round(DAY / sentS)} readings/s, ${Math.round(t.gw.uplink!.health().lanes.readings.sentBytes / sentS / 1000)} KB/s of rows), all in InfluxDB after ${Math.round(storedS)} s`)
    note('alarm latency during that catch-up', `reconnect ${connected - restored} ms, alarm in PostgreSQL ${alarmMs} ms later, ${waiting.toLocaleString('en')} readings still waiting`)
    await cam.endAsync()
    await t.stop()
    await proxy.close()
  }

  // 2. The same over 100 KB/s, for SLOW_S seconds.
  if (PARTS.has(2)) {
    const proxy = await startTcpProxy('127.0.0.1', stack.cluster.nodes[1]!.port)
    proxy.cut()
    const t = await startTestGateway({ ...uplinkSettings(stack, 'cham', [proxy.url]), uplinkReadingsKbps: 0 })
    const station = t.addDevice('water_sensor')
    await backlog(t, station.id, Math.min(DAY, 120_000))
    proxy.throttle(100_000)
    proxy.restore()
    await until(() => t.gw.uplink!.connected, 60_000, 10)
    const before = t.gw.uplink!.health().lanes.readings.sentRows
    await sleep(SLOW_S * 1000)
    const rate = (t.gw.uplink!.health().lanes.readings.sentRows - before) / SLOW_S
    note(`catch-up over 100 KB/s (measured ${SLOW_S} s)`, `${Math.round(rate)} readings/s: ${DAY.toLocaleString('en')} readings would take ${Math.round(DAY / rate / 60)} min`)
    await t.stop()
    await proxy.close()
  }

  // 3. N communes catching up at once, straight to the cluster: the real outbox and sender, no gateway around them.
  if (PARTS.has(3)) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-communes-'))
    const senders: Array<{ sender: Sender; transport: NatsTransport }> = []
    const t0 = Date.now() - 86_400_000
    for (let c = 0; c < N; c++) {
      const code = `xa-${c}`
      const db = openDatabase(join(dir, `${code}.db`), { synchronous: 'NORMAL', migrations: [] })
      const file = new OutboxFile(db, ['alarms', 'proof', 'status', 'events', 'readings'])
      db.transaction(() => { for (let i = 0; i < EACH; i++) file.append('readings', JSON.stringify(point(`wl-${c}`, i, t0)), Date.now()) })()
      const transport = new NatsTransport({ servers: stack.cluster.urls, commune: code, seed: stack.communes.get(code)!.seed, ackTimeoutMs: 10_000 }, silent)
      const files = Object.fromEntries((['alarms', 'proof', 'status', 'events', 'readings'] as Lane[]).map((l) => [l, file])) as Record<Lane, OutboxFile>
      senders.push({ sender: new Sender({ commune: code, transport, files, gaps: file, log: silent, readingsBytesPerS: 0 }), transport })
    }
    await until(() => senders.every((s) => s.transport.connected), 30_000)
    const start = Date.now()
    for (const s of senders) s.sender.start()
    const total = N * EACH
    let stored = 0
    await until(async () => {
      stored = 0
      for (let c = 0; c < N; c++) stored += await countIn(stack, `xa-${c}`)
      return stored >= total
    }, 600_000, 1000)
    const s = (Date.now() - start) / 1000
    note(`province ingest, ${N} communes catching up at once (${total.toLocaleString('en')} readings)`, `${Math.round(total / s).toLocaleString('en')} readings/s into InfluxDB (all stored in ${Math.round(s)} s)`)
    for (const x of senders) { await x.sender.stop(); await x.transport.close() }
    rmSync(dir, { recursive: true, force: true })
  }

  // 4. The uplink's cost on the box at a steady load.
  for (const withUplink of PARTS.has(4) ? [false, true] : []) {
    const env: Record<string, string> = withUplink
      ? { GATEWAY_UPLINK_URLS: stack.cluster.urls.join(','), GATEWAY_UPLINK_COMMUNE: 'chi-phi', GATEWAY_UPLINK_SEED_FILE: stack.communes.get('chi-phi')!.seedFile, GATEWAY_UPLINK_READINGS_KBPS: '0' }
      : {}
    const { broker, devices } = await startGatewayBroker('sqlite', 200, [], env)
    const stored0 = await metric(broker.http!.port, 'gateway_readings_stored_total')
    const r = await fixedRate(broker, devices, 2000, 20)
    const stored = (await metric(broker.http!.port, 'gateway_readings_stored_total')) - stored0
    const up = withUplink ? await metric(broker.http!.port, 'gateway_uplink_sent_rows{lane="readings"}') : null
    note(`gateway on SQLite at 2,000 readings/s, ${withUplink ? 'with' : 'without'} the uplink`, `CPU ${r.cpuPct} %, ${r.ackedPerSecond} acknowledged/s, ${Math.round(stored / 20)} stored/s, PUBACK p99 ${r.pubackP99Ms} ms, peak RSS ${r.peakRssMiB} MiB${up === null ? '' : `, ${Math.round(up / 20)} sent up/s`}`)
    await broker.stop()
  }
} finally {
  await stack.stop()
  await influxd.destroy()
}
console.log('\n| measured | figure |\n|---|---|\n' + rows.join('\n'))
// The stores and clients are closed; a socket of the proxies may still hold the loop for a while.
process.exit(0)
