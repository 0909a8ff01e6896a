// `npm run bench:broadcast`: an emergency bulletin to 500 simulated clusters, and how long
// until every one confirms it is playing. The gateway (SQLite) runs here; the clusters run
// in their own process, each a real MQTT client that fetches the audio over HTTP. The
// bulletin is spoken by espeak-ng and sent by an official who may approve, through the API.
//
//   npm run bench:broadcast -- [--clusters 500] [--villages 25]
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { startGateway } from '../gateway/app.js'
import { configWith } from '../gateway/config/load.js'
import { createLogger } from '../gateway/log.js'

const { values } = parseArgs({ options: { clusters: { type: 'string', default: '500' }, villages: { type: 'string', default: '25' } } })
const [clustersN, villagesN] = [Number(values.clusters), Number(values.villages)]
const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-bc-'))
const gw = await startGateway(configWith({ dataDir, mqttPort: 0, mqttWsPort: 'off', httpPort: 0, httpHost: '127.0.0.1', mqttHost: '127.0.0.1' }), createLogger('silent'))
const devices = Array.from({ length: clustersN }, (_, i) => {
  const { device, secret } = gw.registry.create({ kind: 'speaker', name: `Cụm loa ${i + 1}`, village: `Thôn ${(i % villagesN) + 1}` })
  return { id: device.id, secret }
})
const argsFile = join(dataDir, 'clusters.json')
writeFileSync(argsFile, JSON.stringify({ url: `mqtt://127.0.0.1:${gw.mqtt.tcp.port}`, devices }))
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/clusters.ts', argsFile], { stdio: ['ignore', 'pipe', 'inherit'] })
try {
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => { if (line === 'ready') resolve() })
    child.once('exit', (code) => reject(new Error(`clusters exited with ${code}`)))
  })
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const online = devices.filter((d) => gw.presence.get(d.id).online).length

  await gw.users.create({ username: 'canbo', displayName: 'Cán bộ', role: 'official', password: 'bench-password-1', mayApprove: true })
  const base = `http://127.0.0.1:${gw.http.port}`
  const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'canbo', password: 'bench-password-1' }) })
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  const { csrfToken } = await login.json() as { csrfToken: string }
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return await res.json() as { id: string; durationMs: number }
  }
  const clip = await post('/api/audio/speech', { text: 'Thông báo khẩn cấp: nước hồ đang lên nhanh, bà con khẩn trương sơ tán lên nơi cao.' })

  const sent = performance.now()
  const b = await post('/api/broadcasts', { title: 'Cảnh báo khẩn cấp', priority: 'emergency', clipId: clip.id, targets: { all: true }, ttlS: 600, action: 'send' })
  const acceptedMs = performance.now() - sent
  const firstPlaying = new Map<string, number>()
  const firstDelivered = new Map<string, number>()
  const off = gw.bus.on('command', (c) => {
    const at = performance.now() - sent
    if (c.status === 'accepted' && !firstDelivered.has(c.deviceId)) firstDelivered.set(c.deviceId, at)
    if (c.status === 'in_progress' && !firstPlaying.has(c.deviceId)) firstPlaying.set(c.deviceId, at)
  })
  const deadline = performance.now() + 120_000
  while (firstPlaying.size < clustersN && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  off()
  const times = [...firstPlaying.values()].sort((x, y) => x - y)
  const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN)
  const report = {
    date: new Date().toISOString(), clusters: clustersN, online, audioMs: clip.durationMs,
    apiAnsweredMs: Math.round(acceptedMs),
    playing: firstPlaying.size, delivered: firstDelivered.size,
    allPlayingMs: times.length === clustersN ? Math.round(times.at(-1)!) : null,
    playingP50Ms: pct(0.5), playingP90Ms: pct(0.9), firstPlayingMs: pct(0),
    summary: gw.broadcasts.service.summary(b.id)
  }
  mkdirSync('bench/out', { recursive: true })
  writeFileSync('bench/out/broadcast.json', JSON.stringify(report, null, 2) + '\n')
  console.log(JSON.stringify(report, null, 2))
} finally {
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
  await gw.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
