// The broadcast page in a real Chromium, for what issue #13 asked: the approver sees what they
// approve and a rejection carries a reason its author reads; a bulletin a cluster missed says
// "partly played", names the cluster and why, never "played out"; and an approver sends it
// again to that cluster from the emergency banner.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Broadcast } from '../../gateway/broadcasts/store.js'
import { json, official, post, tone, upload } from '../support/broadcasting.js'
import { launchChromium, shoot, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { PASSWORD } from '../support/people.js'
import { speakerIn, startOnline, type SimSpeaker } from '../support/speakers.js'

let t: TestGateway
let browser: Browser
let on: SimSpeaker
let dark: SimSpeaker
beforeAll(async () => {
  t = await startTestGateway({ presenceDebounceS: 0.5 })
  on = speakerIn(t, 'Thôn Hạ')
  dark = speakerIn(t, 'Thôn Hạ')
  browser = await launchChromium()
  await startOnline(t, [on])
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await Promise.all([on, dark].map((s) => s.stop()))
  await t?.stop()
})

test('the approver sees the text, audio, priority, villages with their count of clusters, schedule, time-to-live and author; a rejection needs a reason, which the author reads', { timeout: 90_000 }, async () => {
  const [author, approver] = [await official(t), await official(t, true)]
  const text = 'Chiều nay 14 giờ, họp toàn thể bà con thôn Hạ tại nhà văn hóa.'
  const clip = await json<{ id: string }>(await post(author, '/api/audio/speech', { text, voice: 'north' }), 201)
  const at = Date.now() + 86_400_000
  await json<Broadcast>(await post(author, '/api/broadcasts', {
    title: 'Họp thôn Hạ', priority: 'priority', clipId: clip.id, targets: { villages: ['Thôn Hạ'] }, schedule: { kind: 'at', at }, ttlS: 1800
  }), 201)

  const boss = await signedInPage(browser, t.httpUrl, approver.username, PASSWORD)
  await boss.goto('/#/broadcasts')
  const review = boss.locator('li[data-broadcast]', { hasText: 'Họp thôn Hạ' }).locator('[data-review]')
  await review.locator('[data-text]', { hasText: text }).waitFor()
  expect(await review.locator(`audio[src="/api/audio/${clip.id}"]`).count()).toBe(1)
  await review.locator('[data-reach]', { hasText: '2 cụm loa' }).waitFor()
  const shown = await review.innerText()
  for (const fact of ['Ưu tiên', 'Thôn Hạ (2)', 'Vào lúc', '30 phút', author.username]) expect(shown).toContain(fact)
  await shoot(boss, 'broadcast-approval')

  await review.getByRole('button', { name: /Từ chối/ }).click()
  const confirm = review.getByRole('button', { name: /Xác nhận từ chối/ })
  expect(await confirm.isDisabled()).toBe(true)
  await review.getByLabel(/Lý do từ chối/).fill('Sai giờ họp, đề nghị sửa thành 15 giờ')
  await confirm.click()

  const page = await signedInPage(browser, t.httpUrl, author.username, PASSWORD)
  await page.goto('/#/broadcasts')
  await page.locator('li[data-broadcast] [data-rejection]', { hasText: `Bị từ chối bởi ${approver.username}: “Sai giờ họp, đề nghị sửa thành 15 giờ”` }).waitFor()
  await boss.context().close()
  await page.context().close()
})

test('an emergency a dark cluster missed reads "partly played, 1 of 2" with the cluster and why; the approver sends it again from the banner and it reads played in full', { timeout: 90_000 }, async () => {
  const approver = await official(t, true)
  const clip = await upload(approver, tone(1))
  const b = await json<Broadcast>(await post(approver, '/api/broadcasts', {
    title: 'Cảnh báo sạt lở', priority: 'emergency', clipId: clip.id, targets: { villages: ['Thôn Hạ'] }, ttlS: 10, action: 'send'
  }), 201)
  const page = await signedInPage(browser, t.httpUrl, approver.username, PASSWORD)
  await page.goto('/#/broadcasts')
  const row = page.locator(`li[data-broadcast="${b.id}"]`)
  // The dark cluster's delivery expires with the time-to-live: then, and only then, it has ended.
  const banner = page.locator(`[data-missed="${b.id}"]`)
  await banner.waitFor({ timeout: 30_000 })
  expect(await banner.innerText()).toContain('phát trọn vẹn trên 1/2 cụm loa')
  expect(await banner.innerText()).toContain(t.gw.registry.get(dark.id)!.name)
  expect(await row.locator('[data-outcome]').innerText()).toMatch(/^Chỉ phát được một phần/)
  expect(await row.innerText()).not.toContain('Đã phát trọn vẹn')
  await row.locator('.missed', { hasText: 'Hết hiệu lực — Cụm loa không kết nối lại trong thời gian hiệu lực' }).waitFor()
  await shoot(page, 'broadcast-partly-played')

  dark.start()
  await expect.poll(() => t.gw.presence.get(dark.id).online, { timeout: 10_000 }).toBe(true)
  await banner.getByRole('button', { name: /Phát lại cho các cụm loa chưa phát được/ }).click()
  await row.locator('[data-outcome="played"]', { hasText: 'phát trọn vẹn trên 2/2 cụm loa' }).waitFor({ timeout: 30_000 })
  expect(await banner.count()).toBe(0)
  expect(t.gw.audit.list({ limit: 50 }).filter((e) => e.action === 'broadcast.resend' && e.target === b.id)).toHaveLength(1)
  await shoot(page, 'broadcast-resent')

  // The same truth on the English switch.
  await page.getByRole('button', { name: 'English' }).click()
  await row.locator('[data-outcome="played"]', { hasText: 'Played in full · played in full on 2 of 2 clusters' }).waitFor()

  // The bulletin's own log, as the page for the commune's paper file (its link opens it).
  expect(await row.getByRole('link', { name: 'Log of this bulletin' }).getAttribute('href')).toBe(`/api/broadcast-log?format=html&broadcast=${b.id}&lang=en`)
  await page.goto(`/api/broadcast-log?format=html&broadcast=${b.id}`)
  await page.getByRole('heading', { name: /NHẬT KÝ PHÁT THANH/ }).waitFor()
  expect(await page.locator('table tbody tr').count()).toBe(2)
  expect(await page.locator('p.meta').innerText()).not.toContain('1970')
  // The page's own style applies (the gateway's content security policy allows it).
  expect(await page.locator('h1').evaluate((h) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { textAlign: string } }).getComputedStyle(h).textAlign)).toBe('center')
  await page.emulateMedia({ media: 'print' })
  await shoot(page, 'broadcast-log-print')
  await page.context().close()
})
