// The brokers a benchmark run compares, each in its own process: the gateway (embedded SQLite
// or InfluxDB 1.6.7 on the same machine), bare aedes (no processing at all) and Debian's
// Mosquitto. The references run without authentication; the gateway checks every device.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { openState } from '../gateway/app.js'
import { configWith } from '../gateway/config/load.js'
import { Registry } from '../gateway/registry/registry.js'
import { startInfluxd, type Influxd } from '../test/support/influxd.js'
import { freePort } from '../test/support/ports.js'

export interface Device { id: string; secret: string }

export interface Broker {
  name: 'gateway-sqlite' | 'gateway-influxdb' | 'aedes' | 'mosquitto'
  url: string
  pid: number
  /** A process that works for it and is counted with it: the gateway's InfluxDB. */
  storePid?: number
  /** The gateway's HTTP port and admin token (for metrics and the live socket). */
  http?: { port: number; token: string }
  stop (): Promise<void>
}

/** `cpus` pins the process to those cores (taskset, util-linux), for the small-box figure. */
export function tsx (script: string, args: string[], env: Record<string, string> = {}, extraNodeArgs: string[] = [], cpus?: string): ChildProcess {
  const command = [process.execPath, ...extraNodeArgs, '--import', 'tsx', script, ...args]
  // taskset execs the command: the child's pid is the process measured.
  const [file, ...rest] = cpus === undefined ? command : ['taskset', '-c', cpus, ...command]
  return spawn(file!, rest, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
}

export async function firstLine (child: ChildProcess): Promise<string> {
  let out = ''
  for await (const chunk of child.stdout!) {
    out += String(chunk)
    if (out.includes('\n')) return out.slice(0, out.indexOf('\n'))
  }
  throw new Error('process ended without output')
}

async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  await once(child, 'exit')
}

export async function startBare (): Promise<Broker> {
  const child = tsx('bench/bare-broker.ts', [])
  const { port } = JSON.parse(await firstLine(child)) as { port: number }
  child.stdout!.resume()
  return { name: 'aedes', url: `mqtt://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) }
}

export async function startMosquitto (): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mosquitto-'))
  const port = await freePort()
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\nlog_dest none\n`)
  // Debian puts it in /usr/sbin, which is not on every user's PATH.
  const child = spawn(existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'inherit'] })
  const url = `mqtt://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    const { connect } = await import('node:net')
    const up = await new Promise<boolean>((resolve) => { const s = connect(port, '127.0.0.1', () => { s.end(); resolve(true) }); s.on('error', () => resolve(false)) })
    if (up) break
    await sleep(50)
  }
  return { name: 'mosquitto', url, pid: child.pid!, stop: async () => { await stopChild(child); rmSync(dir, { recursive: true, force: true }) } }
}

/** The gateway as `npm start` runs it, with `count` devices registered; returns their secrets too. */
export async function startGatewayBroker (store: 'sqlite' | 'influxdb', count: number, nodeArgs: string[] = [], extraEnv: Record<string, string> = {}, cpus?: string): Promise<{ broker: Broker; devices: Device[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-'))
  const db = openState(configWith({ dataDir }))
  const registry = new Registry(db, 'Xã đo')
  const devices = Array.from({ length: count }, (_, i) => registry.create({ kind: 'water_sensor', name: `Trạm ${i}`, village: `Thôn ${i % 20}` }))
    .map(({ device, secret }) => ({ id: device.id, secret }))
  db.close()
  let influxd: Influxd | null = null
  const env: Record<string, string> = { ...extraEnv }
  if (store === 'influxdb') { influxd = await startInfluxd(); env.GATEWAY_INFLUX_URL = influxd.url }
  const [mqttPort, httpPort] = [await freePort(), await freePort()]
  const token = 'bench-admin-token-0123456789'
  const child = tsx('gateway/main.ts', [], {
    ...env,
    GATEWAY_DATA_DIR: dataDir, GATEWAY_LOG_LEVEL: 'warn', GATEWAY_MQTT_HOST: '127.0.0.1', GATEWAY_MQTT_PORT: String(mqttPort),
    GATEWAY_MQTT_WS_PORT: 'off', GATEWAY_HTTP_HOST: '127.0.0.1', GATEWAY_HTTP_PORT: String(httpPort), GATEWAY_ADMIN_TOKEN: token
  }, nodeArgs, cpus)
  child.stdout!.resume()
  while (!(await fetch(`http://127.0.0.1:${httpPort}/health`).then(() => true, () => false))) await sleep(100)
  return {
    devices,
    broker: {
      name: store === 'sqlite' ? 'gateway-sqlite' : 'gateway-influxdb',
      url: `mqtt://127.0.0.1:${mqttPort}`,
      pid: child.pid!,
      storePid: influxd?.pid,
      http: { port: httpPort, token },
      stop: async () => {
        await stopChild(child)
        await influxd?.destroy()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  }
}

/** A histogram's cumulative bucket counts by upper bound (seconds), from the gateway's /metrics. */
export async function histogram (httpPort: number, name: string): Promise<Map<number, number>> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text()
  const out = new Map<number, number>()
  for (const m of text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))) out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]))
  return out
}

/**
 * The q-quantile of what a histogram counted between two readings of it, interpolated
 * linearly inside its bucket (as Prometheus' histogram_quantile does); null if none.
 */
export function quantileBetween (before: Map<number, number>, after: Map<number, number>, q: number): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b)
  const count = (le: number) => (after.get(le) ?? 0) - (before.get(le) ?? 0)
  const total = count(Infinity)
  if (total === 0) return null
  const rank = q * total
  let lower = 0
  let below = 0
  for (const le of bounds) {
    const at = count(le)
    if (at >= rank) return le === Infinity ? lower : lower + (le - lower) * (rank - below) / Math.max(1, at - below)
    lower = le
    below = at
  }
  return null
}

export async function metric (httpPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text()
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
}
