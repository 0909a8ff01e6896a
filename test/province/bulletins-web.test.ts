// The province's bulletin page in a real Chromium: an official composes, another who may
// approve releases it, and both follow it per commune and village as the real gateway's
// clusters play it; an emergency sent at once shows the offline commune as not warned; a
// flood warning a village did not play in full shows on the alarms page with how far it has
// escalated and when.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { addUser } from '../../province/web/accounts.js'
import { buildProvinceWeb } from '../../province/web/build.js'
import { startProvinceWeb, type ProvinceWeb } from '../../province/web/server.js'
import { official, tone } from '../support/broadcasting.js'
import { launchChromium, shoot, signedInPage, signIn as signInAs } from '../support/browser.js'
import { PASSWORD } from '../support/people.js'
import { provincialStates, startCommune, type TestCommune } from '../support/communes.js'
import { speakerIn } from '../support/speakers.js'
import { setBasinStation } from '../../province/bulletins/flood.js'
import { startProvinceStack, type ProvinceStack } from '../support/province.js'

let stack: ProvinceStack
let a: TestCommune
let web: ProvinceWeb
let browser: Browser
const passwords: Record<string, string> = {}

beforeAll(async () => {
  await buildProvinceWeb({ quiet: true })
  stack = await startProvinceStack(['xa-a', 'xa-b'], inject('influxUrl'), { sweepMs: 3_600_000 })
  await stack.sql("UPDATE communes SET name = 'Xã Phong An' WHERE code = 'xa-a'")
  await stack.sql("UPDATE communes SET name = 'Xã Phong Bình' WHERE code = 'xa-b'")
  a = await startCommune(stack, 'xa-a', { 'Thôn Đông': 2, 'Thôn Tây': 1 })
  passwords['tinh.soan'] = await addUser(stack.service.pool, { username: 'tinh.soan', name: 'Lê Văn Soạn', role: 'staff' })
  passwords['tinh.duyet'] = await addUser(stack.service.pool, { username: 'tinh.duyet', name: 'Phạm Thị Duyệt', role: 'staff', mayApprove: true })
  web = await startProvinceWeb(stack.service, '127.0.0.1', 0)
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.close()
  await a?.stop()
  await stack?.stop()
})

/** Box A's part of the basin map as it keeps it in state.db, read by another connection. */
function keptBasin (): string {
  const db = new Database(join(a.t.dataDir, 'state.db'), { readonly: true })
  try { return db.prepare<[], { value: string }>("SELECT value FROM kv WHERE key = 'province.basin'").get()?.value ?? '' } finally { db.close() }
}

async function signIn (username: string): Promise<{ page: Page; errors: string[] }> {
  const signedIn = await signInAs(browser, `http://127.0.0.1:${web.port}`, username, passwords[username]!, { viewport: { width: 1280, height: 1000 } })
  await signedIn.page.click('a[href="#/bulletins"]')
  await signedIn.page.locator('form.compose-bulletin').waitFor()
  return signedIn
}

test('an official composes a bulletin for one village, another approves it, and both follow it to "played in full" per commune and village', { timeout: 90_000 }, async () => {
  const clerk = await signIn('tinh.soan')
  const form = clerk.page.locator('form.compose-bulletin')
  await form.locator('input[name=title]').fill('Lịch tiêm phòng cho trẻ em')
  await form.locator('textarea[name=text]').fill('Thông báo của tỉnh: sáng thứ hai tiêm phòng cho trẻ em tại trạm y tế xã.')
  await form.locator('input[value=xa-a]').check()
  await form.locator('input[name=villages-xa-a]').fill('Thôn Đông')
  // No emergency button for one who may not approve, and none for a routine bulletin.
  expect(await form.locator('button.danger').count()).toBe(0)
  await form.locator('button[type=submit]').click()
  const item = (p: Page) => p.locator('li[data-bulletin]', { hasText: 'Lịch tiêm phòng cho trẻ em' })
  await expect.poll(() => item(clerk.page).locator('[data-status]').textContent(), { timeout: 10_000 }).toBe('Chờ duyệt')
  expect(await item(clerk.page).locator('button', { hasText: 'Phê duyệt' }).count()).toBe(0)
  await shoot(clerk.page, 'province-bulletin-pending')

  const boss = await signIn('tinh.duyet')
  await item(boss.page).locator('button', { hasText: 'Phê duyệt' }).click()
  const id = await item(boss.page).getAttribute('data-bulletin')
  await expect.poll(() => provincialStates(a, id!), { timeout: 40_000 }).toEqual(['done', 'done'])
  for (const { page } of [boss, clerk]) {
    await expect.poll(() => item(page).locator('[data-outcome]').first().getAttribute('data-outcome'), { timeout: 20_000 }).toBe('played')
    expect(await item(page).locator('[data-outcome]').first().textContent()).toBe('Đã phát trọn vẹn · 2/2 cụm loa')
    expect(await item(page).locator('tbody[data-commune=xa-a] tr[data-village="Thôn Đông"]').textContent()).toMatch(/phát trọn vẹn\s*2\/2/)
  }
  await shoot(boss.page, 'province-bulletin-played')
  expect([...clerk.errors, ...boss.errors]).toEqual([])
})

test('an emergency sent at once reaches the commune that is online and shows the one that is not as not warned, at once', { timeout: 90_000 }, async () => {
  const boss = await signIn('tinh.duyet')
  const form = boss.page.locator('form.compose-bulletin')
  await form.locator('input[name=title]').fill('Lũ quét: sơ tán ngay')
  await form.locator('select[name=priority]').selectOption('emergency')
  await form.locator('textarea[name=text]').fill('Thông báo khẩn cấp của tỉnh: nguy cơ lũ quét, bà con sơ tán ngay.')
  await form.locator('input[value=xa-a]').check()
  await form.locator('input[value=xa-b]').check()
  await form.locator('button.danger').click()
  const item = boss.page.locator('li[data-bulletin]', { hasText: 'Lũ quét: sơ tán ngay' })
  await expect.poll(() => item.locator('tbody[data-commune=xa-b]').getAttribute('data-outcome'), { timeout: 10_000 }).toBe('not_warned')
  expect(await item.locator('tbody[data-commune=xa-b] tr').first().textContent()).toMatch(/Chưa cảnh báo được/)
  await expect.poll(() => item.locator('tbody[data-commune=xa-a]').getAttribute('data-outcome'), { timeout: 40_000 }).toBe('played')
  // Not "played" while a commune has not played it.
  expect(await item.locator('[data-outcome]').first().getAttribute('data-outcome')).toBe('airing')
  await shoot(boss.page, 'province-bulletin-not-warned')

  const refused = await boss.page.evaluate(async () => {
    const session = await (await fetch('/api/session')).json() as { csrfToken: string }
    const headers = { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }
    const routine = await fetch('/api/bulletins', { method: 'POST', headers, body: JSON.stringify({ title: 'x', priority: 'routine', text: 'x', targets: { all: true }, action: 'send' }) })
    const notAudio = await fetch('/api/bulletins/audio', { method: 'POST', headers: { 'content-type': 'audio/mpeg', 'x-csrf-token': session.csrfToken }, body: 'hello' })
    const unknown = await fetch('/api/bulletins', { method: 'POST', headers, body: JSON.stringify({ title: 'x', priority: 'routine', text: 'x', targets: { communes: ['xa-zz'] } }) })
    return [routine.status, notAudio.status, unknown.status, (await unknown.json() as { message: string }).message]
  })
  expect(refused).toEqual([403, 400, 400, 'unknown communes: xa-zz'])
  expect(boss.errors).toEqual([])
})

test('staff maintain the basin map over the API and each change reaches the boxes; bad stations are refused with the reason', { timeout: 60_000 }, async () => {
  const boss = await signIn('tinh.duyet')
  const answers = await boss.page.evaluate(async () => {
    const session = await (await fetch('/api/session')).json() as { csrfToken: string }
    const put = (body: unknown) => fetch('/api/basin-stations', { method: 'PUT', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify(body) })
    const unknown = await put({ commune: 'xa-a', stationId: 'wl-1', name: 'Trạm Đập', downstream: [{ commune: 'xa-zz', villages: ['Thôn 1'] }] })
    const bad = await put({ commune: 'xa-a', stationId: 'wl 1', name: '', downstream: [] })
    const ok = await put({ commune: 'xa-a', stationId: 'wl-1', name: 'Trạm Đập', reservoir: 'Hồ Đập', downstream: [{ commune: 'xa-b', villages: ['Thôn 1'] }] })
    const map = await (await fetch('/api/basin-stations')).json() as Array<{ stationId: string }>
    return [unknown.status, (await unknown.json() as { message: string }).message, bad.status, ok.status, map.map((s) => s.stationId)]
  })
  expect(answers).toEqual([400, 'unknown communes: xa-zz', 400, 200, ['wl-1']])
  // Box A keeps its part (its own station, warned for in xa-b).
  await expect.poll(keptBasin, { timeout: 20_000 }).toContain('"downstream":[{"commune":"xa-b","villages":["Thôn 1"]}]')
})

test('staff maintain the basin map on its page: a station added, its villages changed, then removed, each change reaching the box; one warning only its own commune is refused in Vietnamese', { timeout: 60_000 }, async () => {
  const boss = await signIn('tinh.duyet')
  await boss.page.click('a[href="#/basin"]')
  const form = boss.page.locator('form.basin-station')
  await form.locator('select[name=commune]').selectOption('xa-a')
  await form.locator('input[name=stationId]').fill('wl-khe')
  await form.locator('input[name=name]').fill('Trạm Khe Mây')
  await form.locator('input[name=reservoir]').fill('Hồ Khe Mây')
  await form.locator('input[name=basin]').fill('song-bo')
  await form.locator('input[name=down-xa-a]').fill('Thôn Đông')
  await form.locator('button[type=submit]').click()
  // The province warns only other communes: a station with none downstream would warn nobody.
  expect(await form.locator('[role=alert]').textContent()).toBe('Cần ít nhất một thôn hạ du của một xã khác: tỉnh chỉ cảnh báo các xã khác.')
  await form.locator('input[name=down-xa-b]').fill('Thôn Ba, Thôn Bốn')
  await form.locator('button[type=submit]').click()
  const row = boss.page.locator('tr[data-station="xa-a/wl-khe"]')
  await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/^Xã Phong AnTrạm Khe Mây wl-kheHồ Khe Mâysong-boXã Phong An: Thôn Đông; Xã Phong Bình: Thôn Ba, Thôn Bốn/)
  await expect.poll(keptBasin, { timeout: 20_000 }).toContain('"stationId":"wl-khe","name":"Trạm Khe Mây","reservoir":"Hồ Khe Mây","basin":"song-bo","downstream":[{"commune":"xa-a","villages":["Thôn Đông"]},{"commune":"xa-b","villages":["Thôn Ba","Thôn Bốn"]}]')
  await shoot(boss.page, 'province-basin-map')

  await row.getByRole('button', { name: 'Sửa', exact: true }).click()
  await expect.poll(() => form.locator('input[name=down-xa-b]').inputValue()).toBe('Thôn Ba, Thôn Bốn')
  await form.locator('input[name=down-xa-b]').fill('Thôn Ba')
  await form.locator('button[type=submit]').click()
  await expect.poll(() => row.locator('td').nth(4).textContent(), { timeout: 10_000 }).toBe('Xã Phong An: Thôn Đông; Xã Phong Bình: Thôn Ba')
  await expect.poll(keptBasin, { timeout: 20_000 }).toContain('{"commune":"xa-b","villages":["Thôn Ba"]}]')

  // Removing asks once more: the villages downstream would no longer be warned.
  await row.getByRole('button', { name: 'Xóa', exact: true }).click()
  await row.locator('button.danger', { hasText: 'Xóa khỏi bản đồ' }).click()
  await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0)
  await expect.poll(keptBasin, { timeout: 20_000 }).not.toContain('wl-khe')
  expect(await boss.page.locator('tr[data-station="xa-a/wl-1"]').count()).toBe(1)
  expect(boss.errors).toEqual([])
})

test('on the commune\'s broadcast page a bulletin from the province is marked as such, and cancelling it asks for the reason the province then reads', { timeout: 90_000 }, async () => {
  const approver = await official(a.t, true)
  const id = await stack.service.bulletins.compose({ title: 'Thông báo dài của tỉnh', priority: 'routine', text: 'Thông báo của tỉnh về lịch cắt điện tuần tới.', repeat: 5, gapS: 10, targets: { communes: ['xa-a'] } }, { username: 'tinh.soan', role: 'staff', mayApprove: false })
  await stack.service.bulletins.approve(id, { username: 'tinh.duyet', role: 'staff', mayApprove: true }, null)
  const page = await signedInPage(browser, a.t.httpUrl, approver.username, PASSWORD)
  await page.goto('/#/broadcasts')
  const row = page.locator(`li[data-broadcast]:has([data-province="${id}"])`)
  await expect.poll(() => row.locator('[data-province]').textContent(), { timeout: 30_000 }).toBe('Bản tin của tỉnh: Ủy ban nhân dân tỉnh')
  expect(await row.textContent()).toMatch(/tỉnh:tinh\.soan.*tỉnh:tinh\.duyet/)
  await row.getByRole('button', { name: 'Hủy phát' }).click()
  // No silent drop: the button that cancels waits for a reason.
  const confirm = row.locator('.province-cancel button')
  expect(await confirm.isDisabled()).toBe(true)
  await row.getByLabel('Lý do hủy (gửi lên tỉnh)').fill('Trùng giờ họp dân, xã sẽ đọc lại sau')
  await confirm.click()
  await expect.poll(() => row.locator('[data-cancel-reason]').textContent(), { timeout: 10_000 }).toBe('Lý do hủy: “Trùng giờ họp dân, xã sẽ đọc lại sau”')
  await shoot(page, 'commune-province-bulletin-cancelled')
  const boss = await signIn('tinh.duyet')
  const item = boss.page.locator(`li[data-bulletin="${id}"]`)
  await expect.poll(() => item.locator('tbody[data-commune=xa-a] tr').first().textContent(), { timeout: 20_000 }).toMatch(/Không phát được.*Trùng giờ họp dân, xã sẽ đọc lại sau/)
})

test('an uploaded sound file is sent as an emergency from the page and played from the audio the box fetched over its uplink', { timeout: 60_000 }, async () => {
  const boss = await signIn('tinh.duyet')
  const form = boss.page.locator('form.compose-bulletin')
  await form.locator('input[name=title]').fill('Còi báo động thử')
  await form.locator('select[name=priority]').selectOption('emergency')
  await form.locator('input[name=file]').setInputFiles({ name: 'coi.wav', mimeType: 'audio/wav', buffer: tone(1) })
  await form.locator('input[value=xa-a]').check()
  await form.locator('button.danger').click()
  const item = boss.page.locator('li[data-bulletin]', { hasText: 'Còi báo động thử' })
  await expect.poll(() => item.locator('[data-outcome]').first().getAttribute('data-outcome'), { timeout: 40_000 }).toBe('played')
  const id = (await item.getAttribute('data-bulletin'))!
  const clip = a.t.gw.broadcasts.audio.require(a.t.gw.broadcasts.store.byProvinceId(id)!.clipId)
  expect([clip.source, clip.contentType, Math.round(clip.durationMs / 100)]).toEqual(['upload', 'audio/wav', 10])
  expect(boss.errors).toEqual([])
})

test('a flood warning a downstream village did not play in full shows on the province\'s alarms page with its escalation level and when it last escalated, in Vietnamese first', { timeout: 120_000 }, async () => {
  const broken = speakerIn(a.t, 'Thôn Hỏng', { playFailShare: 1 })
  broken.start()
  await expect.poll(() => a.t.gw.presence.get(broken.id).online, { timeout: 15_000 }).toBe(true)
  // Commune B's station rises to level III: its alarm comes up B's alarms lane (sent here with B's own key).
  await setBasinStation(stack.service.pool, { commune: 'xa-b', stationId: 'wl-nguon', name: 'Trạm Nguồn', reservoir: 'Hồ Nguồn', downstream: [{ commune: 'xa-a', villages: ['Thôn Hỏng'] }] })
  const box = await stack.connectAs('xa-b')
  const at = Date.now()
  const alarm = { id: 7, type: 'water_level', severity: 'critical', state: 'active', deviceId: 'wl-nguon', village: 'Thôn Nguồn', kind: 'water_sensor', details: { stage: 3, levelM: 12.3, thresholdM: 12 }, startedAt: at, updatedAt: at }
  await box.jetstream().publish('up.xa-b.alarms', new TextEncoder().encode(JSON.stringify({ lane: 'alarms', first: 1, last: 1, rows: [{ seq: 1, at, body: { type: 'alarm', change: 'raised', alarm } }] })), { msgID: 'xa-b:test-flood-alarm' })
  await box.close()
  await expect.poll(() => a.t.gw.alarmStore.active().some((x) => x.type === 'broadcast_unconfirmed' && x.village === 'Thôn Hỏng'), { timeout: 60_000 }).toBe(true)

  // The province's sweep on an injected clock: raised, then two levels up, 5 minutes apart.
  const subject = 'xa-a/Thôn Hỏng'
  const row = async () => (await stack.sql<{ escalation: number; escalated_at: string | null }>("SELECT escalation, escalated_at FROM province_alarms WHERE rule = 'flood_warning_unplayed' AND subject = $1 AND state = 'active'", [subject]))[0]
  const now = Date.now()
  await expect.poll(async () => { await stack.service.rules.sweep(now); return (await row())?.escalation }, { timeout: 30_000 }).toBe(0)
  const boss = await signIn('tinh.duyet')
  await boss.page.click('a[href="#/alarms"]')
  const item = boss.page.locator(`.province-alarms li[data-rule=flood_warning_unplayed][data-subject="${subject}"]`)
  await expect.poll(() => item.locator('[data-escalation]').textContent(), { timeout: 10_000 }).toBe('Mức leo thang: 0 · chưa leo thang')
  expect(await item.textContent()).toMatch(/^Thôn chưa phát trọn vẹn cảnh báo lũ — xa-a\/Thôn Hỏng/)
  expect(await item.locator('[data-flood-village]').textContent()).toMatch(/Xã Phong An — Thôn Hỏng: 0\/1 cụm loa phát trọn vẹn · Cảnh báo lũ khẩn cấp: Hồ Nguồn.*Thiết bị thử \d+: /)

  await stack.service.rules.sweep(now + 5 * 60_000)
  await stack.service.rules.sweep(now + 10 * 60_000)
  expect(await row()).toEqual({ escalation: 2, escalated_at: String(now + 10 * 60_000) })
  // The page refreshes itself (every 5 s): the level and the time it last went up.
  await expect.poll(() => item.locator('[data-escalation]').getAttribute('data-escalation'), { timeout: 15_000 }).toBe('2')
  expect(await item.locator('[data-escalation]').textContent()).toMatch(/^Mức leo thang: 2 · leo thang lần cuối lúc \d/)
  await shoot(boss.page, 'province-alarm-escalated')
  await item.locator('button', { hasText: 'Xác nhận' }).click()
  await expect.poll(() => item.textContent()).toMatch(/Đã xác nhận: tinh\.duyet/)
  await stack.service.rules.sweep(now + 30 * 60_000)
  expect((await row())!.escalation).toBe(2)
  await boss.page.click('button:has-text("English")')
  await expect.poll(() => item.locator('[data-escalation]').textContent()).toMatch(/^Escalation level: 2 · last escalated at \d/)
  expect(boss.errors).toEqual([])
  await broken.stop()
})
