// The REST API through real HTTP: devices, import, errors as JSON, auth, health, metrics.
import { setTimeout as sleep } from 'node:timers/promises'
import { connectAsync } from 'mqtt'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { EVENT_LOOP_SAMPLE_MS } from '../../gateway/metrics/metrics.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway() })
afterAll(async () => { await t.stop() })

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' }
const get = (path: string) => fetch(`${t.httpUrl}${path}`, { headers: ADMIN })
const send = (method: string, path: string, body: string | object | undefined, headers: Record<string, string> = ADMIN) =>
  fetch(`${t.httpUrl}${path}`, {
    method,
    headers: { ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}), ...headers },
    body: typeof body === 'object' ? JSON.stringify(body) : body
  })
interface ErrorBody { statusCode: number; code: string; error: string; message: string; details?: string[] }
interface ApiDevice { id: string; kind: string; village: string; online: boolean; reservoir: unknown }
const canConnect = (id: string, password: string) =>
  connectAsync(t.mqttUrl, { clientId: id, username: id, password, reconnectPeriod: 0 }).then((c) => c.endAsync().then(() => true), () => false)

test('create a device: admin token required; the secret is shown once and works over MQTT', async () => {
  const body = { kind: 'camera', name: 'Camera Cổng UBND', village: 'Thôn Hòa Bình', newVillage: true, lat: 16.4, lon: 107.55 }
  const anonymous = await send('POST', '/api/devices', body, {})
  expect(anonymous.status).toBe(401)
  expect(await anonymous.json()).toMatchObject({ statusCode: 401, code: 'GW_ERR_UNAUTHORIZED', error: 'Unauthorized' })
  expect((await send('POST', '/api/devices', body, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401)

  const res = await send('POST', '/api/devices', body)
  expect(res.status).toBe(201)
  const { device, secret } = await res.json() as { device: ApiDevice; secret: string }
  expect(device).toMatchObject({ kind: 'camera', village: 'Thôn Hòa Bình' })
  expect(await canConnect(device.id, secret)).toBe(true)
  const fetched = await (await get(`/api/devices/${device.id}`)).json() as Record<string, unknown>
  expect(JSON.stringify(fetched)).not.toContain(secret)
})

test('invalid input lists every problem; malformed JSON is a JSON error too', async () => {
  const res = await send('POST', '/api/devices', { kind: 'drone', name: '', lat: 300, extra: 1 })
  expect(res.status).toBe(400)
  const body = await res.json() as ErrorBody
  expect(body.code).toBe('GW_ERR_VALIDATION')
  expect(body.details!.length).toBeGreaterThanOrEqual(4)
  const malformed = await send('POST', '/api/devices', '{"kind": ', { ...ADMIN, 'content-type': 'application/json' })
  expect(malformed.status).toBe(400)
  expect(await malformed.json()).toMatchObject({ code: 'GW_ERR_VALIDATION' })
})

test('list and filter by kind, village and online; bad filters are refused', async () => {
  const village = 'Thôn Lọc Thử'
  const cam = t.addDevice('camera', { village })
  t.addDevice('speaker', { village })
  const client = await t.connect(cam.id, cam.secret)
  await client.publishAsync(`commune/v1/${cam.id}/status`, '{"state":"online"}', { qos: 1, retain: true })
  const inVillage = await (await get(`/api/devices?village=${encodeURIComponent(village)}`)).json() as ApiDevice[]
  expect(inVillage.map((d) => d.kind).sort()).toEqual(['camera', 'speaker'])
  const cams = await (await get(`/api/devices?village=${encodeURIComponent(village)}&kind=camera`)).json() as ApiDevice[]
  expect(cams.map((d) => d.id)).toEqual([cam.id])
  const online = await (await get(`/api/devices?village=${encodeURIComponent(village)}&online=true`)).json() as ApiDevice[]
  expect(online.map((d) => d.id)).toEqual([cam.id])
  const bad = await get('/api/devices?kind=drone')
  expect(bad.status).toBe(400)
  expect(await bad.json()).toMatchObject({ code: 'GW_ERR_VALIDATION', details: [expect.stringContaining('kind') as unknown] })
})

test('unknown device and unknown route: 404 as JSON', async () => {
  const res = await get('/api/devices/cam-nowhere')
  expect(res.status).toBe(404)
  expect(await res.json()).toEqual({ statusCode: 404, code: 'GW_ERR_NOT_FOUND', error: 'Not Found', message: 'no device cam-nowhere' })
  expect((await (await get('/api/nothing-here')).json() as ErrorBody).code).toBe('GW_ERR_NOT_FOUND')
})

const CSV = `id,kind,name,village,lat,lon,reservoir,dead_level_m,normal_level_m,design_flood_level_m,alarm1_m,alarm2_m,alarm3_m
cam-imp-1,camera,Camera Chợ,Thôn Nhập,16.41,107.55,,,,,,,
wl-imp-1,water_sensor,Trạm hồ Khe Ngang,Thôn Nhập,16.42,107.56,Hồ Khe Ngang,30,41.5,44.2,42.1,42.8,43.5
`
const YAML = `commune: Xã Phong Điền
devices:
  - { id: spk-imp-1, kind: speaker, name: Cụm loa đầu thôn, village: Thôn Nhập }
`

test('import an inventory as CSV or YAML: created with secrets, re-import skips', async () => {
  const csv = await send('POST', '/api/devices/import', CSV, { ...ADMIN, 'content-type': 'text/csv' })
  expect(csv.status).toBe(201)
  const result = await csv.json() as { created: Array<{ device: ApiDevice; secret: string }>; skipped: string[] }
  expect(result.created.map((c) => c.device.id)).toEqual(['cam-imp-1', 'wl-imp-1'])
  expect(result.created[1]!.device.reservoir).toMatchObject({ name: 'Hồ Khe Ngang', alarmLevels: { level1M: 42.1, level2M: 42.8, level3M: 43.5 } })
  expect(await canConnect('wl-imp-1', result.created[1]!.secret)).toBe(true)

  const again = await send('POST', '/api/devices/import', CSV, { ...ADMIN, 'content-type': 'text/csv' })
  expect(again.status).toBe(200)
  expect(await again.json()).toEqual({ created: [], skipped: ['cam-imp-1', 'wl-imp-1'] })

  const yaml = await send('POST', '/api/devices/import', YAML, { ...ADMIN, 'content-type': 'application/yaml' })
  expect(yaml.status).toBe(201)
  expect((await yaml.json() as { created: Array<{ device: { commune: string } }> }).created[0]!.device.commune).toBe('Xã Phong Điền')
})

test('an inventory with a bad row imports nothing; other media types are refused', async () => {
  const bad = 'id,kind,name,village\ncam-x-1,camera,Một,Thôn A\ncam-x-2,drone,Hai,Thôn A\n'
  const res = await send('POST', '/api/devices/import', bad, { ...ADMIN, 'content-type': 'text/csv' })
  expect(res.status).toBe(400)
  expect((await res.json() as ErrorBody).details).toEqual([expect.stringContaining('entry 2 (cam-x-2)')])
  expect((await get('/api/devices/cam-x-1')).status).toBe(404)
  expect((await send('POST', '/api/devices/import', 'x', { ...ADMIN, 'content-type': 'application/pdf' })).status).toBe(415)
})

test('update, rotate the secret, delete; a rotated or removed device is disconnected at once', async () => {
  const { id, secret } = t.addDevice('speaker')
  const session = await t.connect(id, secret)
  const ended = new Promise<void>((resolve) => session.once('close', () => resolve()))
  const patched = await send('PATCH', `/api/devices/${id}`, { village: 'Thôn Mới', newVillage: true, name: 'Cụm loa chợ' })
  expect(await patched.json()).toMatchObject({ village: 'Thôn Mới', name: 'Cụm loa chợ' })
  expect((await send('PATCH', `/api/devices/${id}`, { kind: 'camera' })).status).toBe(400)

  const rotated = await (await send('POST', `/api/devices/${id}/credentials`, undefined)).json() as { secret: string }
  expect(rotated.secret).not.toBe(secret)
  await ended
  expect(await canConnect(id, secret)).toBe(false)
  expect(await canConnect(id, rotated.secret)).toBe(true)

  expect((await send('DELETE', `/api/devices/${id}`, undefined)).status).toBe(204)
  expect((await get(`/api/devices/${id}`)).status).toBe(404)
  expect(await canConnect(id, rotated.secret)).toBe(false)
})

test('history checks its field and range, and keeps to the number of points', async () => {
  const { id, secret } = t.addDevice('water_sensor')
  const client = await t.connect(id, secret)
  const start = Date.now() - 100_000
  for (let i = 0; i < 50; i++) await client.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ ts: start + i * 1000, levelM: i }), { qos: 1 })
  await expect.poll(() => t.gw.journal.depth).toBe(0)
  const body = await (await get(`/api/devices/${id}/history?field=levelM&from=${start}&to=${start + 50_000}&points=5`)).json() as { unit: string; buckets: Array<{ count: number }> }
  expect(body.unit).toBe('m')
  expect(body.buckets).toHaveLength(5)
  expect(body.buckets.reduce((n, b) => n + b.count, 0)).toBe(50)
  const iso = await get(`/api/devices/${id}/history?field=levelM&from=${new Date(start).toISOString()}&to=${new Date(start + 50_000).toISOString()}&points=1`)
  expect((await iso.json() as { buckets: Array<{ count: number }> }).buckets[0]!.count).toBe(50)
  expect((await get(`/api/devices/${id}/history?field=rainMmm`)).status).toBe(400)
  expect((await get(`/api/devices/${id}/history?field=levelM&from=${start}&to=${start}`)).status).toBe(400)
  expect((await get(`/api/devices/${id}/history?field=levelM&points=0`)).status).toBe(400)
})

const ackedCount = async () => Number(/^gateway_reading_ack_seconds_count (\S+)$/m.exec(await (await get('/metrics')).text())?.[1])

test('/health and /metrics', async () => {
  const health = await get('/health')
  expect(health.status).toBe(200)
  expect(await health.json()).toMatchObject({
    status: 'ok', broker: { listening: true }, store: { name: 'sqlite', reachable: true }, journal: { depth: 0, quarantined: 0 }
  })
  const metrics = await (await get('/metrics')).text()
  for (const name of ['gateway_messages_received_total', 'gateway_messages_rejected_total', 'gateway_journal_depth',
    'gateway_store_write_seconds_bucket', 'gateway_connected_devices', 'gateway_readings_stored_total', 'gateway_reading_ack_seconds_bucket']) {
    expect(metrics).toContain(name)
  }
  // Each accepted reading is timed from its arrival to its acknowledgement; a refused one is not.
  const before = await ackedCount()
  const { id, secret } = t.addDevice('water_sensor')
  const client = await t.connect(id, secret)
  for (let i = 0; i < 3; i++) await client.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ levelM: 1 + i }), { qos: 1 })
  await client.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ levelM: 'high' }), { qos: 1 })
  await client.endAsync()
  expect(await ackedCount()).toBe(before + 3)
})

test('the event-loop gauges read the time between the monitor\'s timer runs: an idle loop reads its period, not 0', async () => {
  // What the soak subtracts (bench/soak.ts): were the gauge the lag itself, an idle loop would read about 0.
  await get('/metrics') // starts a new window of the histogram
  await sleep(300)
  const p50 = Number(/^gateway_process_nodejs_eventloop_lag_p50_seconds (\S+)$/m.exec(await (await get('/metrics')).text())?.[1])
  expect(p50 * 1000).toBeGreaterThanOrEqual(EVENT_LOOP_SAMPLE_MS * 0.9)
})

test('the dashboard is served with a content security policy and no framing', async () => {
  const res = await fetch(`${t.httpUrl}/`)
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
  expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
})
