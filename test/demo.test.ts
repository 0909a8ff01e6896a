// The README's first command, as a new user meets it: the demo process starts the gateway
// and a simulated commune and prints a login per role; soon the API lists every device
// online and a water station's history has points.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { freePort } from './support/ports.js'

const dataDir = mkdtempSync(join(tmpdir(), 'gw-demo-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

interface ApiDevice { id: string; kind: string; online: boolean }

test('npm run demo: devices online and a water level history within a minute', { timeout: 90_000 }, async () => {
  const httpPort = await freePort()
  const demo = spawn(process.execPath, ['--import', 'tsx', 'simulators/demo.ts'], {
    env: { PATH: process.env.PATH, GATEWAY_DATA_DIR: dataDir, GATEWAY_HTTP_PORT: String(httpPort), GATEWAY_MQTT_PORT: '0', GATEWAY_MQTT_WS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  demo.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  demo.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const token = () => /Bearer (\S+)\)/.exec(output)?.[1] ?? ''
  const api = async <T>(path: string): Promise<T | null> => {
    const res = await fetch(`http://127.0.0.1:${httpPort}${path}`, { headers: { authorization: `Bearer ${token()}` } }).catch(() => null)
    return res?.ok ? await res.json() as T : null
  }
  try {
    await expect.poll(() => token(), { timeout: 30_000 }).not.toBe('')
    await expect.poll(async () => (await api<ApiDevice[]>('/api/devices?online=true'))?.length ?? 0, { timeout: 60_000, interval: 1000 }).toBe(136)
    const sensors = (await api<ApiDevice[]>('/api/devices?kind=water_sensor'))!
    expect(sensors.length).toBe(6)
    await expect.poll(async () => (await api<{ buckets: unknown[] }>(`/api/devices/${sensors[0]!.id}/history?field=levelM`))?.buckets.length ?? 0,
      { timeout: 30_000, interval: 1000 }).toBeGreaterThan(0)
    // The printed police login works and sees the cameras, and only them.
    const police = /congan\s+(\S+)/.exec(output)?.[1]
    const login = await fetch(`http://127.0.0.1:${httpPort}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'congan', password: police })
    })
    expect(login.status).toBe(201)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const seen = await (await fetch(`http://127.0.0.1:${httpPort}/api/devices`, { headers: { cookie } })).json() as ApiDevice[]
    expect(seen.length).toBe(100)
    expect(new Set(seen.map((d) => d.kind))).toEqual(new Set(['camera']))
    for (const username of ['quantri', 'congan', 'canbo', 'vanthu', 'vanhanh']) expect(output).toMatch(new RegExp(`${username}\\s+\\w{4}-\\w{4}-\\w{4}-\\w{4}`))
  } finally {
    demo.kill('SIGINT')
    await once(demo, 'exit')
  }
  expect(output).toContain('stopping')
})
