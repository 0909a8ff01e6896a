// The admin's integration tokens page (issue #22): make a token with its grants and kinds, see
// its secret once, find it listed, revoke it, and the token stops working.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, shoot, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD } from '../support/people.js'

let t: TestGateway
let browser: Browser
beforeAll(async () => {
  t = await startTestGateway()
  t.addDevice('water_sensor')
  browser = await launchChromium()
})
afterAll(async () => { await browser.close(); await t.stop() })

test('the admin makes a token, copies its secret shown once, and revokes it; the token then stops working', { timeout: 60_000 }, async () => {
  const page = await signedInPage(browser, t.httpUrl, await addUser(t.gw, 'admin'), PASSWORD)
  await page.goto('/#/tokens')
  await page.getByLabel('Tên', { exact: true }).fill('lgsp-tinh')
  await page.getByLabel('Xem cảnh báo').check()
  await page.getByLabel('Ghi chú').fill('Nền tảng LGSP của tỉnh')
  await page.getByRole('button', { name: 'Tạo mã kết nối' }).click()
  const secret = await page.locator('[role=status] code').textContent()
  expect(secret).toMatch(/^gwt_/)
  expect((await fetch(`${t.httpUrl}/api/alarms`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200)
  await page.locator('tr', { hasText: 'lgsp-tinh' }).waitFor()
  await page.reload()
  await page.locator('tr', { hasText: 'lgsp-tinh' }).getByText('Xem thiết bị và số liệu, Xem cảnh báo').waitFor()
  expect(await page.locator('body').textContent()).not.toContain(secret)
  await shoot(page, 'tokens')
  await page.locator('tr', { hasText: 'lgsp-tinh' }).getByRole('button', { name: 'Thu hồi' }).click()
  await page.locator('tr', { hasText: 'lgsp-tinh' }).getByText('Đã thu hồi').waitFor()
  expect((await fetch(`${t.httpUrl}/api/alarms`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401)
  await page.context().close()
})
