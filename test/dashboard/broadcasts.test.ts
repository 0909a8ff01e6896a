// The broadcast page in a real Chromium: an official types a bulletin, has it spoken and
// hears the preview; an author submits, an approver approves it, and both watch each
// cluster's confirmation arrive without a reload; an approver sends an emergency at once.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { json, official, post, tone, upload } from '../support/broadcasting.js'
import { launchChromium, shoot, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { PASSWORD } from '../support/people.js'
import { speakerIn, startOnline, type SimSpeaker } from '../support/speakers.js'

let t: TestGateway
let browser: Browser
const sims: SimSpeaker[] = []
beforeAll(async () => {
  t = await startTestGateway({ presenceDebounceS: 0.5 })
  sims.push(speakerIn(t, 'Thôn Hạ'), speakerIn(t, 'Thôn Hạ'), speakerIn(t, 'Thôn Thượng'))
  browser = await launchChromium()
  await startOnline(t, sims)
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await Promise.all(sims.map((s) => s.stop()))
  await t?.stop()
})

test('compose by speech, preview, submit; another official approves; the clusters\' confirmations arrive live', { timeout: 90_000 }, async () => {
  const [author, approver] = [await official(t), await official(t, true)]
  const page = await signedInPage(browser, t.httpUrl, author.username, PASSWORD)
  await page.goto('/#/broadcasts')
  await page.getByLabel('Tiêu đề').fill('Lịch tiêm phòng')
  await page.getByLabel('Nội dung đọc').fill('Sáng mai, trạm y tế xã tiêm phòng cho trẻ em dưới năm tuổi.')
  await page.getByLabel('Giọng đọc').selectOption('central')
  await page.getByRole('button', { name: /Tạo giọng đọc/ }).click()
  await page.locator('audio[src^="/api/audio/"]').waitFor({ timeout: 20_000 })
  expect(await page.locator('audio').evaluate((a) => fetch((a as unknown as { src: string }).src).then((r) => r.headers.get('content-type')))).toMatch(/audio\/mpeg/)
  await page.getByLabel('Thôn Hạ').check()
  // Someone who may not approve is not offered the emergency button.
  await page.getByLabel('Mức ưu tiên').selectOption('emergency')
  expect(await page.getByRole('button', { name: /Phát khẩn cấp ngay/ }).count()).toBe(0)
  await page.getByLabel('Mức ưu tiên').selectOption('routine')
  await page.getByRole('button', { name: 'Gửi duyệt' }).click()
  await page.getByRole('status').filter({ hasText: 'Chờ duyệt' }).waitFor()

  const boss = await signedInPage(browser, t.httpUrl, approver.username, PASSWORD)
  await boss.goto('/#/broadcasts')
  const row = boss.locator('li[data-broadcast]', { hasText: 'Lịch tiêm phòng' })
  await row.getByRole('button', { name: /Phê duyệt/ }).click()
  // Both pages follow the deliveries live: two clusters of Thôn Hạ, played in full.
  for (const p of [boss, page]) await p.locator('li[data-broadcast] [data-summary]', { hasText: 'Phát trọn vẹn: 2' }).waitFor({ timeout: 40_000 })
  await row.getByRole('button', { name: 'Cụm loa' }).click()
  await row.locator('table tbody tr').nth(1).waitFor()
  expect(await row.locator('table tbody tr', { hasText: '✓ Phát trọn vẹn' }).count()).toBe(2)
  await shoot(boss, 'broadcasts')
  await page.context().close()
  await boss.context().close()
})

test('an approver sends an emergency bulletin at once; the whole commune\'s clusters play it', { timeout: 90_000 }, async () => {
  const approver = await official(t, true)
  const page = await signedInPage(browser, t.httpUrl, approver.username, PASSWORD)
  await page.goto('/#/broadcasts')
  await page.getByLabel('Tiêu đề').fill('Cảnh báo lũ khẩn cấp')
  await page.getByLabel('Nội dung đọc').fill('Nước hồ đang lên nhanh, bà con khẩn trương sơ tán.')
  await page.getByRole('button', { name: /Tạo giọng đọc/ }).click()
  await page.locator('audio[src^="/api/audio/"]').waitFor({ timeout: 20_000 })
  await page.getByLabel('Mức ưu tiên').selectOption('emergency')
  await page.getByLabel('Toàn xã').check()
  await page.getByRole('button', { name: /Phát khẩn cấp ngay/ }).click()
  const row = page.locator('li[data-broadcast]', { hasText: 'Cảnh báo lũ khẩn cấp' })
  await row.locator('[data-summary]', { hasText: /Đang phát: 3|Phát trọn vẹn: 3/ }).waitFor({ timeout: 30_000 })
  // The gateway's own note on the release is in the reader's language only (issue #15).
  await row.getByText('“khẩn cấp: phát ngay, không chờ phê duyệt”').waitFor()
  expect(await row.innerText()).not.toMatch(/sent without|approval/)
  await page.context().close()
})

test('a bulletin the gateway wrote and released itself (a flood warning) reads "Hệ thống" as its author and approver, never "system"', { timeout: 60_000 }, async () => {
  const approver = await official(t, true)
  const clip = await upload(approver, tone(1))
  // As the automatic flood warning does (broadcasts/warnings.ts): the gateway is its author and approver.
  t.gw.broadcasts.service.compose({ title: 'Cảnh báo lũ tự động', priority: 'emergency', clipId: clip.id, targets: { villages: ['Thôn Thượng'] }, action: 'send' },
    { actor: 'system', role: 'admin', mayApprove: true })
  const page = await signedInPage(browser, t.httpUrl, approver.username, PASSWORD)
  await page.goto('/#/broadcasts')
  const row = page.locator('li[data-broadcast]', { hasText: 'Cảnh báo lũ tự động' })
  await row.getByText('Người soạn: Hệ thống').waitFor()
  const text = await row.innerText()
  expect(text).toContain('Người duyệt: Hệ thống')
  expect(text).not.toMatch(/\bsystem\b/)
  await page.context().close()
})

test('an approver\'s own bulletin waiting for approval says that another official who may approve releases it, and offers its author no approval', { timeout: 60_000 }, async () => {
  const approver = await official(t, true)
  const clip = await upload(approver, tone(1))
  await json(await post(approver, '/api/broadcasts', { title: 'Họp thôn tối nay', priority: 'routine', clipId: clip.id, targets: { villages: ['Thôn Hạ'] } }), 201)
  const page = await signedInPage(browser, t.httpUrl, approver.username, PASSWORD)
  await page.goto('/#/broadcasts')
  const row = page.locator('li[data-broadcast]', { hasText: 'Họp thôn tối nay' })
  await row.getByText('Chờ một cán bộ khác có quyền duyệt phê duyệt').waitFor()
  expect(await row.getByRole('button', { name: /Phê duyệt/ }).count()).toBe(0)
  // Another approver sees the bulletin to review, not the note meant for its author.
  const other = await official(t, true)
  const boss = await signedInPage(browser, t.httpUrl, other.username, PASSWORD)
  await boss.goto('/#/broadcasts')
  const theirs = boss.locator('li[data-broadcast]', { hasText: 'Họp thôn tối nay' })
  await theirs.getByRole('button', { name: /Phê duyệt/ }).waitFor()
  expect(await theirs.locator('[data-waits-for-approver]').count()).toBe(0)
  await page.context().close()
  await boss.context().close()
})
