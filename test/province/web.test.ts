// The province's views in a real Chromium, fed by a real gateway through the real cluster
// and workers: communes with their health, province-wide alarms with acknowledge, a
// commune's devices and a station's level from the provincial store, the broadcast log and
// its CSV; a read-only viewer of one department sees only that and acknowledges nothing.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { addUser } from '../../province/web/accounts.js'
import { buildProvinceWeb } from '../../province/web/build.js'
import { startProvinceWeb, type ProvinceWeb } from '../../province/web/server.js'
import { launchChromium, shoot, signIn as signInAs } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { startProvinceStack, uplinkSettings, type ProvinceStack } from '../support/province.js'

let stack: ProvinceStack
let t: TestGateway
let web: ProvinceWeb
let browser: Browser
let staffPassword: string
let viewerPassword: string
let stationId: string

beforeAll(async () => {
  await buildProvinceWeb({ quiet: true })
  stack = await startProvinceStack(['xa-dong', 'xa-tay'], inject('influxUrl'), { silentAfterMs: 5000 })
  await stack.sql("UPDATE communes SET lat = 16.46, lon = 107.59, name = 'Xã Phong Đông' WHERE code = 'xa-dong'")
  await stack.sql("UPDATE communes SET lat = 16.40, lon = 107.40, name = 'Xã Phong Tây' WHERE code = 'xa-tay'")
  t = await startTestGateway({ ...uplinkSettings(stack, 'xa-dong'), uplinkHeartbeatS: 1, uplinkReadingsKbps: 0 })
  const station = t.addDevice('water_sensor')
  const camera = t.addDevice('camera')
  stationId = station.id
  const s = await t.connect(station.id, station.secret)
  const c = await t.connect(camera.id, camera.secret)
  const t0 = Date.now() - 3_600_000
  for (let i = 0; i < 60; i++) await s.publishAsync(topics.telemetry(station.id), JSON.stringify({ ts: t0 + i * 60_000, levelM: 40 + Math.sin(i / 10) }), { qos: 1 })
  await c.publishAsync(topics.telemetry(camera.id), JSON.stringify({ tamper: true }), { qos: 1 })
  // A broadcast log row, sent as the commune on its own status lane (the gateway's bulletins have their own tests).
  const box = await stack.connectAs('xa-dong')
  const row = { type: 'broadcast', broadcast: { id: 'bc-1', title: 'Thông báo lịch tiêm chủng', priority: 'routine', status: 'done', createdAt: Date.now() - 60_000, updatedAt: Date.now() }, summary: { done: 3, targeted: 3 } }
  await box.jetstream().publish('up.xa-dong.status', new TextEncoder().encode(JSON.stringify({ lane: 'status', first: 1, last: 1, rows: [{ seq: 1_000_000, at: Date.now(), body: row }] })), { msgID: 'xa-dong:test-broadcast' })
  await box.close()
  staffPassword = await addUser(stack.service.pool, { username: 'tinh.an', name: 'Nguyễn Văn An', role: 'staff' })
  viewerPassword = await addUser(stack.service.pool, { username: 'congan.tinh', name: 'Trần Thị Bình', role: 'viewer', department: 'police' })
  web = await startProvinceWeb(stack.service, '127.0.0.1', 0)
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.close()
  await t?.stop()
  await stack?.stop()
})

const signIn = (username: string, password: string) => signInAs(browser, `http://127.0.0.1:${web.port}`, username, password)

test('provincial staff see the communes with their health, acknowledge a province-wide alarm, drill into a station and get the broadcast log', { timeout: 60_000 }, async () => {
  // What the gateway sent has reached the province's stores, and the rules have run.
  await expect.poll(async () => (await stack.sql("SELECT 1 FROM province_alarms WHERE rule = 'commune_silent' AND subject = 'xa-tay' AND state = 'active'")).length, { timeout: 20_000 }).toBe(1)
  await expect.poll(async () => (await stack.storedTimes('xa-dong', stationId)).length, { timeout: 20_000 }).toBe(60)
  await expect.poll(async () => (await stack.sql("SELECT 1 FROM presence WHERE commune = 'xa-dong'")).length, { timeout: 20_000 }).toBe(2)
  const { page, errors } = await signIn('tinh.an', staffPassword)
  const dong = page.locator('tr[data-commune=xa-dong]')
  await expect.poll(() => dong.textContent(), { timeout: 10_000 }).toMatch(/Trực tuyến/)
  expect(await dong.textContent()).toMatch(/Xã Phong Đông.*Trực tuyến.*bản ghi chờ.*Camera an ninh trật tự: 1\/1.*Trạm đo mực nước: 1\/1\s*1$/s)
  expect(await page.locator('tr[data-commune=xa-tay]').textContent()).toMatch(/Mất kết nối/)
  expect(await page.locator('svg[aria-label="Bản đồ"] circle').count()).toBe(2)
  await shoot(page, 'province-communes')

  await page.click('a[href="#/alarms"]')
  const silent = page.locator('.province-alarms li', { hasText: 'Xã mất liên lạc' })
  await silent.waitFor()
  expect(await silent.textContent()).toContain('xa-tay')
  expect(await page.locator('main').textContent()).toMatch(/Camera bị che khuất \/ phá hoại/)
  await silent.locator('button', { hasText: 'Xác nhận' }).click()
  await expect.poll(() => silent.textContent()).toMatch(/Đã xác nhận: tinh\.an/)
  await shoot(page, 'province-alarms')

  await page.goto('/#/commune/xa-dong')
  await page.locator(`tr[data-device="${stationId}"] button`).click()
  await page.locator('figure.level svg path').waitFor()
  // One reading a minute for an hour, in 24 h buckets of about 5 minutes.
  expect(await page.locator('figure.level figcaption').textContent()).toMatch(/: 39\.\d\d–40\.9\d m, 1\d điểm/)
  await shoot(page, 'province-commune')

  await page.click('a[href="#/broadcasts"]')
  await page.locator('table.broadcast-log td', { hasText: 'Thông báo lịch tiêm chủng' }).waitFor()
  const [bom, csv] = await page.evaluate(async () => {
    const bytes = new Uint8Array(await (await fetch('/api/broadcasts?format=csv')).arrayBuffer())
    return [Array.from(bytes.slice(0, 3)), new TextDecoder().decode(bytes)]
  })
  // A byte order mark, so a spreadsheet reads the Vietnamese as UTF-8.
  expect(bom).toEqual([0xef, 0xbb, 0xbf])
  expect(csv.split('\r\n')[0]).toBe('commune,communeName,id,title,priority,status,createdAt,updatedAt,summary')
  expect(csv).toContain('xa-dong,Xã Phong Đông,bc-1,Thông báo lịch tiêm chủng,routine,done')
  await shoot(page, 'province-broadcasts')

  await page.click('button:has-text("English")')
  await page.click('a[href="#/communes"]')
  await expect.poll(() => page.locator('h1').first().textContent()).toBe('Communes')
  expect(errors).toEqual([])
})

test("a read-only viewer of one department sees only that department's devices and cannot acknowledge or read the broadcast log", { timeout: 30_000 }, async () => {
  const { page } = await signIn('congan.tinh', viewerPassword)
  await page.goto('/#/commune/xa-dong')
  await page.locator('table.devices tbody tr').first().waitFor()
  expect(await page.locator('table.devices tbody tr').count()).toBe(1)
  expect(await page.locator('table.devices').textContent()).toMatch(/Camera/)
  await page.goto('/#/alarms')
  await page.locator('.province-alarms li').first().waitFor()
  expect(await page.locator('.province-alarms button').count()).toBe(0)
  const answers = await page.evaluate(async () => {
    const session = await (await fetch('/api/session')).json() as { csrfToken: string }
    const ack = await fetch('/api/alarms/1/acknowledge', { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } })
    const log = await fetch('/api/broadcasts')
    const noCsrf = await fetch('/api/alarms/1/acknowledge', { method: 'POST' })
    return [ack.status, log.status, noCsrf.status]
  })
  expect(answers).toEqual([403, 403, 403])
  const anonymous = await fetch(`http://127.0.0.1:${web.port}/api/communes`)
  expect(anonymous.status).toBe(401)
  expect(await anonymous.json()).toMatchObject({ code: 'PROV_ERR_UNAUTHENTICATED' })
})
