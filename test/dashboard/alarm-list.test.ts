// The alarm list in a real Chromium (issue #15): devices named by their names and villages
// (in the list and the red banner), grouped by village; several alarms acknowledged at once
// with one comment; the comment thread with who and when; the list holding still while a
// comment is being typed, the new alarm waiting below until the operator is done.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, shoot, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD } from '../support/people.js'

let t: TestGateway
let browser: Browser
let police: string
beforeAll(async () => {
  t = await startTestGateway()
  police = await addUser(t.gw, 'police')
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await t?.stop()
})

const camera = (name: string, village: string) => t.addDevice('camera', { name, village }).id
const rowOf = (page: Page, id: string) => page.locator('li.alarm', { hasText: id })

test('alarms name the device and its village, grouped by village; three are acknowledged at once with one comment shown in each thread', { timeout: 60_000 }, async () => {
  const page = await signedInPage(browser, t.httpUrl, police, PASSWORD, { viewport: { width: 390, height: 844 } })
  await page.goto('/#/alarms')
  await page.locator('main h1', { hasText: 'Cảnh báo' }).waitFor()
  const market = ['Camera chợ cổng Đông', 'Camera chợ cổng Tây', 'Camera chợ bãi xe'].map((name) => camera(name, 'Thôn Chợ'))
  const school = camera('Camera trường tiểu học', 'Thôn Hòa Bình')
  for (const id of market) t.judge(id, { streamAlive: false })
  t.judge(school, { tamper: true })
  // The banner of a new critical alarm names the camera, not its id.
  await page.locator('.banner.critical', { hasText: 'Camera trường tiểu học · Thôn Hòa Bình' }).waitFor()
  for (const id of market) await rowOf(page, id).waitFor()
  expect(await rowOf(page, market[0]!).locator('.subject a').textContent()).toBe('Camera chợ cổng Đông')
  expect(await page.locator('.alarm-village h2').allTextContents()).toEqual(['Thôn Hòa Bình', 'Thôn Chợ']) // the village with the critical alarm first
  await shoot(page, 'alarms-phone')

  for (const id of market) await rowOf(page, id).locator('.pick input').check()
  const bar = page.locator('form.selection-bar')
  await bar.locator('strong', { hasText: '3' }).waitFor()
  await bar.locator('input').fill('Mất điện khu chợ, đã báo điện lực')
  await bar.locator('button[type=submit]').click()
  for (const id of market) await rowOf(page, id).locator('.badge.ok', { hasText: 'Đã xác nhận' }).waitFor()
  // The live push of the acknowledgements can reach the page before the POST's own answer,
  // which is what closes the bar: wait for it, do not assume the order of the two.
  await bar.waitFor({ state: 'detached' })
  const row = rowOf(page, market[1]!)
  await row.locator('button', { hasText: 'Diễn biến và ghi chú' }).click()
  await row.locator('.thread blockquote', { hasText: 'Mất điện khu chợ, đã báo điện lực' }).waitFor()
  await row.locator('.thread input').fill('Điện lực hẹn 16:00 có điện')
  await row.locator('.thread button[type=submit]').click()
  await row.locator('.thread blockquote', { hasText: 'Điện lực hẹn 16:00 có điện' }).waitFor()
  const entries = await row.locator('.thread-list li').allTextContents()
  expect(entries.at(-1)).toContain(police)
  expect(entries.at(-1)).toMatch(/\d{2}:\d{2}/)
  expect(entries[0]).toContain('Hệ thống')
  await shoot(page, 'alarm-thread')
  await page.context().close()
})

// retry: it passed alone every time (4 s) but timed out in full runs on a busy machine, twice in
// a row in CI at stop 29, waiting for the first row. Two ways an answer of the live link got
// lost were found and mended (live-answers.test.ts); not proved to be this one, so a failure
// now says what the page showed.
test('the list does not move while a comment is typed: a new worse alarm waits below, then takes its place', { timeout: 60_000, retry: 1 }, async () => {
  const page = await signedInPage(browser, t.httpUrl, police, PASSWORD)
  await page.goto('/#/alarms')
  const quiet = camera('Camera bến đò', 'Thôn Bến')
  t.judge(quiet, { recording: false })
  await rowOf(page, quiet).waitFor().catch(async (err: Error) => {
    throw new Error(`${err.message}\npage showed: ${(await page.locator('body').innerText().catch(() => '?')).slice(0, 600)}`)
  })
  const ids = async () => page.locator('ul.alarm-list').first().locator('li.alarm').evaluateAll((els: Array<{ getAttribute (name: string): string | null }>) => els.map((e) => e.getAttribute('data-id')))
  const before = await ids()
  await rowOf(page, quiet).locator('.alarm-actions input').fill('Đang kiểm tra đầu ghi')
  const urgent = camera('Camera cầu treo', 'Thôn Bến')
  t.judge(urgent, { tamper: true })
  await page.locator('section.waiting li.alarm', { hasText: urgent }).waitFor()
  expect(await ids()).toEqual(before)
  expect(await rowOf(page, quiet).locator('.alarm-actions input').inputValue()).toBe('Đang kiểm tra đầu ghi')
  await rowOf(page, quiet).locator('.alarm-actions input').fill('')
  await page.locator('section.waiting').waitFor({ state: 'detached' })
  expect((await ids())[0]).toBe(String(t.gw.alarmStore.list({ deviceId: urgent, limit: 1 })[0]!.id))
  await page.context().close()
})
