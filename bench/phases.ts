// The measurements of a run, each against a started broker: throughput as fast as
// acknowledged, a fixed rate with PUBACK and dashboard-push latency, CPU and peak memory, and
// memory per idle connection.
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { io as connectSocket } from 'socket.io-client'
import type { DevicesDelta } from '../gateway/realtime/protocol.js'
import { firstLine, histogram, metric, quantileBetween, tsx, type Broker, type Device } from './brokers.js'
import { cpuSeconds, machineSeconds, peakRssKb, rssKb } from './proc.js'

export interface LoadResult { acked: number; failed: number; seconds: number; cpuSeconds: number; p50Ms: number; p99Ms: number }

/**
 * Arguments for a child process, in a file (10,000 devices' credentials do not fit in argv);
 * the file goes when the child has read it (it prints its first line after reading).
 */
function argsFile (args: unknown): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-args-'))
  const path = join(dir, 'args.json')
  writeFileSync(path, JSON.stringify(args))
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** `cpus`: the load generator pinned to those cores (the small-box figure). */
export async function load (url: string, devices: Device[], options: { seconds: number; window: number; rate?: number }, cpus?: string): Promise<LoadResult> {
  const args = argsFile({ url, devices, ...options })
  try {
    return JSON.parse(await firstLine(tsx('bench/load.ts', [args.path], {}, [], cpus))) as LoadResult
  } finally {
    args.remove()
  }
}

export interface Throughput {
  ackedPerSecond: number; storedPerSecond: number | null; p50Ms: number; p99Ms: number; failed: number
  /**
   * CPU time per acknowledged reading (µs): the broker's (every thread; for the gateway until
   * its journal is empty again), its InfluxDB's, and the load generator's; and how busy the
   * whole machine was meanwhile. With every core busy, these say what a reading costs the
   * machine and who pays it (issue #18's ratio to bare aedes).
   */
  brokerCpuUs: number; storeCpuUs: number | null; loadCpuUs: number; machineBusyPct: number
}

/** As fast as acknowledged; for the gateway, "stored" waits until the journal is empty again. */
export async function throughput (broker: Broker, devices: Device[], seconds: number, window: number, loadCpus?: string): Promise<Throughput> {
  // Stored before this phase (the fixed-rate phase ran first) does not count.
  const storedBefore = broker.http ? await metric(broker.http.port, 'gateway_readings_stored_total') : 0
  const cpu0 = { broker: cpuSeconds(broker.pid), store: broker.storePid ? cpuSeconds(broker.storePid) : 0, machine: machineSeconds() }
  const started = performance.now()
  const r = await load(broker.url, devices, { seconds, window }, loadCpus)
  let stored: number | null = null
  if (broker.http) {
    while ((await metric(broker.http.port, 'gateway_journal_depth')) > 0) await sleep(50)
    stored = ((await metric(broker.http.port, 'gateway_readings_stored_total')) - storedBefore) / ((performance.now() - started) / 1000)
  }
  const machine = machineSeconds()
  const perReading = (cpu: number): number => round(cpu / Math.max(1, r.acked) * 1e6)
  return {
    ackedPerSecond: Math.round(r.acked / r.seconds), storedPerSecond: stored === null ? null : Math.round(stored), p50Ms: round(r.p50Ms), p99Ms: round(r.p99Ms), failed: r.failed,
    brokerCpuUs: perReading(cpuSeconds(broker.pid) - cpu0.broker),
    storeCpuUs: broker.storePid ? perReading(cpuSeconds(broker.storePid) - cpu0.store) : null,
    loadCpuUs: perReading(r.cpuSeconds),
    machineBusyPct: Math.round((machine.busy - cpu0.machine.busy) / (machine.all - cpu0.machine.all) * 100)
  }
}

export interface FixedRate {
  rate: number; ackedPerSecond: number; pubackP50Ms: number; pubackP99Ms: number; pushP50Ms: number | null; pushP99Ms: number | null; cpuPct: number; peakRssMiB: number
  /** The warm-up's PUBACK p99 (the first seconds of load after the broker started), reported apart. */
  warmupPubackP99Ms: number | null
  /** The gateway's own figure (gateway_reading_ack_seconds): arrival to acknowledgement, without the network and the load generator. */
  gatewayAckP50Ms: number | null
  gatewayAckP99Ms: number | null
}

/** Load before a fixed-rate measurement, not counted in it: V8 compiles the hot path in the first seconds. */
export const WARMUP_SECONDS = 5

/**
 * A steady rate. Publish-to-dashboard: a socket.io client subscribed like the dashboard; for
 * every device in every delta, the time from the newest reading's stamp (the publisher's wall
 * clock, same machine) to the delta's arrival.
 */
export async function fixedRate (broker: Broker, devices: Device[], rate: number, seconds: number, loadCpus?: string, warmupSeconds = WARMUP_SECONDS): Promise<FixedRate> {
  const warmup = warmupSeconds > 0 ? await load(broker.url, devices, { seconds: warmupSeconds, window: 1, rate }, loadCpus) : null
  const push: number[] = []
  const socket = broker.http ? connectSocket(`http://127.0.0.1:${broker.http.port}`, { transports: ['websocket'], auth: { token: broker.http.token }, reconnection: false }) : null
  if (socket) {
    await new Promise<void>((resolve, reject) => { socket.on('connect', resolve); socket.on('connect_error', reject) })
    await socket.emitWithAck('subscribe', 'water_sensor')
    const seen = new Map<string, number>()
    const since = Date.now()
    socket.on('devices', (delta: DevicesDelta) => {
      const now = Date.now()
      for (const d of delta.devices) {
        // Only readings of this phase, each counted once.
        const ts = d.latest.levelM?.ts
        if (ts !== undefined && ts >= since && ts > (seen.get(d.id) ?? 0)) { seen.set(d.id, ts); push.push(now - ts) }
      }
    })
  }
  const ACK = 'gateway_reading_ack_seconds'
  const acks0 = broker.http ? await histogram(broker.http.port, ACK) : null
  const cpu0 = cpuSeconds(broker.pid)
  const t0 = performance.now()
  const r = await load(broker.url, devices, { seconds, window: 1, rate }, loadCpus)
  const elapsed = (performance.now() - t0) / 1000
  const cpu = cpuSeconds(broker.pid) - cpu0
  const acks = broker.http ? await histogram(broker.http.port, ACK) : null
  const ackMs = (q: number): number | null => {
    const seconds = acks0 && acks ? quantileBetween(acks0, acks, q) : null
    return seconds === null ? null : round(seconds * 1000)
  }
  await sleep(500)
  socket?.disconnect()
  push.sort((a, b) => a - b)
  const pct = (p: number) => push.length ? push[Math.min(push.length - 1, Math.floor(p * push.length))]! : null
  return {
    rate, ackedPerSecond: Math.round(r.acked / r.seconds), pubackP50Ms: round(r.p50Ms), pubackP99Ms: round(r.p99Ms),
    pushP50Ms: pct(0.5), pushP99Ms: pct(0.99), cpuPct: Math.round(cpu / elapsed * 100), peakRssMiB: Math.round(peakRssKb(broker.pid) / 1024),
    warmupPubackP99Ms: warmup && round(warmup.p99Ms),
    gatewayAckP50Ms: ackMs(0.5),
    gatewayAckP99Ms: ackMs(0.99)
  }
}

export interface IdleMemory { connections: number; rssMiB: number; kbPerConnection: number }

/** Resident memory of the broker with 0, then each count of idle connections (added cumulatively). */
export async function idleMemory (broker: Broker, devices: Device[], counts: number[]): Promise<IdleMemory[]> {
  await sleep(1000)
  const base = rssKb(broker.pid)
  const holders = []
  const out: IdleMemory[] = []
  let open = 0
  try {
    for (const count of counts) {
      const args = argsFile({ url: broker.url, devices: devices.slice(open, count) })
      const child = tsx('bench/idle.ts', [args.path])
      holders.push(child)
      await firstLine(child).finally(args.remove)
      open = count
      await sleep(2000)
      const rss = rssKb(broker.pid)
      out.push({ connections: count, rssMiB: Math.round(rss / 1024), kbPerConnection: round((rss - base) / count) })
    }
  } finally {
    for (const child of holders) { child.kill('SIGTERM'); await once(child, 'exit') }
  }
  return out
}

const round = (n: number): number => Math.round(n * 10) / 10
