// Probed cameras inside a real gateway: results take the path of a device's own messages
// (journal → store, presence, live state, registry), faults become events and presence,
// and the camera password stays sealed: not in the API, not in the logs, not in state.db.
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CameraHost } from '../../simulators/rtsp-camera/host.js'
import type { SimCameraSpec } from '../../simulators/rtsp-camera/camera.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { freePort } from '../support/ports.js'

let t: TestGateway
let host: CameraHost
const logText: string[] = []
beforeAll(async () => {
  const log = new PassThrough()
  log.on('data', (chunk: Buffer) => logText.push(chunk.toString()))
  // A long interval: the tests run cycles themselves. A deadline long enough for a probe on
  // two busy cores (ffprobe starting, a second of stream), short enough for the hung camera.
  t = await startTestGateway({ cameraProbeIntervalS: 3600, cameraProbeTimeoutS: 8, presenceDebounceS: 0.3 }, { log })
  host = await CameraHost.start()
})
afterAll(async () => {
  await t.stop()
  await host.stop()
})

const admin = { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' }
const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) => {
  const res = await fetch(`${t.httpUrl}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, text: await res.text() }
}
const latest = async (id: string) => Object.fromEntries(Object.entries((await t.gw.store.latest()).get(id) ?? {}).map(([k, v]) => [k, v.value]))
const events = async (id: string) => (await t.gw.store.events({ deviceId: id, from: 0, to: Date.now() + 1, limit: 100 })).map((e) => e.type)
const transitions = (id: string) => t.gw.presence.history(id, 10).reverse().map((c) => `${c.online ? 'online' : 'offline'}:${c.reason}`)

/** A registered camera with a simulated twin, its endpoint set through the API. */
async function probedCamera (spec: Omit<SimCameraSpec, 'id'> = {}, login?: { username: string; password: string }) {
  const { id } = t.addDevice('camera')
  const sim = host.add({ id, ...spec })
  const res = await api('PUT', `/devices/${id}/endpoint`, { ...host.urls(id), ...(login ?? sim.credentials) })
  expect(res.status).toBe(200)
  return { id, sim }
}

test('a healthy camera is probed: online, readings in the store and the API, model and firmware in the registry', async () => {
  const { id } = await probedCamera()
  await t.gw.cameraProbes.runCycle()
  expect(t.gw.presence.get(id).online).toBe(true)
  expect(transitions(id)).toEqual(['online:status'])
  expect(t.gw.registry.get(id)).toMatchObject({ model: 'DS-2CD1023G0-IU', firmware: 'V5.7.3 build 220112' })
  await expect.poll(() => latest(id)).toMatchObject({
    streamAlive: true, codec: 'H264', resolution: '1920x1080', recording: true, snapshotOk: true, defaultPassword: false
  })
  const stored = await latest(id)
  expect(Math.abs(stored.clockDriftS as number)).toBeLessThanOrEqual(1) // ONVIF gives whole seconds
  expect(stored.fps).toBeGreaterThan(10)
  expect(stored.bitrateKbps).toBeGreaterThan(100)
  const device = JSON.parse((await api('GET', `/devices/${id}`)).text) as { online: boolean; latest: Record<string, { value: unknown }> }
  expect(device.online).toBe(true)
  expect(device.latest.streamAlive?.value).toBe(true)
  const endpoint = JSON.parse((await api('GET', `/devices/${id}/endpoint`)).text) as { lastProbe: { outcome: string } }
  expect(endpoint.lastProbe.outcome).toBe('ok')
  const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text()
  expect(metrics).toMatch(/^gateway_camera_probes_total\{outcome="ok"\} [1-9]/m)
  expect(metrics).not.toMatch(/^gateway_readings_restamped_total\{reason="missing"\}/m) // filed under the probe's time
  expect(metrics).toMatch(/^gateway_camera_probe_cycle_seconds [0-9.]+$/m)
})

test('a password changed on the camera: auth_failed is stored as an event and the camera goes offline; fixed, it is back', async () => {
  const { id, sim } = await probedCamera()
  await t.gw.cameraProbes.runCycle()
  sim.faults.wrongPassword = true
  await t.gw.cameraProbes.runCycle()
  await expect.poll(() => events(id)).toContain('auth_failed')
  await expect.poll(() => transitions(id)).toEqual(['online:status', 'offline:status_offline'])
  expect(JSON.parse((await api('GET', `/devices/${id}/endpoint`)).text)).toMatchObject({ lastProbe: { outcome: 'auth_failed' } })
  sim.faults.wrongPassword = false
  await t.gw.cameraProbes.runCycle()
  expect(transitions(id)).toEqual(['online:status', 'offline:status_offline', 'online:status'])
})

test('a frozen picture: the camera stays online, stream not alive at 0 fps, stream_lost stored, stream_restored when it moves again', async () => {
  const { id, sim } = await probedCamera({ faults: { frozen: true } })
  await t.gw.cameraProbes.runCycle()
  expect(t.gw.presence.get(id).online).toBe(true)
  await expect.poll(() => latest(id)).toMatchObject({ streamAlive: false, fps: 0 })
  await expect.poll(() => events(id)).toEqual(['stream_lost'])
  sim.faults.frozen = false
  await t.gw.cameraProbes.runCycle()
  await expect.poll(() => latest(id)).toMatchObject({ streamAlive: true })
  await expect.poll(() => events(id)).toEqual(['stream_restored', 'stream_lost'])
})

test('a camera that never answers is never shown online, and its probe says why', async () => {
  const { id } = t.addDevice('camera')
  const port = await freePort()
  expect((await api('PUT', `/devices/${id}/endpoint`, { rtspUrl: `rtsp://127.0.0.1:${port}/live`, username: 'admin', password: 'Abc-123-xyz' })).status).toBe(200)
  await t.gw.cameraProbes.runCycle()
  expect(t.gw.presence.get(id)).toMatchObject({ online: false, since: null })
  expect(JSON.parse((await api('GET', `/devices/${id}/endpoint`)).text)).toMatchObject({ lastProbe: { outcome: 'unreachable' } })
})

test('a hung camera does not hold back the others: they are online while its probe still waits for the deadline', async () => {
  const hung = await probedCamera({ faults: { noAnswer: true } })
  const healthy = await probedCamera()
  const cycle = t.gw.cameraProbes.runCycle()
  expect(t.gw.cameraProbes.runCycle()).toBe(cycle) // joined, never a second cycle beside it
  let cycleDone = false
  void cycle.then(() => { cycleDone = true })
  await expect.poll(() => t.gw.presence.get(healthy.id).online, { timeout: 7000 }).toBe(true) // one probe: ~1 s of stream
  expect(cycleDone).toBe(false)
  const summary = await cycle
  expect(summary.failed).toBeGreaterThanOrEqual(1)
  expect(t.gw.presence.get(hung.id).online).toBe(false)
  expect(JSON.parse((await api('GET', `/devices/${hung.id}/endpoint`)).text)).toMatchObject({ lastProbe: { outcome: 'timeout' } })
  hung.sim.faults.noAnswer = false // let the next cycles of this file run at full speed
})

test('a camera whose clock fell back to 1970 after a power cut is reported with its drift', async () => {
  const offsetS = Math.round(Date.UTC(1970, 0, 2) / 1000 - Date.now() / 1000)
  const { id } = await probedCamera({ faults: { clockOffsetS: offsetS } })
  await t.gw.cameraProbes.runCycle()
  await expect.poll(() => latest(id)).toHaveProperty('clockDriftS')
  expect(Math.abs((await latest(id)).clockDriftS as number - offsetS)).toBeLessThanOrEqual(1)
})

test('a camera on its factory password is flagged (QCVN 135:2024)', async () => {
  const { id } = await probedCamera({ defaultPassword: true })
  await t.gw.cameraProbes.runCycle()
  await expect.poll(() => latest(id)).toMatchObject({ defaultPassword: true, streamAlive: true })
})

test('the camera password is never returned by the API, never logged, and sealed in state.db', async () => {
  const password = 'Sentinel-Pw-5d41402abc4b2a76'
  const { id, sim } = await probedCamera({ password })
  const put = await api('PUT', `/devices/${id}/endpoint`, { ...host.urls(id), username: 'admin', password })
  expect(JSON.parse(put.text)).toMatchObject({ passwordSet: true, username: 'admin' })
  await t.gw.cameraProbes.runCycle()
  sim.faults.wrongPassword = true // failures are logged too
  await t.gw.cameraProbes.runCycle()
  for (const path of [`/devices/${id}/endpoint`, `/devices/${id}`, '/devices?kind=camera']) expect((await api('GET', path)).text).not.toContain(password)
  expect(put.text).not.toContain(password)
  expect(logText.join('')).toContain('camera probe outcome changed') // the logs were captured
  expect(logText.join('')).not.toContain(password)
  for (const file of ['state.db', 'state.db-wal', 'journal.db', 'journal.db-wal']) {
    let bytes: Buffer
    try { bytes = readFileSync(join(t.dataDir, file)) } catch { continue }
    expect(bytes.includes(Buffer.from(password))).toBe(false)
  }
  expect(statSync(join(t.dataDir, 'secret.key')).mode & 0o777).toBe(0o600)
})

test('a new URL without a password keeps the stored password; null removes it', async () => {
  const { id, sim } = await probedCamera()
  const { password: _password, ...withoutPassword } = { ...host.urls(id), ...sim.credentials }
  expect(JSON.parse((await api('PUT', `/devices/${id}/endpoint`, withoutPassword)).text)).toMatchObject({ passwordSet: true })
  await t.gw.cameraProbes.runCycle()
  expect(t.gw.presence.get(id).online).toBe(true)
  expect(JSON.parse((await api('PUT', `/devices/${id}/endpoint`, { ...withoutPassword, password: null })).text)).toMatchObject({ passwordSet: false })
})

test('endpoints: admin only, cameras only, no login inside a URL; gone with their device', async () => {
  const { id } = t.addDevice('camera')
  const speaker = t.addDevice('speaker')
  const urls = host.urls(id)
  expect((await api('PUT', `/devices/${id}/endpoint`, urls, { 'content-type': 'application/json' })).status).toBe(401)
  expect((await api('GET', `/devices/${id}/endpoint`, undefined, {})).status).toBe(401)
  expect((await api('PUT', `/devices/${speaker.id}/endpoint`, urls)).status).toBe(400)
  const withLogin = await api('PUT', `/devices/${id}/endpoint`, { rtspUrl: 'rtsp://admin:secret@10.0.0.5/Streaming/Channels/102' })
  expect(withLogin.status).toBe(400)
  expect(withLogin.text).toContain('not in the URL')
  expect((await api('PUT', `/devices/${id}/endpoint`, { rtspUrl: 'http://10.0.0.5/' })).status).toBe(400)
  expect((await api('GET', `/devices/${id}/endpoint`)).status).toBe(404)
  expect((await api('PUT', `/devices/${id}/endpoint`, urls)).status).toBe(200)
  expect((await api('DELETE', `/devices/${id}`)).status).toBe(204)
  expect(t.gw.cameraEndpoints.view(id)).toBeNull()
})
