// The README's first command, as a new user meets it: `npm run demo` from a fresh clone keeps
// its data in the relative folder ./demo-data. The demo runs here from a fresh working
// directory with no GATEWAY_DATA_DIR, so that folder is relative for real (issue #13: a
// relative data folder made every bulletin's audio answer HTTP 500). It starts the gateway
// and a simulated commune and prints a login per role; soon the API lists every device
// online, a water station's history has points, and a spoken emergency bulletin sent by the
// approving official plays in full on every cluster of the commune.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Broadcast, Summary } from '../gateway/broadcasts/store.js'
import { freePort } from './support/ports.js'

const DEMO = fileURLToPath(new URL('../simulators/demo.ts', import.meta.url))
const TSX = new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url).href
const cwd = mkdtempSync(join(tmpdir(), 'gw-demo-clone-'))

interface ApiDevice { id: string; kind: string; online: boolean }

let demo: ChildProcess
let output = ''
let base = ''
const token = () => /Bearer (\S+)\)/.exec(output)?.[1] ?? ''
const api = async <T>(path: string): Promise<T | null> => {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token()}` } }).catch(() => null)
  return res?.ok ? await res.json() as T : null
}
async function signIn (username: string): Promise<{ fetch: (path: string, init?: RequestInit) => Promise<Response> }> {
  const password = new RegExp(`${username}\\s+(\\S+)`).exec(output)?.[1]
  const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  expect(login.status).toBe(201)
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  const { csrfToken } = await login.json() as { csrfToken: string }
  return { fetch: (path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { ...init.headers as Record<string, string>, cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } }) }
}

beforeAll(async () => {
  const httpPort = await freePort()
  base = `http://127.0.0.1:${httpPort}`
  demo = spawn(process.execPath, ['--import', TSX, DEMO], {
    cwd, env: { PATH: process.env.PATH, GATEWAY_HTTP_PORT: String(httpPort), GATEWAY_MQTT_PORT: '0', GATEWAY_MQTT_WS_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe']
  })
  demo.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  demo.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  // expect.poll belongs to a test; this waits for the printed token by hand.
  for (const until = Date.now() + 45_000; token() === '';) {
    if (Date.now() > until || demo.exitCode !== null) throw new Error(`the demo did not start:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}, 60_000)

afterAll(async () => {
  if (demo.exitCode === null) {
    demo.kill('SIGINT')
    await once(demo, 'exit')
  }
  expect(output).toContain('stopping')
  // A clean stop leaves nothing of the folder's lock but the lock file itself.
  expect(readdirSync(join(cwd, 'demo-data'))).not.toContain('gateway.lock-journal')
  rmSync(cwd, { recursive: true, force: true })
})

test('npm run demo: its data in ./demo-data of the working directory; devices online and a water level history within a minute', { timeout: 90_000 }, async () => {
  expect(output).toContain(`Dữ liệu / data: ${join(cwd, 'demo-data')}`)
  expect(existsSync(join(cwd, 'demo-data', 'state.db'))).toBe(true)
  await expect.poll(async () => (await api<ApiDevice[]>('/api/devices?online=true'))?.length ?? 0, { timeout: 60_000, interval: 1000 }).toBe(138)
  const sensors = (await api<ApiDevice[]>('/api/devices?kind=water_sensor'))!
  expect(sensors.length).toBe(6)
  await expect.poll(async () => (await api<{ buckets: unknown[] }>(`/api/devices/${sensors[0]!.id}/history?field=levelM`))?.buckets.length ?? 0,
    { timeout: 30_000, interval: 1000 }).toBeGreaterThan(0)
  // The printed police login works and sees the cameras, and only them.
  const police = await signIn('congan')
  const seen = await (await police.fetch('/api/devices')).json() as ApiDevice[]
  expect(seen.length).toBe(100)
  expect(new Set(seen.map((d) => d.kind))).toEqual(new Set(['camera']))
  for (const username of ['quantri', 'congan', 'canbo', 'vanthu', 'vanhanh']) expect(output).toMatch(new RegExp(`${username}\\s+\\w{4}-\\w{4}-\\w{4}-\\w{4}`))
})

test('npm run demo: the approving official\'s spoken emergency bulletin plays in full on every cluster of the commune', { timeout: 120_000 }, async () => {
  await expect.poll(async () => (await api<ApiDevice[]>('/api/devices?kind=speaker&online=true'))?.length ?? 0, { timeout: 60_000, interval: 1000 }).toBe(30)
  const canbo = await signIn('canbo')
  const speech = await canbo.fetch('/api/audio/speech', { method: 'POST', body: JSON.stringify({ text: 'Thông báo khẩn cấp: nước hồ đang lên nhanh, bà con vùng thấp khẩn trương sơ tán.' }) })
  expect(speech.status, await speech.clone().text()).toBe(201)
  const clip = await speech.json() as { id: string; durationMs: number }
  // The preview plays: the clip's file is found whatever the working directory.
  expect((await canbo.fetch(`/api/audio/${clip.id}`)).status).toBe(200)

  const sentAt = Date.now()
  const res = await canbo.fetch('/api/broadcasts', { method: 'POST', body: JSON.stringify({ title: 'Cảnh báo lũ', priority: 'emergency', clipId: clip.id, targets: { all: true }, action: 'send' }) })
  expect(res.status, await res.clone().text()).toBe(201)
  const b = await res.json() as Broadcast
  let allPlayingAt = 0
  const summary = async () => {
    const s = (await (await canbo.fetch(`/api/broadcasts/${b.id}`)).json() as { summary: Summary }).summary
    if (!allPlayingAt && s.targeted === 30 && s.playing + s.done === 30) allPlayingAt = Date.now()
    return s
  }
  await expect.poll(async () => (await summary()).done, { timeout: 60_000, interval: 100 }).toBe(30)
  const playedAt = Date.now()
  const final = await summary()
  expect(final).toMatchObject({ targeted: 30, done: 30, failed: 0, timed_out: 0, expired: 0, outcome: 'played' })
  console.info(`demo emergency bulletin (${(clip.durationMs / 1000).toFixed(1)} s of speech): every cluster playing ${allPlayingAt ? allPlayingAt - sentAt : '?'} ms ` +
    `after send, played in full on 30 of 30 clusters ${playedAt - sentAt} ms after send`)
})

test('npm run demo: its RTSP cameras show the picture faults (covered, blurred, turned away) as alarms within a few minutes, with pictures for the police', { timeout: 200_000 }, async () => {
  const day = (() => { const h = (new Date().getUTCHours() + 7) % 24; return h >= 6 && h < 18 })()
  // By night a covered camera's picture is the bag lit by infrared (still covered), and the infrared one fails: both show.
  const expected = ['picture_covered', 'picture_blurred', 'scene_changed', ...(day ? [] : ['night_ir_failed'])]
  const pictureAlarms = async () => new Set((await api<Array<{ type: string }>>('/api/alarms?limit=500') ?? []).map((a) => a.type).filter((type) => expected.includes(type)))
  await expect.poll(async () => [...await pictureAlarms()].sort(), { timeout: 180_000, interval: 2000 }).toEqual([...expected].sort())
  const police = await signIn('congan')
  const pictures = await (await police.fetch('/api/pictures')).json() as Array<{ id: string; latestAt: number | null }>
  expect(pictures.filter((p) => p.latestAt !== null).length).toBeGreaterThanOrEqual(6)
})
