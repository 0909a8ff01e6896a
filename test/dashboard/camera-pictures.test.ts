// What the cameras see, on the dashboard (issue #20), in a real Chromium: thumbnails in the
// camera list, the village grid with each camera's picture, state and faults, the camera page's
// latest picture and marking it as the reference. The pictures come the real way: simulated
// RTSP/ONVIF cameras serve JPEGs, the gateway's probe keeps and measures them with ffmpeg, and
// a covered camera raises its alarm. Police and the admin see them (only the police mark a
// reference); officials and operators neither see the views nor get a picture, and every
// picture shown is in the audit log.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CameraHost } from '../../simulators/rtsp-camera/host.js'
import { VI } from '../../dashboard/src/words.js'
import { ALARM_TYPES, alarmTypeName } from '../../gateway/alarms/catalog.js'
import { launchChromium, shoot, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, PASSWORD } from '../support/people.js'

const HOUR = 3_600_000
/** The cameras' and the probe's clocks at the last 10:00 in Việt Nam (UTC+7): a daylight picture whenever the test runs. */
const local = Date.now() + 7 * HOUR
const tenOClock = local - (local % (24 * HOUR)) + 10 * HOUR
const offsetMs = (tenOClock <= local ? tenOClock : tenOClock - 24 * HOUR) - local

let t: TestGateway
let host: CameraHost
let browser: Browser
const VILLAGE = 'Thôn Bến Đò'
const cams: string[] = []
let covered: string
let elsewhere: string

beforeAll(async () => {
  t = await startTestGateway({ cameraProbeIntervalS: 3600, cameraProbeTimeoutS: 20, snapshotIntervalS: 0.001 }, { cameraClock: () => Date.now() + offsetMs })
  host = await CameraHost.start()
  const names = ['Camera cổng chợ', 'Camera bến đò', 'Camera ngã ba trường học']
  for (const [i, name] of names.entries()) cams.push(await probed({ name, village: VILLAGE, site: `Điểm ${i + 1}` }))
  elsewhere = await probed({ name: 'Camera nhà văn hóa', village: 'Thôn Khe Trăn' })
  covered = cams[1]!
  await t.gw.cameraProbes.runCycle()
  host.get(covered)!.faults.covered = true
  await t.gw.cameraProbes.runCycle()
  // The readings reach the alarm engine through the journal's commit and the bus.
  for (let i = 0; i < 300 && !t.gw.alarms.activeAlarms().some((a) => a.deviceId === covered && a.type === 'picture_covered'); i++) await new Promise((r) => setTimeout(r, 100))
  browser = await launchChromium()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await t?.stop()
  await host?.stop()
})

async function probed (device: { name: string; village: string; site?: string }): Promise<string> {
  const { id } = t.addDevice('camera', device)
  const sim = host.add({ id, faults: { clockOffsetS: offsetMs / 1000 } })
  const res = await t.api(`/api/devices/${id}/endpoint`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...host.urls(id), ...sim.credentials }) })
  expect(res.status).toBe(200)
  return id
}

const views = (actor: string) => t.gw.audit.list({ action: 'picture.view', limit: 1000 }).filter((e) => e.actor === actor)
/** Every picture of the page has loaded and is a real image (the route answered a JPEG). */
const loaded = (page: Page, selector: string) => page.locator(selector).evaluateAll((imgs) =>
  (imgs as Array<{ complete: boolean; naturalWidth: number }>).map((i) => i.complete && i.naturalWidth > 0))

test('the camera list shows a small picture of each camera, fetched through the audited route', { timeout: 90_000 }, async () => {
  const police = await addUser(t.gw, 'police')
  const page = await signedInPage(browser, t.httpUrl, police, PASSWORD)
  await page.goto('/#/cameras')
  await expect.poll(async () => (await loaded(page, '.vbody img.thumb')).filter(Boolean).length, { timeout: 30_000 }).toBe(4)
  // The thumbnail, not the full picture: the gateway's 320-wide copy.
  const width = await page.locator('.vbody img.thumb').first().evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)
  expect(width).toBe(320)
  await shoot(page, 'camera-list-thumbnails')
  const seen = views(police)
  expect(new Set(seen.map((e) => e.target))).toEqual(new Set([...cams, elsewhere]))
  expect(seen.every((e) => (e.details as { size: string }).size === 'thumb')).toBe(true)
  await page.context().close()
})

test('the grid shows one village\'s cameras at a glance: picture, name, state and the covered camera\'s fault', { timeout: 90_000 }, async () => {
  const police = await addUser(t.gw, 'police')
  const page = await signedInPage(browser, t.httpUrl, police, PASSWORD)
  await page.click('nav.tabs a[href="#/camera-grid"]')
  await page.locator('main select').selectOption(VILLAGE)
  const tiles = page.locator('.picture-grid .tile')
  await expect.poll(() => tiles.count(), { timeout: 20_000 }).toBe(3)
  await expect.poll(async () => (await loaded(page, '.picture-grid img.thumb')).filter(Boolean).length, { timeout: 30_000 }).toBe(3)
  const tile = page.locator(`.tile[data-camera="${covered}"]`)
  await expect.poll(() => tile.innerText(), { timeout: 20_000 }).toContain(alarmTypeName({ type: 'picture_covered', details: {} }, 'vi'))
  expect(await tile.innerText()).toContain('Camera bến đò')
  expect(await page.locator(`.tile[data-camera="${cams[0]}"]`).innerText()).not.toContain(VI.s_critical)
  expect(await page.locator('main').innerText()).not.toContain('Camera nhà văn hóa') // another village
  await shoot(page, 'camera-grid')
  expect(new Set(views(police).map((e) => e.target))).toEqual(new Set(cams))

  // On a phone the tiles stack, nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.waitForTimeout(300)
  expect(await page.evaluate(() => { const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement; return d.scrollWidth - d.clientWidth })).toBeLessThanOrEqual(0)
  await shoot(page, 'camera-grid-phone')
  await page.context().close()
})

test('a picture fault\'s alarm shows the police the picture it was judged on, fetched through the audited route', { timeout: 90_000 }, async () => {
  const police = await addUser(t.gw, 'police')
  const alarm = t.gw.alarms.activeAlarms().find((a) => a.deviceId === covered && a.type === 'picture_covered')!
  const at = alarm.details.snapshotAt as number
  const page = await signedInPage(browser, t.httpUrl, police, PASSWORD)
  await page.goto('/#/alarms')
  const row = page.locator(`li[data-id="${alarm.id}"]`)
  await row.waitFor({ timeout: 20_000 })
  const img = row.locator('img.alarm-picture')
  await expect.poll(async () => (await loaded(page, `li[data-id="${alarm.id}"] img.alarm-picture`)).filter(Boolean).length, { timeout: 20_000 }).toBe(1)
  expect(await img.getAttribute('src')).toBe(`/api/devices/${covered}/snapshots/${at}?size=thumb`)
  // A link to the whole picture, and the thumbnail's view is audited as that snapshot.
  expect(await row.locator('a:has(img.alarm-picture)').getAttribute('href')).toBe(`/api/devices/${covered}/snapshots/${at}`)
  expect(views(police).map((e) => [e.target, (e.details as { picture: number }).picture])).toContainEqual([covered, at])
  await shoot(page, 'alarm-picture')
  await page.context().close()
})

test('a covered camera\'s alarm tells the police what to do, in Vietnamese (and in English on the switch); an alarm of no advice shows none', { timeout: 90_000 }, async () => {
  const police = await addUser(t.gw, 'police')
  const alarm = t.gw.alarms.activeAlarms().find((a) => a.deviceId === covered && a.type === 'picture_covered')!
  const page = await signedInPage(browser, t.httpUrl, police, PASSWORD)
  await page.goto('/#/alarms')
  const todo = page.locator(`li[data-id="${alarm.id}"] [data-todo]`)
  await todo.waitFor({ timeout: 20_000 })
  expect(await todo.innerText()).toBe(`${VI.whatToDo}: ${ALARM_TYPES.picture_covered.todo.vi}`)
  expect(await todo.innerText()).toMatch(/^Cần làm: Cử người đến ngay/)
  await page.getByRole('button', { name: 'English' }).click()
  await expect.poll(() => todo.innerText(), { timeout: 10_000 }).toBe(`What to do: ${ALARM_TYPES.picture_covered.todo.en}`)
  await page.context().close()
  // Advice is a kind's to give: the general alarms (a village dark, offline) carry none.
  expect('todo' in ALARM_TYPES.offline).toBe(false)
})

test('police see the latest picture with its time and mark it as the reference after confirming; the page then shows who and when', { timeout: 90_000 }, async () => {
  const police = await addUser(t.gw, 'police')
  const id = cams[0]!
  const at = t.gw.snapshots.latestAt(id)!
  const page = await signedInPage(browser, t.httpUrl, police, PASSWORD)
  await page.goto(`/#/device/${id}`)
  const panel = page.locator('.camera-pictures')
  await panel.waitFor()
  await expect.poll(async () => loaded(page, '.camera-pictures img.picture'), { timeout: 20_000 }).toEqual([true])
  expect(await panel.innerText()).toContain(VI.noReference)
  expect(await page.locator('.camera-pictures img.picture').getAttribute('src')).toBe(`/api/devices/${id}/snapshots/${at}`)

  // Asking first: cancelling marks nothing.
  await panel.locator('button.mark-reference').click()
  await panel.locator('button', { hasText: VI.cancel }).click()
  expect(t.gw.snapshots.reference(id)).toBeNull()
  await panel.locator('button.mark-reference').click()
  expect(await panel.locator('[role=alertdialog]').innerText()).toContain(VI.referenceQuestion)
  await shoot(page, 'camera-reference-confirm')
  await panel.locator('button.confirm-reference').click()
  await expect.poll(async () => loaded(page, '.camera-pictures img.picture'), { timeout: 20_000 }).toEqual([true, true])
  expect(t.gw.snapshots.reference(id)).toMatchObject({ takenAt: at, markedBy: police })
  expect(await panel.innerText()).toContain(`${VI.markedBy} ${police}`)
  expect(t.gw.audit.list({ action: 'picture.reference_set', limit: 10 }).filter((e) => e.actor === police).map((e) => e.target)).toEqual([id])
  await shoot(page, 'camera-pictures-reference')
  // Both pictures were views, each audited: the latest and the reference.
  expect(views(police).map((e) => (e.details as { picture: unknown }).picture)).toEqual(expect.arrayContaining([at, 'reference']))
  await page.context().close()
})

test('the admin sees a camera\'s pictures but is not offered the reference, and the gateway refuses it to them', { timeout: 60_000 }, async () => {
  const admin = await addUser(t.gw, 'admin')
  const id = cams[2]!
  const page = await signedInPage(browser, t.httpUrl, admin, PASSWORD)
  await page.goto(`/#/device/${id}`)
  await expect.poll(async () => loaded(page, '.camera-pictures img.picture'), { timeout: 20_000 }).toEqual([true])
  expect(await page.locator('.camera-pictures button.mark-reference').count()).toBe(0)
  const at = t.gw.snapshots.latestAt(id)!
  const status = await page.evaluate(async ([id, at]) => {
    const csrf = await (await fetch('/api/session')).json() as { csrfToken: string }
    return (await fetch(`/api/devices/${id}/reference`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf.csrfToken }, body: JSON.stringify({ at }) })).status
  }, [id, at] as const)
  expect(status).toBe(403)
  expect(t.gw.snapshots.reference(id)).toBeNull()
  await page.context().close()
})

for (const role of ['official', 'operator'] as const) {
  test(`${role}s see no picture view, and the gateway refuses them every picture and the reference`, { timeout: 60_000 }, async () => {
    const username = await addUser(t.gw, role)
    const page = await signedInPage(browser, t.httpUrl, username, PASSWORD)
    expect(await page.locator('nav.tabs a[href="#/camera-grid"]').count()).toBe(0)
    await page.goto('/#/camera-grid')
    await page.locator('main .error').waitFor()
    expect(await page.locator('main').innerText()).toContain(VI.forbidden)
    expect(await page.locator('main img').count()).toBe(0)
    const id = cams[0]!
    const at = t.gw.snapshots.latestAt(id)!
    const asked = await page.evaluate(async ([id, at]) => {
      const csrf = await (await fetch('/api/session')).json() as { csrfToken: string }
      const status = async (path: string, init?: RequestInit) => (await fetch(path, init)).status
      return [
        await status(`/api/devices/${id}/snapshot?size=thumb`), await status(`/api/devices/${id}/snapshots/${at}`),
        await status(`/api/devices/${id}/reference`), await status('/api/pictures'),
        await status(`/api/devices/${id}/reference`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf.csrfToken }, body: JSON.stringify({ at }) })
      ]
    }, [id, at] as const)
    expect(asked).toEqual([403, 403, 403, 403, 403])
    expect(views(username)).toEqual([])
    await page.context().close()
  })
}
