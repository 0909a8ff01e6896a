// `npm run bench:dashboard`: is the dashboard smooth with 10,000 devices? A gateway with
// 10,000 cameras registered, 200 of them publishing over MQTT, and the police camera page
// open in a real Chromium. Measures the time to the first rows of the snapshot, then, while
// readings stream in, the page's frame intervals and long tasks (the browser's own
// PerformanceObserver), and the JavaScript heap.
//
//   npm run bench:dashboard -- [--devices 10000] [--publishers 200] [--rate 5] [--seconds 10]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { connectAsync, type MqttClient } from 'mqtt'
import { buildDashboard } from '../dashboard/build.js'
import { startGateway } from '../gateway/app.js'
import { configWith } from '../gateway/config/load.js'
import { createLogger } from '../gateway/log.js'
import { launchChromium, signedInPage } from '../test/support/browser.js'

const { values } = parseArgs({ options: {
  devices: { type: 'string', default: '10000' }, publishers: { type: 'string', default: '200' },
  rate: { type: 'string', default: '5' }, seconds: { type: 'string', default: '10' }
} })
const [devicesN, publishersN, rate, seconds] = [Number(values.devices), Number(values.publishers), Number(values.rate), Number(values.seconds)]

await buildDashboard({ quiet: true })
const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-dash-'))
const gw = await startGateway(configWith({ dataDir, mqttPort: 0, mqttWsPort: 'off', httpPort: 0, httpHost: '127.0.0.1', mqttHost: '127.0.0.1' }), createLogger('silent'))
const browser = await launchChromium()
const clients: MqttClient[] = []
try {
  const secrets: Array<{ id: string; secret: string }> = []
  for (let i = 0; i < devicesN; i++) {
    const { device, secret } = gw.registry.create({ kind: 'camera', name: `Camera ${i}`, village: `Thôn ${i % 40}`, lat: 16.4 + (i % 100) / 1000, lon: 107.5 + Math.floor(i / 100) / 1000 })
    if (i < publishersN) secrets.push({ id: device.id, secret })
  }
  for (const s of secrets) clients.push(await connectAsync(`mqtt://127.0.0.1:${gw.mqtt.tcp.port}`, { clientId: s.id, username: s.id, password: s.secret, reconnectPeriod: 0 }))
  await gw.users.create({ username: 'congan', displayName: 'Công an', role: 'police', password: 'bench-password-1' })
  const base = `http://127.0.0.1:${gw.http.port}`
  let deltas = 0
  const page = await signedInPage(browser, base, 'congan', 'bench-password-1', {
    before: (p) => { p.on('websocket', (ws) => ws.on('framereceived', (frame) => { if (String(frame.payload).startsWith('42["devices"')) deltas++ })) }
  })

  const opened = performance.now()
  await page.goto(`${base}/#/cameras`)
  await page.locator('.vbody .vrow').first().waitFor({ timeout: 60_000 })
  const snapshotMs = performance.now() - opened
  const rowsRendered = await page.locator('.vbody .vrow').count()

  // Frame intervals and long tasks while readings stream in.
  // A string, not a function: tsx would wrap named functions in a helper the page lacks.
  await page.evaluate(`(() => {
    const g = globalThis
    g.frames = []; g.longTasks = []; g.stop = false
    new PerformanceObserver((list) => { for (const e of list.getEntries()) g.longTasks.push(e.duration) }).observe({ type: 'longtask' })
    let last = performance.now()
    const tick = (now) => { g.frames.push(now - last); last = now; if (!g.stop) requestAnimationFrame(tick) }
    requestAnimationFrame(tick)
  })()`)
  const deltasBefore = deltas
  const cpuBefore = process.cpuUsage()
  const started = Date.now()
  let sent = 0
  while (Date.now() - started < seconds * 1000) {
    const tickStart = Date.now()
    await Promise.all(clients.map((c, i) => c.publishAsync(`commune/v1/${secrets[i]!.id}/telemetry`, JSON.stringify({ fps: 10 + (sent % 15), streamAlive: true, recording: sent % 7 !== 0 }), { qos: 1 })))
    sent += clients.length
    await sleep(Math.max(0, 1000 / rate - (Date.now() - tickStart)))
  }
  const cpu = process.cpuUsage(cpuBefore)
  const page$ = await page.evaluate(() => {
    const g = globalThis as unknown as { frames: number[]; longTasks: number[]; stop: boolean }
    g.stop = true
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
    return { frames: g.frames, longTasks: g.longTasks, heapBytes: memory?.usedJSHeapSize ?? null }
  })
  const sorted = [...page$.frames].sort((a, b) => a - b)
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
  const result = {
    date: new Date().toISOString(), cpus: cpus()[0]?.model, devices: devicesN, publishers: publishersN, readingsPerSecond: Math.round(sent / seconds),
    snapshotMs: Math.round(snapshotMs), rowsRendered, deltasPerSecond: +((deltas - deltasBefore) / seconds).toFixed(1),
    frameMs: { p50: +pct(0.5).toFixed(1), p95: +pct(0.95).toFixed(1), max: +(sorted.at(-1) ?? 0).toFixed(1), frames: sorted.length },
    longTasks: { count: page$.longTasks.length, totalMs: Math.round(page$.longTasks.reduce((a, b) => a + b, 0)) },
    heapMiB: page$.heapBytes === null ? null : +(page$.heapBytes / 1048576).toFixed(1),
    gatewayAndLoadCpuPct: Math.round((cpu.user + cpu.system) / 1000 / (seconds * 1000) * 100)
  }
  mkdirSync('bench/out', { recursive: true })
  writeFileSync('bench/out/dashboard.json', JSON.stringify(result, null, 2) + '\n')
  console.log(JSON.stringify(result, null, 2))
} finally {
  await Promise.all(clients.map((c) => c.endAsync(true)))
  await browser.close()
  await gw.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
