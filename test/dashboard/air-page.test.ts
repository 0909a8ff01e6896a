// The air page in a real Chromium: each station's hourly VN_AQI on its band's colour with the
// band's Vietnamese name, the worst air first, the guideline's advice, 24 bars of trend; the
// officials see it, the police do not.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { AQI_BANDS } from '../../gateway/aqi/bands.js'
import { VI } from '../../dashboard/src/words.js'
import { launchChromium, shoot, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD } from '../support/people.js'

let t: TestGateway
let browser: Browser
beforeAll(async () => {
  t = await startTestGateway()
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await t?.stop()
})

/** The colour an element is drawn on, as the browser computes it. */
const background = (el: unknown): string => (globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }).getComputedStyle(el).backgroundColor

/** A station that logged `pm25` µg/m³ every 5 minutes for the last 13 hours and sent it all. */
async function station (name: string, pm25: number): Promise<string> {
  const { id, secret } = t.addDevice('air_quality', { name, village: 'Thôn An Lỗ' })
  const client = await t.connect(id, secret)
  const now = Date.now()
  for (let i = 13 * 12; i >= 0; i--) {
    await client.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ ts: now - i * 5 * 60_000, pm25Ugm3: pm25, pm10Ugm3: pm25 * 1.3, no2Ugm3: 20, batteryPct: 80 }), { qos: 1 })
  }
  await client.endAsync()
  return id
}

test('an official sees the smoky station first, its index on the purple of Rất xấu with the advice, and the clean one green', { timeout: 90_000 }, async () => {
  // PM2.5 200 for 12 h: NowCast 200, 200 + (300 − 200)/(250 − 150) × 50 = 250, Rất xấu.
  const smoky = await station('Trạm trường THCS', 200)
  // PM2.5 20: 50/25 × 20 = 40, Tốt.
  const clean = await station('Trạm UBND xã', 20)
  await expect.poll(() => t.gw.alarmStore.list({ deviceId: smoky, state: 'active', limit: 5 }).map((a) => a.severity), { timeout: 20_000 }).toEqual(['critical'])
  const official = await addUser(t.gw, 'official')
  const page = await signedInPage(browser, t.httpUrl, official, PASSWORD, { viewport: { width: 1280, height: 900 } })
  await page.goto('/#/air')
  const index = page.locator(`[data-testid=aqi-${smoky}]`)
  await index.waitFor()
  expect(await index.getAttribute('data-band')).toBe('very_bad')
  expect(await index.textContent()).toBe('250 Rất xấu')
  expect(await index.evaluate(background)).toBe('rgb(143, 63, 151)')
  expect(await page.locator(`[data-testid=aqi-${clean}]`).textContent()).toBe('40 Tốt')
  expect(await page.locator(`[data-testid=aqi-${clean}]`).evaluate(background)).toBe('rgb(0, 228, 0)')
  // The worst air first; its advice is the guideline's; 24 hours of trend, steady.
  const cards = page.locator('.station')
  expect(await cards.first().textContent()).toContain('Trạm trường THCS')
  const veryBad = AQI_BANDS.find((b) => b.id === 'very_bad')!
  expect(await cards.first().textContent()).toContain(veryBad.adviceGeneral.vi)
  expect(await cards.first().textContent()).toContain(VI.adviceSensitive)
  expect(await page.locator(`[data-testid=trend-${smoky}] .bar`).count()).toBe(24)
  expect(await cards.first().locator('[data-trend=steady]').textContent()).toContain(VI.aqiSteady)
  await shoot(page, 'air-quality')
  await page.context().close()
})

test('the police have no air page: not in their menu, and refused by address', { timeout: 60_000 }, async () => {
  const police = await addUser(t.gw, 'police')
  const page = await signedInPage(browser, t.httpUrl, police, PASSWORD)
  await page.goto('/#/air')
  await expect.poll(async () => page.locator('main').innerText()).toContain(VI.forbidden)
  expect(await page.locator('nav a[href="#/air"]').count()).toBe(0)
  await page.context().close()
})
