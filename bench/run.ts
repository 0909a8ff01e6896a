// `npm run bench`: readings per second from N simulated devices through the gateway into
// storage at QoS1, and the same load against a bare aedes broker for the ratio.
// The gateway, the bare broker and the load generator each run in their own process.
//
//   npm run bench -- [--devices 50] [--seconds 20] [--window 16] [--store sqlite|influxdb]
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { openState } from '../gateway/app.js'
import { configWith } from '../gateway/config/load.js'
import { Registry } from '../gateway/registry/registry.js'
import { startInfluxd, type Influxd } from '../test/support/influxd.js'
import { freePort } from '../test/support/ports.js'

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    window: { type: 'string', default: '16' },
    store: { type: 'string', default: 'sqlite' }
  }
})
const devicesN = Number(values.devices)
const seconds = Number(values.seconds)
const window = Number(values.window)

interface LoadResult { acked: number; failed: number; seconds: number; p50Ms: number; p99Ms: number }

function tsx (script: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
}

async function firstLine (child: ChildProcess): Promise<string> {
  let out = ''
  for await (const chunk of child.stdout!) {
    out += String(chunk)
    if (out.includes('\n')) return out.slice(0, out.indexOf('\n'))
  }
  throw new Error('process ended without output')
}

async function load (url: string, devices: Array<{ id: string; secret: string }>): Promise<LoadResult> {
  const child = tsx('bench/load.ts', [JSON.stringify({ url, seconds, window, devices })])
  return JSON.parse(await firstLine(child)) as LoadResult
}

async function metric (httpPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text()
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
}

async function gatewayRun (): Promise<LoadResult & { storedPerSecond: number; drainSeconds: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-'))
  let influxd: Influxd | null = null
  try {
    const db = openState(configWith({ dataDir }))
    const registry = new Registry(db, 'Xã đo')
    const devices = Array.from({ length: devicesN }, (_, i) => registry.create({ kind: 'water_sensor', name: `Trạm ${i}`, village: 'Thôn Đo' }))
      .map(({ device, secret }) => ({ id: device.id, secret }))
    db.close()
    const env: Record<string, string> = {}
    if (values.store === 'influxdb') { influxd = await startInfluxd(); env.GATEWAY_INFLUX_URL = influxd.url }
    const [mqttPort, httpPort] = [await freePort(), await freePort()]
    const gateway = tsx('gateway/main.ts', [], {
      ...env,
      GATEWAY_DATA_DIR: dataDir, GATEWAY_LOG_LEVEL: 'warn', GATEWAY_MQTT_HOST: '127.0.0.1', GATEWAY_MQTT_PORT: String(mqttPort),
      GATEWAY_MQTT_WS_PORT: 'off', GATEWAY_HTTP_HOST: '127.0.0.1', GATEWAY_HTTP_PORT: String(httpPort)
    })
    gateway.stdout!.resume()
    while (!(await fetch(`http://127.0.0.1:${httpPort}/health`).then(() => true, () => false))) await sleep(100)
    const started = performance.now()
    const result = await load(`mqtt://127.0.0.1:${mqttPort}`, devices)
    // Stored means confirmed by the store: wait until the journal is empty.
    while ((await metric(httpPort, 'gateway_journal_depth')) > 0) await sleep(50)
    const drainSeconds = (performance.now() - started) / 1000
    const stored = await metric(httpPort, 'gateway_readings_stored_total')
    gateway.kill('SIGTERM')
    await once(gateway, 'exit')
    return { ...result, storedPerSecond: stored / drainSeconds, drainSeconds }
  } finally {
    await influxd?.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function bareRun (): Promise<LoadResult> {
  const broker = tsx('bench/bare-broker.ts', [])
  const { port } = JSON.parse(await firstLine(broker)) as { port: number }
  try {
    const devices = Array.from({ length: devicesN }, (_, i) => ({ id: `bare-${i}`, secret: 'x' }))
    return await load(`mqtt://127.0.0.1:${port}`, devices)
  } finally {
    broker.kill('SIGTERM')
  }
}

const bare = await bareRun()
const gateway = await gatewayRun()
const perSecond = (r: LoadResult): number => Math.round(r.acked / r.seconds)
const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  settings: { devices: devicesN, seconds, window, store: values.store },
  bare: { ackedPerSecond: perSecond(bare), p50Ms: bare.p50Ms, p99Ms: bare.p99Ms },
  gateway: {
    ackedPerSecond: perSecond(gateway), storedPerSecond: Math.round(gateway.storedPerSecond),
    p50Ms: gateway.p50Ms, p99Ms: gateway.p99Ms, failed: gateway.failed
  },
  ratio: Math.round((gateway.storedPerSecond / perSecond(bare)) * 1000) / 1000
}
mkdirSync('bench/out', { recursive: true })
writeFileSync(`bench/out/${values.store}.json`, JSON.stringify(report, null, 2) + '\n')
console.log(JSON.stringify(report, null, 2))
