// One camera's picture, asked for by the province (issue #20): the only way a picture leaves a
// commune's box. A real 3-node cluster, PostgreSQL, the province's service and web API, and a
// real gateway probing a simulated RTSP/ONVIF camera that serves a real JPEG.
import { randomUUID } from 'node:crypto'
import { headers as natsHeaders, type Msg, type Subscription } from 'nats'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { pictureSubject } from '../../edge/uplink/picture.js'
import { addUser } from '../../province/web/accounts.js'
import { buildProvinceWeb } from '../../province/web/build.js'
import { startProvinceWeb, type ProvinceWeb } from '../../province/web/server.js'
import { CameraHost } from '../../simulators/rtsp-camera/host.js'
import { launchChromium, shoot, signedInPage, signIn as signInAs } from '../support/browser.js'
import { addUser as addCommuneUser, PASSWORD } from '../support/people.js'
import { startCommune, until, type TestCommune } from '../support/communes.js'
import { startProvinceStack, type ProvinceStack } from '../support/province.js'

let stack: ProvinceStack
let a: TestCommune
let host: CameraHost
let web: ProvinceWeb
let browser: Browser
let camera: string
let blind: string
/** Every message any box sent up, from the first one on: what the uplink carries. */
const up: Array<{ subject: string; data: Uint8Array }> = []
let watch: Subscription
const passwords: Record<string, string> = {}

beforeAll(async () => {
  await buildProvinceWeb({ quiet: true })
  stack = await startProvinceStack(['xa-a', 'xa-b'], inject('influxUrl'), { sweepMs: 3_600_000 })
  watch = stack.nc.subscribe('up.>', { callback: (_e, m) => { up.push({ subject: m.subject, data: m.data }) } })
  // The probe keeps a snapshot at every probe; the tests run the cycle themselves.
  a = await startCommune(stack, 'xa-a', {}, undefined, { cameraProbeIntervalS: 3600, cameraProbeTimeoutS: 8, snapshotIntervalS: 0.001 })
  host = await CameraHost.start()
  camera = a.t.addDevice('camera').id
  blind = a.t.addDevice('camera').id // no endpoint: never a snapshot
  const sim = host.add({ id: camera })
  const res = await a.t.api(`/api/devices/${camera}/endpoint`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...host.urls(camera), ...sim.credentials }) })
  expect(res.status).toBe(200)
  await a.t.gw.cameraProbes.runCycle()
  await until(() => a.t.gw.snapshots.latestAt(camera) !== null, 30_000, 'the camera\'s snapshot kept')
  passwords['tinh.congan'] = await addUser(stack.service.pool, { username: 'tinh.congan', name: 'Công an tỉnh', role: 'staff', mayRequestPictures: true })
  passwords['tinh.an'] = await addUser(stack.service.pool, { username: 'tinh.an', name: 'Cán bộ tỉnh', role: 'staff' })
  web = await startProvinceWeb(stack.service, '127.0.0.1', 0)
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  watch?.unsubscribe()
  await browser?.close()
  await web?.close()
  await a?.stop()
  await host?.stop()
  await stack?.stop()
})

/** A signed-in provincial account's fetch (cookie and CSRF token). */
async function as (username: string) {
  const base = `http://127.0.0.1:${web.port}`
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: passwords[username] }) })
  expect(res.status).toBe(200)
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!
  const { csrfToken } = await res.json() as { csrfToken: string }
  return async (path: string, body?: object) => await fetch(`${base}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {})
  })
}

const requests = async () => await stack.sql<{ id: string; status: string; answer: string | null; taken_at: string | null; data: Buffer | null }>('SELECT id, status, answer, taken_at, data FROM picture_requests ORDER BY requested_at')
const pictureMessages = () => up.filter((m) => m.subject.endsWith('.picture'))
const boxAudit = () => a.t.gw.audit.list({ action: 'picture.province_request', limit: 100 })

test('staff who may not ask for pictures are refused, and a request needs a reason: nothing recorded, nothing sent', async () => {
  const clerk = await as('tinh.an')
  const refused = await clerk('/api/pictures', { commune: 'xa-a', cameraId: camera, reason: 'Vụ việc 12/2026' })
  expect(refused.status).toBe(403)
  expect(await refused.json()).toMatchObject({ code: 'PROV_ERR_FORBIDDEN' })
  const asker = await as('tinh.congan')
  for (const body of [{ commune: 'xa-a', cameraId: camera }, { commune: 'xa-a', cameraId: camera, reason: '  ' }, { commune: 'xa-a', cameraId: '../etc', reason: 'Vụ việc 12/2026' }]) {
    expect((await asker('/api/pictures', body)).status).toBe(400)
  }
  expect((await asker('/api/pictures', { commune: 'xa-zz', cameraId: camera, reason: 'Vụ việc 12/2026' })).status).toBe(404)
  expect(await requests()).toEqual([])
  expect(boxAudit()).toEqual([])
})

test('one who may asks for one camera with a reason: the box audits it and sends that camera\'s latest snapshot, which only the asker sees, every view audited', { timeout: 60_000 }, async () => {
  const asker = await as('tinh.congan')
  const res = await asker('/api/pictures', { commune: 'xa-a', cameraId: camera, reason: 'Vụ việc số 12/2026: trộm xe máy tại ngã ba' })
  expect(res.status).toBe(201)
  const { id } = await res.json() as { id: string }
  await expect.poll(async () => (await requests()).find((r) => r.id === id)?.status, { timeout: 30_000 }).toBe('received')

  const takenAt = a.t.gw.snapshots.latestAt(camera)!
  const onBox = a.t.gw.snapshots.read(camera, takenAt, false)
  const kept = (await requests()).find((r) => r.id === id)!
  expect(Number(kept.taken_at)).toBe(takenAt)
  expect(kept.data!.equals(onBox)).toBe(true)
  // The box's own audit log says who at the province asked, why, for which camera.
  expect(boxAudit().map((e) => [e.actor, e.target, e.details])).toEqual([
    ['tỉnh:tinh.congan', camera, { reason: 'Vụ việc số 12/2026: trộm xe máy tại ngã ba', request: id, outcome: 'sent', picture: new Date(takenAt).toISOString() }]
  ])
  // One picture went up, of that camera, for that request.
  expect(pictureMessages().map((m) => [m.subject, m.data.length])).toEqual([[pictureSubject('xa-a'), onBox.length]])

  const image = await asker(`/api/pictures/${id}/image`)
  expect(image.status).toBe(200)
  expect(image.headers.get('content-type')).toBe('image/jpeg')
  expect(image.headers.get('cache-control')).toBe('no-store')
  expect(Buffer.from(await image.arrayBuffer()).equals(onBox)).toBe(true)
  expect(await (await asker('/api/pictures')).json()).toMatchObject([{ id, commune: 'xa-a', cameraId: camera, status: 'received', takenAt, requestedBy: 'tinh.congan' }])

  // Another member of staff neither sees it nor learns that it exists.
  const clerk = await as('tinh.an')
  expect((await clerk(`/api/pictures/${id}/image`)).status).toBe(404)
  expect(await (await clerk('/api/pictures')).json()).toEqual([])
  const audit = await stack.sql<{ username: string; action: string; target: string }>('SELECT username, action, target FROM province_audit ORDER BY id')
  expect(audit).toEqual([
    { username: 'tinh.congan', action: 'picture.request', target: id },
    { username: 'tinh.congan', action: 'picture.view', target: id }
  ])
})

test('a camera with no snapshot, or none of this commune, is answered "no picture" in words, and no picture goes up', { timeout: 60_000 }, async () => {
  const before = pictureMessages().length
  const ids: string[] = []
  for (const cameraId of [blind, 'cam-nowhere']) ids.push(await stack.service.pictures.ask({ commune: 'xa-a', cameraId, reason: 'Vụ việc 13/2026' }, { username: 'tinh.congan', role: 'staff', mayRequestPictures: true }))
  await expect.poll(async () => (await requests()).filter((r) => ids.includes(r.id)).map((r) => r.status), { timeout: 30_000 }).toEqual(['no_picture', 'no_picture'])
  const answers = (await requests()).filter((r) => ids.includes(r.id))
  expect(answers.map((r) => r.answer)).toEqual([expect.stringMatching(/Camera chưa có ảnh nào được lưu/), expect.stringMatching(/Xã không có camera này/)])
  expect(answers.every((r) => r.data === null)).toBe(true)
  expect(pictureMessages().slice(before).every((m) => m.data.length === 0)).toBe(true)
  expect(boxAudit().slice(0, 2).map((e) => [e.target, (e.details as { outcome: string }).outcome])).toEqual([['cam-nowhere', 'no_camera'], [blind, 'no_picture']])
})

test('a request the box sees past its time, or one without a reason, sends nothing up: the late one is audited as expired, the malformed one dropped', { timeout: 60_000 }, async () => {
  const before = pictureMessages().length
  const audited = boxAudit().length
  const js = stack.nc.jetstream()
  const late = { type: 'picture', requestId: randomUUID(), cameraId: camera, reason: 'Vụ việc 16/2026', requestedBy: 'tinh.congan', requestedAt: Date.now() - 3_600_000 }
  const unreasoned = { ...late, requestId: randomUUID(), reason: ' ', requestedAt: Date.now() }
  for (const cmd of [unreasoned, late]) await js.publish('down.xa-a.picture', new TextEncoder().encode(JSON.stringify(cmd)), { msgID: `picture:${cmd.requestId}` })
  await expect.poll(() => boxAudit().length, { timeout: 30_000 }).toBe(audited + 1)
  expect(boxAudit()[0]).toMatchObject({ actor: 'tỉnh:tinh.congan', target: camera, details: { request: late.requestId, outcome: 'expired' } })
  // Both were taken off the consumer (a later command is handled), and nothing went up.
  const next = await stack.service.pictures.ask({ commune: 'xa-a', cameraId: blind, reason: 'Vụ việc 17/2026' }, { username: 'tinh.congan', role: 'staff', mayRequestPictures: true })
  await expect.poll(async () => (await requests()).find((r) => r.id === next)?.status, { timeout: 30_000 }).toBe('no_picture')
  expect(pictureMessages().slice(before).map((m) => m.data.length)).toEqual([0])
})

/** A box's answer as an attacker holding that commune's key would send it. */
async function push (commune: string, subject: string, h: Record<string, string>): Promise<string> {
  const nc = await stack.connectAs(commune)
  try {
    const headers = natsHeaders()
    for (const [k, v] of Object.entries(h)) headers.set(k, v)
    const jpeg = a.t.gw.snapshots.read(camera, a.t.gw.snapshots.latestAt(camera)!, false)
    const reply: Msg = await nc.request(subject, jpeg, { timeout: 2000, headers })
    return reply.headers?.get('Error') ?? 'accepted'
  } catch (err) {
    return `failed: ${(err as Error).message}`
  } finally {
    await nc.close()
  }
}

test('the province takes a picture only for a pending request of that commune and camera: unasked, another camera\'s, another commune\'s or late ones are refused and not kept', { timeout: 60_000 }, async () => {
  // xa-b's box is off: its request waits, pending.
  const pending = await stack.service.pictures.ask({ commune: 'xa-b', cameraId: 'cam-b1', reason: 'Vụ việc 14/2026' }, { username: 'tinh.congan', role: 'staff', mayRequestPictures: true })
  const takenAt = String(Date.now())
  expect(await push('xa-a', pictureSubject('xa-a'), { 'Request-Id': randomUUID(), Camera: camera, 'Taken-At': takenAt })).toBe('no pending request of this commune for this camera')
  // xa-a answering xa-b's request, on its own subject and on xa-b's (which the cluster refuses).
  expect(await push('xa-a', pictureSubject('xa-a'), { 'Request-Id': pending, Camera: 'cam-b1', 'Taken-At': takenAt })).toBe('no pending request of this commune for this camera')
  expect(await push('xa-a', pictureSubject('xa-b'), { 'Request-Id': pending, Camera: 'cam-b1', 'Taken-At': takenAt })).toMatch(/^failed: /)
  // xa-b itself, with another camera's picture, or without saying when it was taken.
  expect(await push('xa-b', pictureSubject('xa-b'), { 'Request-Id': pending, Camera: 'cam-b2', 'Taken-At': takenAt })).toBe('no pending request of this commune for this camera')
  expect(await push('xa-b', pictureSubject('xa-b'), { 'Request-Id': pending, Camera: 'cam-b1' })).toMatch(/^bad answer/)
  expect((await requests()).find((r) => r.id === pending)).toMatchObject({ status: 'pending', data: null })
  // Past its time, even the right answer is refused: the request shows as expired.
  await stack.sql('UPDATE picture_requests SET expires_at = $2 WHERE id = $1', [pending, Date.now() - 1])
  expect(await push('xa-b', pictureSubject('xa-b'), { 'Request-Id': pending, Camera: 'cam-b1', 'Taken-At': takenAt })).toBe('no pending request of this commune for this camera')
  const mine = await stack.service.pictures.list({ username: 'tinh.congan' })
  expect(mine.find((r) => r.id === pending)).toMatchObject({ status: 'expired', takenAt: null })
})

test('in normal operation the uplink\'s lanes never carry image bytes: pictures go up only as answers to the province', { timeout: 30_000 }, async () => {
  // Another probe cycle keeps another snapshot; the heartbeat, presence and readings go on.
  await a.t.gw.cameraProbes.runCycle()
  await until(() => up.some((m) => m.subject === 'up.xa-a.heartbeat'), 10_000, 'a heartbeat')
  const lanes = up.filter((m) => !m.subject.endsWith('.picture'))
  expect(lanes.length).toBeGreaterThan(0)
  const soi = Buffer.from([0xff, 0xd8, 0xff])
  for (const m of lanes) {
    const data = Buffer.from(m.data)
    expect(data.includes(soi), m.subject).toBe(false)
    expect(data.includes('/9j/'), m.subject).toBe(false) // a JPEG in base64
  }
})

test('pictures past the province\'s retention are removed; the request stays with who, when and why', async () => {
  const received = (await requests()).filter((r) => r.status === 'received')
  expect(received).toHaveLength(1)
  expect(await stack.service.pictures.prune(86_400_000)).toBe(0) // younger than a day: kept
  expect(await stack.service.pictures.prune(0)).toBe(1)
  const asker = await as('tinh.congan')
  expect((await asker(`/api/pictures/${received[0]!.id}/image`)).status).toBe(404)
  expect((await stack.service.pictures.list({ username: 'tinh.congan' })).find((r) => r.id === received[0]!.id)).toMatchObject({ status: 'received', pruned: true, reason: 'Vụ việc số 12/2026: trộm xe máy tại ngã ba' })
})

test('in a browser, the one who may asks for a camera\'s picture with a reason and sees it with its time; other staff have no form and see none', { timeout: 90_000 }, async () => {
  await stack.sql("UPDATE communes SET name = 'Xã Phong An' WHERE code = 'xa-a'")
  // The camera's presence reached the province (the form lists a commune's cameras from it).
  await until(async () => (await stack.sql('SELECT 1 FROM presence WHERE commune = $1 AND device_id = $2', ['xa-a', camera])).length === 1, 20_000, 'the camera known at the province')
  const signIn = async (username: string) => {
    const signedIn = await signInAs(browser, `http://127.0.0.1:${web.port}`, username, passwords[username]!, { viewport: { width: 1280, height: 1000 } })
    await signedIn.page.click('a[href="#/pictures"]')
    await signedIn.page.locator('table.pictures').waitFor()
    return signedIn
  }
  const { page, errors } = await signIn('tinh.congan')
  const form = page.locator('form.ask-picture')
  await form.locator('select[name=commune]').selectOption('xa-a')
  await expect.poll(() => form.locator(`select[name=cameraId] option[value="${camera}"]`).count(), { timeout: 10_000 }).toBe(1)
  await form.locator('select[name=cameraId]').selectOption(camera)
  await form.locator('input[name=reason]').fill('Vụ việc số 15/2026: va chạm giao thông')
  await form.locator('button[type=submit]').click()
  const row = page.locator('tr[data-request]', { hasText: 'Vụ việc số 15/2026' })
  await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/Đã nhận ảnh/)
  const viewsBefore = (await stack.sql("SELECT 1 FROM province_audit WHERE action = 'picture.view'")).length
  await row.locator('button', { hasText: 'Xem ảnh' }).click()
  const img = row.locator('img')
  await expect.poll(() => img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).complete && (el as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(100)
  expect(await row.locator('figcaption').textContent()).toMatch(/^Chụp lúc /)
  expect((await stack.sql("SELECT 1 FROM province_audit WHERE action = 'picture.view'")).length).toBe(viewsBefore + 1)
  await shoot(page, 'province-pictures')
  expect(errors).toEqual([])

  const other = await signIn('tinh.an')
  expect(await other.page.locator('form.ask-picture').count()).toBe(0)
  expect(await other.page.locator('tr[data-request]').count()).toBe(0)

  // The commune's admin reads the request in words in the box's audit list.
  const admin = await signedInPage(browser, a.t.httpUrl, await addCommuneUser(a.t.gw, 'admin'), PASSWORD)
  await admin.goto('/#/audit')
  const line = admin.locator('tr', { hasText: 'Vụ việc số 15/2026' })
  await line.waitFor()
  expect(await line.textContent()).toMatch(/tinh\.congan.*Tỉnh yêu cầu ảnh camera.*lý do: Vụ việc số 15\/2026: va chạm giao thông.*kết quả: Đã gửi ảnh mới nhất/s)
  await shoot(admin, 'audit-province-picture-request')
})
