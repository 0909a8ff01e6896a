// The device page's back link works under the gateway's own content security policy
// (issue #14: a "javascript:" link was blocked): back to the page before, or to the
// device's list when the page was opened on its own.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD } from '../support/people.js'

let t: TestGateway
let browser: Browser
let camera: string
let police: string
beforeAll(async () => {
  t = await startTestGateway()
  camera = t.addDevice('camera').id
  police = await addUser(t.gw, 'police')
  browser = await launchChromium()
})
afterAll(async () => { await browser.close(); await t.stop() })

/** Messages the browser logs when the page's CSP refuses something. */
function cspViolations (page: Page): string[] {
  const seen: string[] = []
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) seen.push(m.text()) })
  return seen
}

test('from the camera list to a camera and back, with no CSP violation', { timeout: 60_000 }, async () => {
  const page = await signedInPage(browser, t.httpUrl, police, PASSWORD)
  const violations = cspViolations(page)
  await page.goto('/#/cameras')
  await page.locator(`a[href="#/device/${camera}"]`).first().click()
  await page.locator('main h1').filter({ hasText: 'Thiết bị thử' }).waitFor()
  await page.locator('a.back').click()
  await page.waitForURL(/#\/cameras$/)
  expect(violations).toEqual([])
  await page.context().close()
})

test('opened on its own in a new tab, the back link leads to the device\'s list', { timeout: 60_000 }, async () => {
  const first = await signedInPage(browser, t.httpUrl, police, PASSWORD)
  const page = await first.context().newPage()
  const violations = cspViolations(page)
  await page.goto(`/#/device/${camera}`)
  await page.locator('a.back').click()
  await page.waitForURL(/#\/cameras$/)
  expect(violations).toEqual([])
  await first.context().close()
})
