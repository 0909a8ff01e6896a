// Offline map tiles from a folder the admin provides (issue #15 point 6): served to anyone
// who sees the map, only by whole-number Z/X/Y (nothing else reaches the file system), and
// drawn in a real Chromium under the markers, where the map still zooms and pans.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parseInventory } from '../../gateway/registry/inventory.js'
import { launchChromium, shoot, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD, signInAs } from '../support/people.js'

const INVENTORY = readFileSync(new URL('../../simulators/inventory/demo-commune.yaml', import.meta.url), 'utf8')
const ZOOM = 15
const tilesDir = mkdtempSync(join(tmpdir(), 'gw-tiles-'))
let t: TestGateway
let browser: Browser

/** Tiles of the commune and a margin around it at ZOOM: one green 256 px picture, made by ffmpeg. */
function makeTiles (): number {
  const picture = join(tilesDir, 'tile.png')
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=0xa8d5a2:s=256x256', '-frames:v', '1', picture])
  const n = 2 ** ZOOM
  const tx = (lon: number) => Math.floor((lon + 180) / 360 * n)
  const ty = (lat: number) => Math.floor((1 - Math.asinh(Math.tan(lat * Math.PI / 180)) / Math.PI) / 2 * n)
  let count = 0
  for (let x = tx(107.42); x <= tx(107.67); x++) {
    for (let y = ty(16.54); y <= ty(16.29); y++) {
      mkdirSync(join(tilesDir, String(ZOOM), String(x)), { recursive: true })
      copyFileSync(picture, join(tilesDir, String(ZOOM), String(x), `${y}.png`))
      count++
    }
  }
  return count
}

beforeAll(async () => {
  expect(makeTiles()).toBeGreaterThan(20)
  t = await startTestGateway({ mapTilesDir: tilesDir, mapTilesZoom: ZOOM })
  t.gw.registry.importMany(parseInventory(INVENTORY, 'yaml'))
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await t?.stop()
  rmSync(tilesDir, { recursive: true, force: true })
})

test('tiles are served by whole-number Z/X/Y to anyone who sees the map, and nothing else reaches the folder', async () => {
  const police = await signInAs(t.gw, t.httpUrl, 'police')
  expect(await (await police.fetch('/api/map/tiles')).json()).toEqual({ available: true, zoom: ZOOM })
  const n = 2 ** ZOOM
  const x = Math.floor((107.55 + 180) / 360 * n)
  const y = Math.floor((1 - Math.asinh(Math.tan(16.41 * Math.PI / 180)) / Math.PI) / 2 * n)
  const tile = await police.fetch(`/api/map/tiles/${ZOOM}/${x}/${y}.png`)
  expect(tile.status).toBe(200)
  expect(tile.headers.get('content-type')).toBe('image/png')
  expect(Buffer.from(await tile.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG')
  for (const path of [`${ZOOM}/abc/1.png`, `${ZOOM}/${x}/${y}.jpg`, `${ZOOM}/${x}/..%2F..%2Ftile.png`, `${ZOOM}/${n}/${y}.png`, '23/1/1.png', `${ZOOM}/-1/${y}.png`]) {
    expect((await police.fetch(`/api/map/tiles/${path}`)).status, path).toBe(400)
  }
  expect((await police.fetch(`/api/map/tiles/${ZOOM}/0/0.png`)).status).toBe(404)
  expect((await fetch(`${t.httpUrl}/api/map/tiles/${ZOOM}/${x}/${y}.png`)).status).toBe(401)
})

test('the map draws the tiles under its markers, every one found, and still zooms', { timeout: 60_000 }, async () => {
  const page = await signedInPage(browser, t.httpUrl, await addUser(t.gw, 'admin'), PASSWORD)
  const answers = new Map<string, number>()
  page.on('response', (res) => { if (res.url().includes('/api/map/tiles/')) answers.set(new URL(res.url()).pathname, res.status()) })
  await page.goto('/#/map')
  await page.locator('svg.plan g.tiles image').first().waitFor({ state: 'attached' })
  const drawn = await page.locator('svg.plan g.tiles image').count()
  expect(drawn).toBeGreaterThan(4)
  const hrefs = await page.locator('svg.plan g.tiles image').evaluateAll((els: Array<{ getAttribute (n: string): string | null }>) => els.map((e) => e.getAttribute('href')!))
  // Each tile drawn was fetched and found (the browser may fetch one again as the page settles).
  await expect.poll(() => hrefs.filter((h) => !answers.has(h)), { timeout: 20_000 }).toEqual([])
  expect([...answers.values()].every((s) => s === 200)).toBe(true)
  expect(await page.locator('main').innerText()).toContain('nền bản đồ ngoại tuyến')
  // The tiles are under the markers: drawn before them in the SVG.
  expect(await page.locator('svg.plan > *').evaluateAll((els: Array<{ getAttribute (n: string): string | null; tagName: string }>) =>
    els.findIndex((e) => e.getAttribute('class') === 'tiles') < els.findIndex((e) => e.tagName === 'a'))).toBe(true)
  await page.locator('button', { hasText: '+' }).click()
  expect(Number((await page.locator('svg.plan').getAttribute('viewBox'))!.split(' ')[2])).toBeLessThan(1000)
  await shoot(page, 'map-tiles')
  await page.context().close()
})
