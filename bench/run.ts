// `npm run bench`: one bounded run (about eight minutes) comparing the gateway with bare
// aedes and Debian's Mosquitto under the same load generator, every broker and the load in
// their own processes. Phases 1 and 2 run in rounds (three by default): in each round every
// broker takes its turn, and the report gives each figure's median over the rounds, each
// round's figures beside it, and each round's ratio to the bare aedes of the same round. On a
// shared virtual machine the same code measured a PUBACK p99 of 11 and of 35 ms a few minutes
// apart (issue #18): one round of one broker is not a figure.
//   1. a fixed 5,000 readings/s: PUBACK and publish-to-dashboard latency, CPU, peak memory;
//   2. throughput as fast as acknowledged (gateway on SQLite and on InfluxDB: stored per second);
//   3. memory per idle connection at 1,000 / 5,000 / 10,000 connections, on a broker started for it;
//   4. the small box: the gateway (SQLite) pinned to one core with taskset, the load generator
//      on the other: stored per second as fast as acknowledged, and PUBACK latency at 2,000/s.
// Writes bench/out/report.json and the tables of docs/benchmarks.md (between its markers).
//
//   npm run bench -- [--quick] [--rounds 3] [--seconds 10] [--devices 50] [--window 16] [--rate 5000]
//                    [--phases rate,throughput,idle,smallbox] [--brokers aedes,mosquitto,gateway-sqlite,gateway-influxdb]
//                    [--small-rate 2000]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { startBare, startGatewayBroker, startMosquitto, type Broker, type Device } from './brokers.js'
import { fixedRate, idleMemory, throughput, WARMUP_SECONDS, type FixedRate, type IdleMemory, type Throughput } from './phases.js'
import { medianOf, reportMarkdown } from './report.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false }, rounds: { type: 'string' },
    seconds: { type: 'string' }, devices: { type: 'string', default: '50' }, window: { type: 'string', default: '16' },
    rate: { type: 'string' }, 'small-rate': { type: 'string' }, phases: { type: 'string', default: 'throughput,rate,idle,smallbox' }, 'no-docs': { type: 'boolean', default: false },
    brokers: { type: 'string', default: 'aedes,mosquitto,gateway-sqlite,gateway-influxdb' }
  }
})
const quick = values.quick
const rounds = Number(values.rounds ?? (quick ? 1 : 3))
const seconds = Number(values.seconds ?? (quick ? 3 : 10))
const devicesN = Number(values.devices)
const window = Number(values.window)
const rate = Number(values.rate ?? (quick ? 1000 : 5000))
const smallRate = Number(values['small-rate'] ?? (quick ? 500 : 2000))
const idleCounts = quick ? [200, 500] : [1000, 5000, 10000]
const phases = new Set(values.phases.split(','))
const IDLE_MAX = Math.max(...idleCounts)

const anonymous = (prefix: string, n: number): Device[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, secret: 'x' }))

type Round = { throughput?: Throughput; rate?: FixedRate }
const byRound: Record<string, Round[]> = {}
const idle: Record<string, IdleMemory[]> = {}

type Start = () => Promise<{ broker: Broker; devices: Device[] }>

/** Starts a broker, runs `work` on it, and stops it whatever happened. */
async function withBroker (start: Start, what: string, work: (broker: Broker, devices: Device[]) => Promise<void>): Promise<void> {
  const { broker, devices } = await start()
  try {
    console.error(`· ${broker.name}, ${what}`)
    await work(broker, devices)
  } finally {
    await broker.stop()
  }
}

const measure = (round: number, start: Start): Promise<void> => withBroker(start, `round ${round} of ${rounds}`, async (broker, devices) => {
  const row: Round = {}
  ;(byRound[broker.name] ??= []).push(row)
  // The fixed rate first: its peak memory is then the steady load's, not the flood's.
  if (phases.has('rate')) row.rate = await fixedRate(broker, devices.slice(0, devicesN), rate, seconds, undefined, quick ? 1 : WARMUP_SECONDS)
  if (phases.has('throughput')) row.throughput = await throughput(broker, devices.slice(0, devicesN), seconds, window)
})

/**
 * Idle connections on a broker started for them: right after the load phases, the memory they
 * grew was still being given back while the connections were counted (-125 KB a connection).
 */
const measureIdle = (start: Start): Promise<void> => withBroker(start, 'idle connections', async (broker, devices) => {
  idle[broker.name] = await idleMemory(broker, devices.slice(devicesN), idleCounts)
})

const started = Date.now()
const brokers = new Set(values.brokers.split(','))
const starters: Array<{ name: string; start: Start }> = [
  { name: 'aedes', start: async () => ({ broker: await startBare(), devices: anonymous('bare', devicesN + IDLE_MAX) }) },
  { name: 'mosquitto', start: async () => ({ broker: await startMosquitto(), devices: anonymous('mosq', devicesN + IDLE_MAX) }) },
  { name: 'gateway-sqlite', start: () => startGatewayBroker('sqlite', devicesN + IDLE_MAX) },
  // The same registry for both stores: 10,050 registered devices cost the alarm sweep 20-40 ms every
  // 5 s. Until 2026-11-30 the InfluxDB gateway had 50, and its better p99 was partly that.
  { name: 'gateway-influxdb', start: () => startGatewayBroker('influxdb', devicesN + IDLE_MAX) }
].filter((b) => brokers.has(b.name))
if (phases.has('rate') || phases.has('throughput')) {
  for (let round = 1; round <= rounds; round++) for (const b of starters) await measure(round, b.start)
}
if (phases.has('idle')) for (const b of starters) if (b.name !== 'gateway-influxdb') await measureIdle(b.start)
const results = Object.fromEntries(starters.map(({ name }) => {
  const runs = byRound[name] ?? []
  return [name, { rate: medianOf(runs.flatMap((r) => r.rate ?? [])), throughput: medianOf(runs.flatMap((r) => r.throughput ?? [])), idle: idle[name], rounds: runs }]
}))

/** The small box: one core for the gateway, the other for the load; the figure a single-board computer comes nearest to. */
const SMALL_BOX = { gateway: '0', load: '1' }
let smallBox: { cores: typeof SMALL_BOX; rate?: FixedRate; throughput?: Throughput } | null = null
if (phases.has('smallbox') && brokers.has('gateway-sqlite')) {
  await withBroker(() => startGatewayBroker('sqlite', devicesN, [], {}, SMALL_BOX.gateway), 'on one core', async (broker, devices) => {
    smallBox = {
      cores: SMALL_BOX,
      rate: await fixedRate(broker, devices, smallRate, seconds, SMALL_BOX.load),
      throughput: await throughput(broker, devices, seconds, window, SMALL_BOX.load)
    }
  })
}

const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  cores: cpus().length,
  settings: { quick, rounds, seconds, devices: devicesN, window, rate, smallRate, idleCounts },
  minutes: Math.round((Date.now() - started) / 6000) / 10,
  results,
  smallBox
}
mkdirSync('bench/out', { recursive: true })
writeFileSync('bench/out/report.json', JSON.stringify(report, null, 2) + '\n')
console.log(JSON.stringify(report, null, 2))
// Only a full run rewrites the doc's tables.
if (!quick && !values['no-docs'] && brokers.size === 4 && phases.size === 4) {
  const doc = readFileSync('docs/benchmarks.md', 'utf8')
  const [begin, end] = ['<!-- bench:begin -->', '<!-- bench:end -->']
  if (doc.includes(begin) && doc.includes(end)) {
    writeFileSync('docs/benchmarks.md', doc.slice(0, doc.indexOf(begin) + begin.length) + '\n' + reportMarkdown(report) + doc.slice(doc.indexOf(end)))
    console.error('docs/benchmarks.md updated')
  }
}
