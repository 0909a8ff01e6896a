// `npm run bench:soak`: the gateway (SQLite) under a steady rate for a long time, its resident
// memory sampled every 10 s; reports the growth after warm-up: the least-squares slope
// (MiB/hour), and the median of the last third of the samples against the first third, which
// one transient step (a backlog the heap keeps room for) moves less than it moves the slope.
//
//   npm run bench:soak -- [--minutes 30] [--rate 5000] [--devices 50] [--warmup 5]
//   (a shorter run: --minutes 10 --warmup 2)
import { mkdirSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { EVENT_LOOP_SAMPLE_MS } from '../gateway/metrics/metrics.js'
import { startGatewayBroker } from './brokers.js'
import { load } from './phases.js'
import { rssKb } from './proc.js'

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, rate: { type: 'string', default: '5000' }, devices: { type: 'string', default: '50' }, warmup: { type: 'string', default: '5' } } })
const [minutes, rate, devicesN, warmup] = [Number(values.minutes), Number(values.rate), Number(values.devices), Number(values.warmup)]

const { broker, devices } = await startGatewayBroker('sqlite', devicesN)
/** `lagMs`: the event loop's lag p99, the gauge less the timer period it samples at; `gaugeMs`: the gauge itself. */
interface Sample { minute: number; rssMiB: number; heapMiB: number | null; journalDepth: number | null; lagMs: number | null; gaugeMs: number | null }
const samples: Sample[] = []
const started = Date.now()
// Beside the resident size, the gateway's own gauges: a heap that stays flat while RSS steps
// up is memory kept after a burst, not a leak; a journal that deepens is the store falling behind.
const sampler = setInterval(() => {
  const minute = (Date.now() - started) / 60_000
  const rssMiB = rssKb(broker.pid) / 1024
  fetch(`http://127.0.0.1:${broker.http!.port}/metrics`).then((r) => r.text()).then((text) => {
    const gauge = (name: string): number | null => { const m = new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text); return m ? Number(m[1]) : null }
    const heap = gauge('gateway_process_nodejs_heap_size_used_bytes')
    const lag = gauge('gateway_process_nodejs_eventloop_lag_p99_seconds')
    const gaugeMs = lag === null ? null : lag * 1000
    samples.push({ minute, rssMiB, heapMiB: heap === null ? null : heap / 1048576, journalDepth: gauge('gateway_journal_depth'), lagMs: gaugeMs === null ? null : Math.max(0, gaugeMs - EVENT_LOOP_SAMPLE_MS), gaugeMs })
  }, () => samples.push({ minute, rssMiB, heapMiB: null, journalDepth: null, lagMs: null, gaugeMs: null }))
}, 10_000)
try {
  const result = await load(broker.url, devices, { seconds: minutes * 60, window: 1, rate })
  clearInterval(sampler)
  samples.sort((a, b) => a.minute - b.minute)
  const steady = samples.filter((s) => s.minute >= warmup)
  const n = steady.length
  const mx = steady.reduce((a, s) => a + s.minute, 0) / n
  const my = steady.reduce((a, s) => a + s.rssMiB, 0) / n
  const slope = steady.reduce((a, s) => a + (s.minute - mx) * (s.rssMiB - my), 0) / steady.reduce((a, s) => a + (s.minute - mx) ** 2, 0)
  const rss = steady.map((s) => s.rssMiB)
  const third = Math.floor(n / 3)
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const lagSummary = (xs: number[]) => xs.length === 0 ? null : { median: Math.round(median(xs)), max: Math.round(Math.max(...xs)), samplesOver20ms: xs.filter((x) => x >= 20).length, samples: xs.length }
  const report = {
    date: new Date().toISOString(), minutes, rate, devices: devicesN, warmupMinutes: warmup,
    acked: result.acked, failed: result.failed, pubackP50Ms: result.p50Ms, pubackP99Ms: result.p99Ms,
    rssMiB: { atWarmup: Math.round(rss[0]!), end: Math.round(rss.at(-1)!), min: Math.round(Math.min(...rss)), max: Math.round(Math.max(...rss)) },
    slopeMiBPerHour: Math.round(slope * 60 * 10) / 10,
    lastThirdOverFirstThirdMiB: Math.round(median(rss.slice(-third)) - median(rss.slice(0, third))),
    rssMedianMiB: { firstThird: Math.round(median(rss.slice(0, third))), lastThird: Math.round(median(rss.slice(-third))) },
    // The gauge is the p99 of its last sampling window (prom-client); here the worst and the usual one after warm-up:
    // the lag (how late the loop ran its timer), and the gauge as /metrics shows it (the lag plus the timer's period).
    eventLoopLagP99Ms: lagSummary(steady.map((s) => s.lagMs).filter((v): v is number => v !== null)),
    eventLoopGaugeP99Ms: lagSummary(steady.map((s) => s.gaugeMs).filter((v): v is number => v !== null)),
    /** [minute, RSS MiB, heap used MiB, journal depth, event-loop lag p99 ms, the gauge ms] */
    samples: samples.map((s) => [Math.round(s.minute * 10) / 10, Math.round(s.rssMiB), s.heapMiB === null ? null : Math.round(s.heapMiB), s.journalDepth,
      s.lagMs === null ? null : Math.round(s.lagMs), s.gaugeMs === null ? null : Math.round(s.gaugeMs)])
  }
  mkdirSync('bench/out', { recursive: true })
  writeFileSync('bench/out/soak.json', JSON.stringify(report, null, 2) + '\n')
  console.log(JSON.stringify({ ...report, samples: undefined }, null, 2))
} finally {
  clearInterval(sampler)
  await broker.stop()
}
