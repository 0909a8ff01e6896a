// `npm run bench:profile`: where a reading's time goes. The gateway (SQLite, or InfluxDB with --store influxdb) runs with
// --cpu-prof under the throughput load (or, with --rate, at that fixed rate: the PUBACK
// latency's conditions, where per-group and per-tick costs weigh more); its profile's self time is summed by area and divided
// by the readings it handled. The raw .cpuprofile stays in bench/out/ (open it in Chrome's
// DevTools or speedscope for the flame graph).
//
//   npm run bench:profile -- [--seconds 15] [--devices 50] [--window 16] [--rate 5000] [--store sqlite|influxdb]
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { metric, startGatewayBroker } from './brokers.js'
import { fixedRate, throughput } from './phases.js'

const { values } = parseArgs({ options: { rate: { type: 'string' }, seconds: { type: 'string', default: '15' }, devices: { type: 'string', default: '50' }, window: { type: 'string', default: '16' }, store: { type: 'string', default: 'sqlite' } } })
if (values.store !== 'sqlite' && values.store !== 'influxdb') throw new Error(`--store is sqlite or influxdb, not ${values.store}`)
const dir = resolve('bench/out/profile')
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })

const { broker, devices } = await startGatewayBroker(values.store, Number(values.devices), ['--cpu-prof', `--cpu-prof-dir=${dir}`])
const readings = await (async () => {
  try {
    const seconds = Number(values.seconds)
    const load = values.rate === undefined ? await throughput(broker, devices, seconds, Number(values.window)) : await fixedRate(broker, devices, Number(values.rate), seconds)
    const stored = await metric(broker.http!.port, 'gateway_readings_stored_total')
    console.error(`${JSON.stringify(load)}; readings ${stored}`)
    return stored
  } finally {
    await broker.stop()
  }
})()

interface Node { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }
// One file per thread, named CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the
// main thread (the event loop that reads the sockets); the others are the journal's and the
// embedded store's threads, which run on the other core.
const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
const main = files.find((f) => f.split('.')[4] === '0')
if (!main) throw new Error('no profile of the main thread written')
const load = (f: string): Profile => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Profile
const profile = load(main)

// Areas of the hot path, by where the code lives.
const AREAS: Array<[string, (url: string, fn: string) => boolean]> = [
  ['idle', (_u, f) => f === '(idle)'],
  ['garbage collection', (_u, f) => f === '(garbage collector)'],
  ['MQTT: aedes and packet parsing', (u) => /node_modules\/(aedes|mqtt-packet|aedes-|bl\/|mqemitter|fastfall|fastparallel|fastseries|reusify|retimer)/.test(u) || u.includes('packet-guard')],
  ['validate (zod)', (u) => u.includes('node_modules/zod')],
  ['parse (JSON)', (u, f) => u === '' && (f === 'parse' || f === 'stringify')],
  ['journal (SQLite append, group commit)', (u) => u.includes('gateway/journal/journal')],
  // InfluxDB's store writes on the main thread (node-influx builds the line protocol); the embedded one on its own thread.
  ['store (drain, telemetry writes)', (u) => u.includes('gateway/journal/drain') || u.includes('gateway/store/') || u.includes('node_modules/influx/')],
  ['ingest, registry, presence', (u) => /gateway\/(ingest|registry|presence|broker)\//.test(u)],
  ['live state, alarms, push', (u) => /gateway\/(live|alarms|realtime|events|notify)\//.test(u) || u.includes('socket.io') || u.includes('engine.io')],
  ['metrics (prom-client)', (u) => u.includes('prom-client') || u.includes('gateway/metrics')],
  ['network and streams (Node)', (u) => /^node:(net|stream|internal\/streams|internal\/stream_base|_stream|events)/.test(u) || u.startsWith('node:internal/streams')],
  ['native and other', () => true]
]
// Start-up is not per reading: loading modules (tsx) and what main.ts runs once (the check for
// espeak-ng and ffmpeg spawns them) are counted apart, by the stack they run under.
const STARTUP = (url: string, fn: string): boolean => url.endsWith('gateway/main.ts') ||
  ['wrapSafe', 'compileSourceTextModule', 'makeSyncRequest', 'makeAsyncRequest', 'waitForWorker', 'compileForInternalLoader'].includes(fn)
const startup = new Set<number>()
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const mark = (id: number, inherited: boolean): void => {
  const node = byId.get(id)!
  const here = inherited || STARTUP(node.callFrame.url, node.callFrame.functionName)
  if (here) startup.add(id)
  for (const child of node.children ?? []) mark(child, here)
}
mark(profile.nodes[0]!.id, false)
const selfUs = new Map<number, number>()
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const byArea = new Map<string, number>()
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0
  if (!us) continue
  const area = startup.has(node.id) ? 'start-up (not per reading)' : AREAS.find(([, match]) => match(node.callFrame.url, node.callFrame.functionName))![0]
  byArea.set(area, (byArea.get(area) ?? 0) + us)
}
const counted = ([a]: [string, number]): boolean => a !== 'idle' && !a.startsWith('start-up')
const busy = [...byArea].filter(counted).reduce((s, [, us]) => s + us, 0)
console.log('| area | CPU per reading (µs) | share of busy time |\n|---|---|---|')
for (const [area, us] of [...byArea].filter(counted).sort((a, b) => b[1] - a[1])) {
  console.log(`| ${area} | ${(us / readings).toFixed(2)} | ${Math.round(us / busy * 100)} % |`)
}
console.log(`| **total (busy)** | **${(busy / readings).toFixed(2)}** | 100 % |`)
console.log(`\nidle ${Math.round((byArea.get('idle') ?? 0) / 1000)} ms, start-up ${Math.round((byArea.get('start-up (not per reading)') ?? 0) / 1000)} ms, per-reading work ${Math.round(busy / 1000)} ms; ${readings} readings`)
for (const f of files.filter((x) => x !== main)) {
  const p = load(f)
  const idle = new Set(p.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id))
  const us = p.samples.reduce((sum, id, i) => sum + (idle.has(id) ? 0 : p.timeDeltas[i] ?? 0), 0)
  const urls = new Set(p.nodes.map((node) => node.callFrame.url))
  const has = (part: string): boolean => [...urls].some((u) => u.includes(part))
  const what = has('journal-file') ? 'journal' : has('sqlite-store') ? 'embedded store' : has('tsx/dist') ? 'module loader (tsx)' : 'other'
  // Busy includes the disk syncs, which better-sqlite3 waits for inside its calls: time, not CPU.
  console.log(`thread ${f.split('.')[4]} (${what}): ${(us / readings).toFixed(2)} µs per reading busy (disk syncs included), off the main thread`)
}
