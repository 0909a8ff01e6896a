// Speaking live from the dashboard in a real Chromium whose microphone is a WAV file of a
// 440 Hz tone: the browser records it (MediaRecorder), the gateway transcodes it, and the
// chosen village's simulated clusters fetch the stream and decode the tone; the other
// village hears nothing. The session is an emergency, so it cuts off a routine bulletin.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Broadcast } from '../../gateway/broadcasts/store.js'
import { deliveries, json, official, post, tone, upload } from '../support/broadcasting.js'
import { fakeMicrophone, launchChromium, shoot, signedInPage } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { heard } from '../support/live-audio.js'
import { PASSWORD } from '../support/people.js'
import { speakerIn, startOnline, type SimSpeaker } from '../support/speakers.js'

let t: TestGateway
let browser: Browser
let folder: string
const sims: SimSpeaker[] = []
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'fake-mic-'))
  const wav = join(folder, 'tone-440.wav')
  writeFileSync(wav, tone(30))
  t = await startTestGateway({ presenceDebounceS: 0.5 })
  sims.push(speakerIn(t, 'Thôn Hạ', { keepStreams: true }), speakerIn(t, 'Thôn Hạ', { keepStreams: true }), speakerIn(t, 'Thôn Thượng', { keepStreams: true }))
  browser = await launchChromium(fakeMicrophone(wav))
  await startOnline(t, sims)
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await Promise.all(sims.map((s) => s.stop()))
  await t?.stop()
  rmSync(folder, { recursive: true, force: true })
})

test('an approver speaks live from the browser: the chosen village\'s clusters play the microphone, the other hears nothing, a routine bulletin is cut off', { timeout: 90_000 }, async () => {
  const [a1, a2, b1] = sims as [SimSpeaker, SimSpeaker, SimSpeaker]
  const [author, approver] = [await official(t), await official(t, true)]
  const routine = await json<Broadcast>(await post(author, '/api/broadcasts', {
    title: 'Lịch họp thôn', priority: 'routine', clipId: (await upload(author, tone(30))).id, targets: { devices: [a1.id] }, ttlS: 300
  }), 201)
  await json(await post(approver, `/api/broadcasts/${routine.id}/approve`, {}), 200)
  await expect.poll(() => deliveries(t, routine.id)[a1.id]?.state, { timeout: 10_000 }).toBe('playing')

  const page = await signedInPage(browser, t.httpUrl, approver.username, PASSWORD)
  await page.goto('/#/live')
  await page.locator('input[name=title]').fill('Cháy rừng phía tây thôn Hạ')
  await page.getByLabel('Mức ưu tiên').selectOption('emergency')
  await page.getByLabel('Thôn Hạ').check()
  await page.getByRole('button', { name: /Bắt đầu nói/ }).click()
  const onAir = page.locator('[data-live]')
  await onAir.filter({ hasText: 'Đang phát trên 2/2 cụm loa' }).waitFor({ timeout: 15_000 })
  const id = (await onAir.getAttribute('data-live'))!
  await shoot(page, 'live-on-air')
  expect(deliveries(t, routine.id)[a1.id]).toMatchObject({ reason: 'preempted by an emergency bulletin' })
  // Let the village hear a few seconds of the microphone.
  await expect.poll(() => heard(a2.streamed(id), 440).toneSeconds, { timeout: 20_000, interval: 1000 }).toBeGreaterThanOrEqual(3)

  await page.getByRole('button', { name: /Kết thúc phát trực tiếp/ }).click()
  await page.locator(`[data-ended="${id}"]`).waitFor({ timeout: 15_000 })
  await expect.poll(() => t.gw.broadcasts.store.require(id).status, { timeout: 10_000 }).toBe('done')
  for (const sim of [a1, a2]) {
    expect(deliveries(t, id)[sim.id]).toMatchObject({ state: 'done' })
    expect(heard(sim.streamed(id), 440).toneSeconds).toBeGreaterThanOrEqual(3)
  }
  expect(b1.streamed(id).length).toBe(0)
  await page.locator('[data-device][data-state="done"]').nth(1).waitFor()
  await shoot(page, 'live-ended')
  // The recording is downloadable from the page, and it is the microphone's tone.
  const href = (await page.getByRole('link', { name: 'Tải bản ghi âm' }).getAttribute('href'))!
  const recording = Buffer.from(await (await approver.fetch(href)).arrayBuffer())
  expect(heard(recording, 440).toneSeconds).toBeGreaterThanOrEqual(3)
  // The routine bulletin plays again after the emergency.
  await expect.poll(() => deliveries(t, routine.id)[a1.id], { timeout: 15_000 }).toMatchObject({ state: 'playing', attempts: 2 })
  // Its microphone and recorder would keep two cores busy during the tests below.
  await page.context().close()
})

test('an official who may not approve bulletins is told so and offered no microphone', { timeout: 60_000 }, async () => {
  const drafter = await official(t)
  const page = await signedInPage(browser, t.httpUrl, drafter.username, PASSWORD)
  await page.goto('/#/live')
  await page.getByText('Chỉ cán bộ được quyền duyệt bản tin mới phát trực tiếp được.').waitFor()
  expect(await page.getByRole('button', { name: /Bắt đầu nói/ }).count()).toBe(0)
  await page.context().close()
})

test('an approver sets up a daily relay of a station from the live page, and sees it scheduled', { timeout: 60_000 }, async () => {
  const approver = await official(t, true)
  const page = await signedInPage(browser, t.httpUrl, approver.username, PASSWORD)
  await page.goto('/#/live')
  await page.locator('input[name=relay-title]').fill('Tiếp sóng Đài Phát thanh tỉnh')
  await page.getByLabel('Địa chỉ luồng phát (HTTP/Icecast)').fill('http://127.0.0.1:9/radio.mp3')
  await page.getByLabel('Hằng ngày lúc').fill('17:20')
  await page.getByRole('button', { name: 'Lưu lịch tiếp sóng' }).click()
  await page.locator('[data-relay]').filter({ hasText: 'Tiếp sóng Đài Phát thanh tỉnh' }).filter({ hasText: 'Đã lên lịch' }).waitFor()
  const [relay] = t.gw.broadcasts.relays.list()
  expect(relay).toMatchObject({ createdBy: approver.username, status: 'scheduled', spec: { schedule: { kind: 'daily', time: '17:20' }, targets: { all: true }, fallback: 'stop' } })
  await shoot(page, 'live-relays')
})
