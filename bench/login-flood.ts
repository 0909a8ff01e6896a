// `npm run bench:login-flood` (issue #14): does the dashboard stay fast while strangers flood
// the login and post large bodies? A gateway process; the times of the dashboard page (HTML
// and script), a real person's login, a loudspeaker's download of an emergency bulletin's
// audio (/media/<token>) and /health, unloaded and under each flood, which runs in its own
// process (bench/flood-client.ts). Writes bench/out/login-flood.json and the table of
// docs/benchmarks.md between its markers.
//   npm run bench:login-flood -- [--samples 15]
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { connectAsync } from 'mqtt'
import { buildDashboard } from '../dashboard/build.js'
import { openState } from '../gateway/app.js'
import { configWith } from '../gateway/config/load.js'
import { Users } from '../gateway/users/users.js'
import { spawnGateway } from '../test/support/child-gateway.js'
import { freePort } from '../test/support/ports.js'
import { rssKb } from './proc.js'
import { writeSection } from './report.js'

const { values } = parseArgs({ options: { samples: { type: 'string', default: '15' } } })
const SAMPLES = Number(values.samples)
const PASSWORD = 'Đồng-lúa-Phong-Thạnh-7f3a'
const TOKEN = 'bench-admin-token-0123456789'

await buildDashboard({ quiet: true })
const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-flood-'))
const [httpPort, mqttPort] = [await freePort(), await freePort()]
const base = `http://127.0.0.1:${httpPort}`
const db = openState(configWith({ dataDir }))
const users = new Users(db)
await users.create({ username: 'vanhanh', displayName: 'Vận hành', role: 'operator', password: PASSWORD })
const approver = await users.create({ username: 'canbo', displayName: 'Cán bộ', role: 'official', password: PASSWORD })
await users.update(approver.id, { mayApprove: true })
db.close()

const gateway = await spawnGateway({
  GATEWAY_DATA_DIR: dataDir, GATEWAY_HTTP_PORT: String(httpPort), GATEWAY_MQTT_PORT: String(mqttPort), GATEWAY_MQTT_WS_PORT: 'off',
  GATEWAY_ADMIN_TOKEN: TOKEN, GATEWAY_PUBLIC_URL: base, GATEWAY_ALARM_SWEEP_S: '60'
}, httpPort)
const pid = gateway.process.pid!

async function login (username: string): Promise<{ status: number; cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
  const body = await res.json() as { csrfToken?: string }
  return { status: res.status, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? '', csrf: body.csrfToken ?? '' }
}

/** An emergency bulletin sent to one loudspeaker, which hears its play command: the audio's URL. */
async function bulletinAudioUrl (): Promise<string> {
  const made = await fetch(`${base}/api/devices`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'speaker', name: 'Cụm loa chợ', village: 'Thôn Đông' }) })
  const { device, secret } = await made.json() as { device: { id: string }; secret: string }
  const speaker = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: device.id, username: device.id, password: secret, reconnectPeriod: 0 })
  const url = new Promise<string>((resolve) => speaker.on('message', (_t, payload) => {
    const cmd = JSON.parse(payload.toString()) as { params?: { audioUrl?: string } }
    if (cmd.params?.audioUrl) resolve(cmd.params.audioUrl)
  }))
  await speaker.subscribeAsync(`commune/v1/${device.id}/cmd`, { qos: 1 })
  await speaker.publishAsync(`commune/v1/${device.id}/status`, '{"state":"online"}', { qos: 1, retain: true })
  const who = await login('canbo')
  const headers = { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' }
  const clip = await (await fetch(`${base}/api/audio/speech`, { method: 'POST', headers, body: JSON.stringify({ text: 'Thông báo khẩn cấp: nước hồ đang lên nhanh.' }) })).json() as { id: string }
  const sent = await fetch(`${base}/api/broadcasts`, { method: 'POST', headers,
    body: JSON.stringify({ title: 'Khẩn cấp', priority: 'emergency', clipId: clip.id, targets: { devices: [device.id] }, action: 'send' }) })
  if (sent.status !== 201) throw new Error(`bulletin not sent: ${await sent.text()}`)
  const audioUrl = await url
  await speaker.endAsync(true)
  return audioUrl
}

const audioUrl = await bulletinAudioUrl()
const script = /<script[^>]+src="([^"]+)"/.exec(await (await fetch(base)).text())?.[1] ?? '/assets/main.js'

const timed = async (fn: () => Promise<unknown>): Promise<number> => { const t0 = performance.now(); await fn(); return performance.now() - t0 }
const read = async (path: string): Promise<number> => { const res = await fetch(path.startsWith('http') ? path : base + path); await res.arrayBuffer(); return res.status }
const PROBES = {
  dashboard: async () => { await read('/'); await read(script) },
  login: async () => { const { status } = await login('vanhanh'); if (status !== 201) loginRefusals++ },
  media: async () => { if (await read(audioUrl) !== 200) throw new Error('media not served') },
  health: async () => { await read('/health') }
}
let loginRefusals = 0

interface Phase { name: string; flood: string[] | null }
const PHASES: Phase[] = [
  { name: 'unloaded', flood: null },
  { name: '64 concurrent logins, random usernames, one address', flood: ['--mode', 'login', '--concurrency', '64', '--from', '127.0.0.2'] },
  { name: '64 concurrent logins, random usernames, each from a new address', flood: ['--mode', 'login', '--concurrency', '64', '--from', 'spread'] },
  { name: '200 concurrent unauthenticated 4.9 MB posts', flood: ['--mode', 'large', '--concurrency', '200', '--from', '127.0.0.3'] }
]

const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]! }
const results = []
for (const phase of PHASES) {
  const flood = phase.flood ? spawn(process.execPath, ['--import', 'tsx', 'bench/flood-client.ts', '--url', base, ...phase.flood], { stdio: ['ignore', 'pipe', 'inherit'] }) : null
  let floodOut = ''
  flood?.stdout!.on('data', (c: Buffer) => { floodOut += c.toString() })
  if (flood) await sleep(2000)
  let peakRss = rssKb(pid)
  const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, rssKb(pid)) }, 100)
  loginRefusals = 0
  const times: Record<keyof typeof PROBES, number[]> = { dashboard: [], login: [], media: [], health: [] }
  for (let i = 0; i < SAMPLES; i++) {
    for (const [name, probe] of Object.entries(PROBES) as Array<[keyof typeof PROBES, () => Promise<void>]>) times[name].push(await timed(probe))
  }
  clearInterval(rssTimer)
  if (flood) {
    const exited = new Promise((resolve) => flood.once('exit', resolve))
    flood.kill('SIGTERM')
    await exited
    await sleep(1500)
  }
  const row = {
    phase: phase.name,
    ...Object.fromEntries(Object.entries(times).map(([k, v]) => [k, { p50: pct(v, 0.5), p95: pct(v, 0.95) }])),
    loginRefused: loginRefusals, peakRssMiB: Math.round(peakRss / 1024), attacker: floodOut.trim() ? JSON.parse(floodOut) as Record<string, number> : null
  }
  console.error(JSON.stringify(row))
  results.push(row)
}
await gateway.kill('SIGTERM')
rmSync(dataDir, { recursive: true, force: true })

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`
const date = new Date().toISOString()
mkdirSync('bench/out', { recursive: true })
writeFileSync('bench/out/login-flood.json', JSON.stringify({ date, machine, samples: SAMPLES, results }, null, 2))

type Row = (typeof results)[number] & Record<string, { p50: number; p95: number }>
const ms = (v: { p50: number; p95: number } | undefined) => (v ? `${v.p50.toFixed(1)} / ${v.p95.toFixed(1)}` : '—')
const unloaded = results[0] as Row
const lines = [
  `Run of ${date.slice(0, 16).replace('T', ' ')} UTC on ${machine}; ${SAMPLES} samples of each, one after another, p50 / p95 in ms;`,
  '"× unloaded" is the p50 against the unloaded p50. Command: `npm run bench:login-flood`.', '',
  '| load | dashboard page (HTML + script) | real login | /media/<token> | /health | × unloaded (page, login, media) | real logins refused | gateway peak RSS (MiB) | attacker\'s answers |',
  '|---|---|---|---|---|---|---|---|---|'
]
for (const r of results as Row[]) {
  const x = (k: string) => (r[k]!.p50 / unloaded[k]!.p50).toFixed(1)
  const attacker = r.attacker ? Object.entries(r.attacker).map(([s, n]) => `${s}: ${n.toLocaleString('en-US')}`).join(', ') : '—'
  lines.push(`| ${r.phase} | ${ms(r.dashboard)} | ${ms(r.login)} | ${ms(r.media)} | ${ms(r.health)} | ${x('dashboard')}, ${x('login')}, ${x('media')} | ${r.loginRefused} of ${SAMPLES} | ${r.peakRssMiB} | ${attacker} |`)
}
writeSection('login-flood', lines.join('\n'))
process.exit(0)
