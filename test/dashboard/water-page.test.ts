// The water page in a real Chromium (issue #15): a flood rising in the last hour opens the
// chart on the last 6 h; falling water is called falling; the time to the next line is in
// words a person uses; the readings of the range download as CSV, the station named.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, shoot, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD } from '../support/people.js'

let t: TestGateway
let browser: Browser
let operator: string
const RESERVOIR = { name: 'Hồ Khe Mây', referenceLevels: { designFloodM: 33 }, alarmLevels: { level1M: 30, level2M: 31, level3M: 32 }, downstreamVillages: [] }
beforeAll(async () => {
  t = await startTestGateway()
  operator = await addUser(t.gw, 'operator')
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await t?.stop()
})

/** A station's readings every 5 minutes over the last hour, from `start` changing by `stepM` each time. */
async function station (name: string, start: number, stepM: number): Promise<string> {
  const { id, secret } = t.addDevice('water_sensor', { name, village: 'Thôn Khe Trăn', reservoir: RESERVOIR })
  const client = await t.connect(id, secret)
  const now = Date.now()
  for (let i = 12; i >= 0; i--) {
    const levelM = Math.round((start + stepM * (12 - i)) * 1000) / 1000
    await client.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ ts: now - i * 5 * 60_000, levelM, batteryPct: 90 }), { qos: 1 })
  }
  await client.endAsync()
  return id
}

test('a flood rising in the last hour opens on 6 h with the time to the next line in words; falling water is called falling; the range downloads as CSV', { timeout: 60_000 }, async () => {
  const rising = await station('Trạm đập chính', 29.9, 0.03) // 36 cm/h, above level I at the end
  await station('Trạm tràn xả lũ', 25.6, -0.01) // -12 cm/h
  await expect.poll(() => t.gw.alarmStore.list({ deviceId: rising, state: 'active', limit: 5 }).map((a) => a.type), { timeout: 10_000 }).toContain('water_level')
  const page = await signedInPage(browser, t.httpUrl, operator, PASSWORD, { viewport: { width: 390, height: 844 } })
  await page.goto('/#/water')
  const risingCard = page.locator('.station', { hasText: 'Trạm đập chính' })
  const fallingCard = page.locator('.station', { hasText: 'Trạm tràn xả lũ' })
  await risingCard.locator('[data-trend=up]', { hasText: 'đang lên 36 cm/h' }).waitFor()
  await fallingCard.locator('[data-trend=down]', { hasText: 'đang xuống 12 cm/h' }).waitFor()
  expect(await fallingCard.textContent()).not.toContain('đang lên')
  // 30.26 m rising 36 cm/h: level II (31 m) in about 2 h.
  expect(await risingCard.textContent()).toMatch(/Báo động II 31 m — khoảng 2 giờ( \d+ phút)? nữa/)
  expect(await page.locator('main').textContent()).not.toMatch(/\b0 h\b|dự kiến sau/)
  // The station in trouble is first and its chart opens on the last 6 h.
  await page.locator('.chart .ranges button[aria-pressed=true]', { hasText: '6h' }).waitFor()
  await expect.poll(async () => Number(await page.locator('.plot').getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThan(10)
  await shoot(page, 'water-phone')

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.csv-export a', { hasText: 'Tải CSV' }).click()])
  const csv = await fetchText(await download.path())
  const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n')
  expect(lines[0]).toBe('Thời điểm (giờ Việt Nam),Thiết bị,Mã thiết bị,Thôn,Đại lượng,Đơn vị,Trung bình,Nhỏ nhất,Lớn nhất,Số lần đo')
  expect(lines).toHaveLength(14)
  expect(lines.at(-1)).toMatch(new RegExp(`^\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}:\\d{2},Trạm đập chính,${rising},Thôn Khe Trăn,[^,]+,m,30.26,30.26,30.26,1$`))
  // A range of dates the person picks; bad input is refused with a clear error.
  const bad = await fetch(`${t.httpUrl}/api/devices/${rising}/history?field=levelM&format=xls`, { headers: { authorization: `Bearer ${t.gw.adminToken}` } })
  expect(bad.status).toBe(400)
  await page.context().close()
})

async function fetchText (path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  return readFile(path, 'utf8')
}
