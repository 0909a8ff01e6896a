// The tables `npm run bench` writes into docs/benchmarks.md: every figure (the median of the
// rounds), with its ratio to bare aedes and to Mosquitto measured in the same rounds, and each
// round's own figures.
import { readFileSync, writeFileSync } from 'node:fs'
import { WARMUP_SECONDS, type FixedRate, type IdleMemory, type Throughput } from './phases.js'

interface Report {
  date: string
  machine: string
  cores: number
  settings: { rounds: number; seconds: number; devices: number; window: number; rate: number; smallRate: number }
  minutes: number
  results: Record<string, { throughput?: Throughput; rate?: FixedRate; idle?: IdleMemory[]; rounds: Array<{ throughput?: Throughput; rate?: FixedRate }> }>
  smallBox: { cores: { gateway: string; load: string }; rate?: FixedRate; throughput?: Throughput } | null
}

const n = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits }))
const ratio = (a: number | null | undefined, b: number | null | undefined): string => (a && b ? (a / b).toFixed(2) : '—')

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Each figure's median over the rounds (null where any round had none); undefined for no rounds. */
export function medianOf<T extends object> (rounds: T[]): T | undefined {
  if (rounds.length === 0) return undefined
  const out: Record<string, number | null> = {}
  for (const key of Object.keys(rounds[0]!)) {
    const values = rounds.map((r) => (r as Record<string, number | null>)[key])
    out[key] = values.every((v) => typeof v === 'number') ? median(values) : null
  }
  return out as T
}

/** What a broker stored (or, for a bare broker, acknowledged) per second in each round. */
const perRound = (row: Report['results'][string] | undefined): number[] =>
  row?.rounds.map((r) => r.throughput?.storedPerSecond ?? r.throughput?.ackedPerSecond ?? 0) ?? []

/** The median of each round's ratio to the other broker's figure in the same round. */
function ratioByRound (row: Report['results'][string], to: Report['results'][string] | undefined): string {
  const a = perRound(row)
  const b = perRound(to)
  if (a.length === 0 || a.length !== b.length || b.some((v) => !v)) return '—'
  return median(a.map((v, i) => v / b[i]!)).toFixed(2)
}

export function reportMarkdown (r: Report): string {
  const { results: x, settings: s } = r
  const lines = [
    `Run of ${r.date.slice(0, 10)} on ${r.machine}; ${r.minutes} minutes in all. Command: \`npm run bench\``,
    `(${s.devices} devices, ${s.window} in flight each, ${s.seconds} s per measurement, ${s.rounds} round${s.rounds === 1 ? '' : 's'}; fixed rate ${n(s.rate)} readings/s).`,
    '',
    '| broker | acked/s | **stored/s** | PUBACK p50 / p99 (ms) | stored ÷ bare aedes | stored ÷ Mosquitto |',
    '|---|---|---|---|---|---|'
  ]
  for (const [name, row] of Object.entries(x)) {
    const t = row.throughput
    if (!t) continue
    const stored = t.storedPerSecond
    const note = stored === null ? ' (acked)' : ''
    lines.push(`| ${name} | ${n(t.ackedPerSecond)} | ${stored === null ? '—' : `**${n(stored)}**`} | ${n(t.p50Ms, 1)} / ${n(t.p99Ms, 1)} | ${name === 'aedes' ? '1' + note : ratioByRound(row, x.aedes) + note} | ${name === 'mosquitto' ? '1' + note : ratioByRound(row, x.mosquitto) + note} |`)
  }
  lines.push('', `At a fixed ${n(s.rate)} readings/s, measured after ${WARMUP_SECONDS} s of the same load (the first seconds after a start, reported apart):`, '',
    '| broker | acked/s | PUBACK p50 / p99 (ms) | inside the gateway p50 / p99 (ms) | publish → dashboard p50 / p99 (ms) | CPU (% of one core) | peak RSS (MiB) | PUBACK p99 in the warm-up (ms) |', '|---|---|---|---|---|---|---|---|')
  for (const [name, row] of Object.entries(x)) {
    const f = row.rate
    if (!f) continue
    lines.push(`| ${name} | ${n(f.ackedPerSecond)} | ${n(f.pubackP50Ms, 1)} / ${n(f.pubackP99Ms, 1)} | ${f.gatewayAckP99Ms == null ? '—' : `${n(f.gatewayAckP50Ms, 1)} / ${n(f.gatewayAckP99Ms, 1)}`} | ${f.pushP50Ms === null ? '—' : `${n(f.pushP50Ms)} / ${n(f.pushP99Ms)}`} | ${n(f.cpuPct)} | ${n(f.peakRssMiB)} | ${f.warmupPubackP99Ms === null ? '—' : n(f.warmupPubackP99Ms, 1)} |`)
  }
  if (s.rounds > 1) {
    lines.push('', `Each figure above is the median of ${s.rounds} rounds; in each round every broker took its turn, and a ratio is the median of each round's own. The rounds, one after another:`, '',
      '| broker | stored/s (bare brokers: acked/s) | ÷ bare aedes | PUBACK p99 at the fixed rate (ms) | CPU at the fixed rate (%) |', '|---|---|---|---|---|')
    const bare = perRound(x.aedes)
    for (const [name, row] of Object.entries(x)) {
      const mine = perRound(row)
      const list = (values: Array<number | null | undefined>, digits = 0): string => values.map((v) => n(v, digits)).join(' · ')
      lines.push(`| ${name} | ${list(mine)} | ${bare.length === mine.length ? mine.map((v, i) => ratio(v, bare[i])).join(' · ') : '—'} | ${list(row.rounds.map((r) => r.rate?.pubackP99Ms), 1)} | ${list(row.rounds.map((r) => r.rate?.cpuPct))} |`)
    }
  }
  lines.push(...cpuBudget(r))
  const counts = [...new Set(Object.values(x).flatMap((row) => row.idle?.map((i) => i.connections) ?? []))]
  lines.push('', 'Memory per idle connection (resident memory growth ÷ connections, KB):', '', `| broker | ${counts.map((c) => `${n(c)} conn.`).join(' | ')} |`, `|---|${counts.map(() => '---|').join('')}`)
  for (const [name, row] of Object.entries(x)) {
    if (!row.idle) continue
    lines.push(`| ${name} | ${counts.map((c) => { const i = row.idle!.find((m) => m.connections === c); return i ? `${n(i.kbPerConnection, 1)} (RSS ${n(i.rssMiB)} MiB)` : '—' }).join(' | ')} |`)
  }
  const small = r.smallBox
  if (small?.rate && small.throughput) {
    lines.push('', `The small box: the gateway (SQLite) pinned to core ${small.cores.gateway} (\`taskset\`), the load generator to core ${small.cores.load}:`, '',
      `| stored/s (as fast as acknowledged) | PUBACK p50 / p99 at ${n(s.smallRate)}/s (ms) | acked/s at ${n(s.smallRate)}/s | publish → dashboard p50 / p99 (ms) | CPU (% of its core) | peak RSS (MiB) |`, '|---|---|---|---|---|---|',
      `| **${n(small.throughput.storedPerSecond)}** | ${n(small.rate.pubackP50Ms, 1)} / **${n(small.rate.pubackP99Ms, 1)}** | ${n(small.rate.ackedPerSecond)} | ${n(small.rate.pushP50Ms)} / ${n(small.rate.pushP99Ms)} | ${n(small.rate.cpuPct)} | ${n(small.rate.peakRssMiB)} |`)
  }
  return lines.join('\n') + '\n'
}

/**
 * What a reading costs the machine in the throughput phase, and who pays it. With every core
 * busy, a broker's rate is the machine's CPU divided by that cost. The gateway's allowance for
 * ½ of bare aedes is taken round by round (the two measured minutes apart, not a run apart:
 * this machine's speed moves), issue #18's "what stands in the way" in numbers.
 */
function cpuBudget (r: Report): string[] {
  const rows = Object.entries(r.results).filter(([, row]) => row.throughput !== undefined)
  if (rows.length === 0) return []
  const lines = ['', 'What a reading costs in the throughput phase: CPU time per acknowledged reading (µs; medians of the rounds), the broker\'s (every thread; the gateway\'s until its journal is empty again), its InfluxDB\'s, and the load generator\'s, on the same cores:', '',
    '| broker | the broker | its InfluxDB | the load generator | in all | the machine busy (%) |', '|---|---|---|---|---|---|']
  for (const [name, row] of rows) {
    const t = row.throughput!
    lines.push(`| ${name} | ${n(t.brokerCpuUs, 1)} | ${n(t.storeCpuUs, 1)} | ${n(t.loadCpuUs, 1)} | ${n(t.brokerCpuUs + (t.storeCpuUs ?? 0) + t.loadCpuUs, 1)} | ${n(t.machineBusyPct)} |`)
  }
  const bare = r.results.aedes?.rounds.map((round) => round.throughput)
  const gateways = rows.filter(([, row]) => row.throughput!.storedPerSecond !== null)
  if (!bare || bare.some((t) => !t) || gateways.length === 0) return lines
  lines.push('', `The gateway's CPU against its allowance for ½ of bare aedes, round by round: at half the round's bare aedes rate, ${r.cores} cores' CPU time a reading less the load generator's (in the gateway's turn). Under 1, the cores would have sufficed, had the machine been kept as busy as bare aedes kept it:`, '',
    '| broker | CPU a reading ÷ its allowance | the machine busy (%) | with bare aedes (%) |', '|---|---|---|---|')
  for (const [name, row] of gateways) {
    const shares = row.rounds.map((round, i) => {
      const t = round.throughput
      const a = bare[i]
      if (!t || !a) return '—'
      const allowed = r.cores * 1e6 / (a.ackedPerSecond / 2) - t.loadCpuUs
      // The generator alone over the budget: no CPU would have been enough.
      return allowed > 0 ? ((t.brokerCpuUs + (t.storeCpuUs ?? 0)) / allowed).toFixed(2) : '∞'
    })
    lines.push(`| ${name} | ${shares.join(' · ')} | ${row.rounds.map((round) => n(round.throughput?.machineBusyPct)).join(' · ')} | ${bare.map((t) => n(t!.machineBusyPct)).join(' · ')} |`)
  }
  return lines
}

/**
 * Replaces what lies between `<!-- name:begin -->` and `<!-- name:end -->` in docs/benchmarks.md
 * with `markdown`; prints it instead when the doc has no such markers.
 */
export function writeSection (name: string, markdown: string): void {
  const doc = readFileSync('docs/benchmarks.md', 'utf8')
  const [begin, end] = [`<!-- ${name}:begin -->`, `<!-- ${name}:end -->`]
  if (doc.includes(begin) && doc.includes(end)) {
    writeFileSync('docs/benchmarks.md', doc.slice(0, doc.indexOf(begin) + begin.length) + '\n' + markdown + '\n' + doc.slice(doc.indexOf(end)))
    console.error('docs/benchmarks.md updated')
  } else {
    console.log(markdown)
  }
}
