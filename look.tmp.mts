import { chromium } from 'playwright-core'
const [user, pass, ...pages] = process.argv.slice(2)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
page.on('console', (m) => console.log('console:', m.type(), m.text()))
page.on('pageerror', (e) => console.log('pageerror:', e.message))
await page.goto('http://127.0.0.1:18080/')
await page.fill('input[name=username]', user!)
await page.fill('input[name=password]', pass!)
await page.click('button[type=submit]')
await page.waitForSelector('nav.tabs')
for (const p of pages) {
  await page.goto(`http://127.0.0.1:18080/#/${p}`)
  await page.waitForTimeout(2500)
  await page.screenshot({ path: `/tmp/shots/${user}-${p.replace(/\//g, '_')}.png`, fullPage: false })
}
await browser.close()
