// The benchmark harness works end to end in its quick mode and leaves nothing running: every
// broker (bare aedes, Mosquitto, the gateway on SQLite and on InfluxDB) answers, the gateway
// stores what it acknowledged, the dashboard latency is measured. No figure is judged here.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import type { Throughput } from '../bench/phases.js'
import { reportMarkdown } from '../bench/report.js'

const run = promisify(execFile)
/** How many processes match (pgrep exits 1, printing 0, when none does). */
const running = async (...pattern: string[]): Promise<number> =>
  Number((await run('pgrep', ['-c', ...pattern]).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '0' }))).stdout.trim() || 0)

test('npm run bench -- --quick measures every broker and stops them all', { timeout: 240_000 }, async () => {
  // Other tests start and stop their own gateways and influxd: count only what is the bench's own.
  const before = await running('-x', 'mosquitto')
  const helpersBefore = await running('-f', 'bench/(idle|load|bare-broker).ts')
  await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--rounds', '2', '--seconds', '2'], { maxBuffer: 10 * 1024 * 1024 })
  const report = JSON.parse(readFileSync('bench/out/report.json', 'utf8')) as { settings: { quick: boolean; rounds: number }; results: Record<string, { rounds: Array<{ throughput: { ackedPerSecond: number } }>; throughput?: Throughput; rate?: { ackedPerSecond: number; pushP50Ms: number | null; gatewayAckP99Ms: number | null }; idle?: Array<{ connections: number }> }>; smallBox: { throughput: { storedPerSecond: number }; rate: { pubackP99Ms: number } } }
  expect(report.settings).toMatchObject({ quick: true, rounds: 2 })
  expect(Object.keys(report.results)).toEqual(['aedes', 'mosquitto', 'gateway-sqlite', 'gateway-influxdb'])
  for (const [name, r] of Object.entries(report.results)) {
    expect(r.throughput!.ackedPerSecond, name).toBeGreaterThan(0)
    expect(r.rate!.ackedPerSecond, name).toBeGreaterThan(0)
    // Every broker took its turn in both rounds; the figure reported is their median (here, the mean of two).
    const acked = r.rounds.map((round) => round.throughput.ackedPerSecond)
    expect(acked, name).toHaveLength(2)
    expect(r.throughput!.ackedPerSecond, name).toBe((acked[0]! + acked[1]!) / 2)
  }
  // What a reading cost, and who paid: the broker, its InfluxDB (the gateway's only), the generator.
  for (const [name, r] of Object.entries(report.results)) {
    const t = r.throughput!
    expect(t.brokerCpuUs, name).toBeGreaterThan(0)
    expect(t.loadCpuUs, name).toBeGreaterThan(0)
    expect(t.machineBusyPct, name).toBeGreaterThan(0)
    expect(t.machineBusyPct, name).toBeLessThanOrEqual(100)
    if (name === 'gateway-influxdb') expect(t.storeCpuUs, name).toBeGreaterThan(0)
    else expect(t.storeCpuUs, name).toBeNull()
  }
  const markdown = reportMarkdown(JSON.parse(readFileSync('bench/out/report.json', 'utf8')) as Parameters<typeof reportMarkdown>[0])
  expect(markdown).toMatch(/\| gateway-influxdb \| [\d.,]+ \| [\d.,]+ \| [\d.,]+ \| [\d.,]+ \| \d+ \|/)
  // Each round's share of the allowance for half of that round's bare aedes.
  expect(markdown).toMatch(/\| gateway-sqlite \| \d+\.\d\d · \d+\.\d\d \| \d+ · \d+ \| \d+ · \d+ \|/)
  for (const name of ['gateway-sqlite', 'gateway-influxdb']) {
    expect(report.results[name]!.throughput!.storedPerSecond).toBeGreaterThan(0)
    expect(report.results[name]!.rate!.pushP50Ms).not.toBeNull()
    // The gateway's own time from arrival to acknowledgement, read from its histogram.
    expect(report.results[name]!.rate!.gatewayAckP99Ms).toBeGreaterThan(0)
  }
  expect(report.results.aedes!.rate!.gatewayAckP99Ms).toBeNull()
  expect(report.results['gateway-sqlite']!.idle!.map((i) => i.connections)).toEqual([200, 500])
  // The small box: the gateway on one core, the load on the other.
  expect(report.smallBox.throughput.storedPerSecond).toBeGreaterThan(0)
  expect(report.smallBox.rate.pubackP99Ms).toBeGreaterThan(0)
  expect(await running('-x', 'mosquitto')).toBe(before)
  expect(await running('-f', 'bench/(idle|load|bare-broker).ts')).toBe(helpersBefore)
})
