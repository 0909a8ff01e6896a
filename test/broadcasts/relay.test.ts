// Tiếp sóng over the real path: a local "radio station" (an HTTP server streaming, in real
// time, an MP3 made by ffmpeg: a tone, then silence, then the connection dies) relayed by the
// gateway to simulated clusters; the box fetches it once, the clusters decode the tone, and a
// source silent or dead for longer than allowed raises the villages' alarm and falls back.
import { execFileSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import { deliveries, json, official, post, tone, upload } from '../support/broadcasting.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { heard } from '../support/live-audio.js'
import { speakerIn, type SimSpeaker } from '../support/speakers.js'

let t: TestGateway
let station: Server
const sims: SimSpeaker[] = []
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()))
  await t.stop()
  station?.closeAllConnections()
  await new Promise((resolve) => station?.close(resolve))
})

const BYTES_PER_S = 8000 // 64 kbit/s

/** A station that plays `toneS` of 440 Hz then `silenceS` of silence, in real time, then drops the listener. */
async function radio (toneS: number, silenceS: number): Promise<{ url: string; requests: () => number; bytes: () => number }> {
  const filter = `sine=frequency=440:sample_rate=44100:duration=${toneS}[t];aevalsrc=0:s=44100:d=${Math.max(silenceS, 0.1)}[q];[t][q]concat=v=0:a=1`
  const mp3 = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', filter, '-ac', '1', '-codec:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3', 'pipe:1'])
  let requests = 0
  let bytes = 0
  station = createServer((_req, res) => {
    requests++
    res.writeHead(200, { 'content-type': 'audio/mpeg' })
    let at = 0
    const timer = setInterval(() => {
      const piece = mp3.subarray(at, at + BYTES_PER_S / 10)
      at += piece.length
      bytes += piece.length
      if (piece.length > 0) res.write(piece)
      else { clearInterval(timer); res.destroy() }
    }, 100)
    res.once('close', () => clearInterval(timer))
  })
  await new Promise<void>((resolve) => station.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(station.address() as AddressInfo).port}/radio.mp3`, requests: () => requests, bytes: () => bytes }
}

async function online (...speakers: SimSpeaker[]): Promise<void> {
  for (const s of speakers) { sims.push(s); s.start() }
  await expect.poll(() => speakers.every((s) => t.gw.presence.get(s.id).online), { timeout: 10_000 }).toBe(true)
}

const relayAirings = (t: TestGateway) => t.gw.broadcasts.store.list({ limit: 50 }).filter((b) => b.live)

test('a relayed station is fetched once for every cluster; when it goes silent the villages\' alarm is raised and the chosen clip plays instead', { timeout: 60_000 }, async () => {
  t = await startTestGateway()
  const [a1, a2] = [speakerIn(t, 'Thôn Hạ', { keepStreams: true }), speakerIn(t, 'Thôn Hạ', { keepStreams: true })]
  await online(a1, a2)
  const boss = await official(t, true)
  const station = await radio(5, 10)
  const clip = await upload(boss, tone(2))
  await json(await post(boss, '/api/relays', {
    title: 'Tiếp sóng Đài tỉnh', url: station.url, targets: { villages: ['Thôn Hạ'] }, schedule: { kind: 'now' }, durationMin: 30, silenceS: 3, fallback: { clipId: clip.id }
  }), 201)

  await expect.poll(() => t.gw.alarms.activeAlarms().find((a) => a.type === 'relay_source_lost'), { timeout: 20_000 }).toMatchObject({ village: 'Thôn Hạ', details: { why: 'silence' } })
  const [airing] = relayAirings(t)
  expect(airing).toBeDefined()
  // One download over the uplink, whatever the number of clusters.
  expect(station.requests()).toBe(1)
  await expect.poll(() => t.gw.broadcasts.store.require(airing!.id).status, { timeout: 10_000 }).toBe('done')
  for (const sim of [a1, a2]) {
    expect(deliveries(t, airing!.id)[sim.id]).toMatchObject({ state: 'done' })
    expect(heard(sim.streamed(airing!.id), 440).toneSeconds).toBeGreaterThanOrEqual(3)
  }
  // The fallback clip, released by the relay's author, plays in full on both.
  await expect.poll(() => t.gw.broadcasts.store.list({ limit: 50 }).find((b) => b.clipId === clip.id), { timeout: 10_000 }).toMatchObject({ approvedBy: boss.username, live: false })
  const fallback = t.gw.broadcasts.store.list({ limit: 50 }).find((b) => b.clipId === clip.id)!
  await expect.poll(() => Object.values(deliveries(t, fallback.id)).map((d) => d.state), { timeout: 15_000 }).toEqual(['done', 'done'])
})

test('a relayed station that dies raises the alarm and, as chosen, stops', { timeout: 60_000 }, async () => {
  t = await startTestGateway()
  const a1 = speakerIn(t, 'Thôn Hạ', { keepStreams: true })
  await online(a1)
  const boss = await official(t, true)
  const station = await radio(3, 0)
  const relay = await json<{ id: string; status: string }>(await post(boss, '/api/relays', {
    title: 'Tiếp sóng VOV1', url: station.url, priority: 'priority', targets: { all: true }, schedule: { kind: 'now' }, durationMin: 30, silenceS: 5
  }), 201)
  expect(relay.status).toBe('scheduled')
  await expect.poll(() => t.gw.alarms.activeAlarms().find((a) => a.type === 'relay_source_lost'), { timeout: 20_000 }).toMatchObject({ details: { why: 'source ended' } })
  const [airing] = relayAirings(t)
  await expect.poll(() => t.gw.broadcasts.store.require(airing!.id).status, { timeout: 10_000 }).toBe('done')
  expect(heard(a1.streamed(airing!.id), 440).toneSeconds).toBeGreaterThanOrEqual(2)
  expect(t.gw.broadcasts.store.list({ limit: 50 }).filter((b) => !b.live)).toEqual([])
  expect((await json<Array<{ status: string }>>(await boss.fetch('/api/relays'), 200))[0]).toMatchObject({ status: 'done' })
})

test('who may set up a relay, and what is refused', { timeout: 30_000 }, async () => {
  t = await startTestGateway()
  await online(speakerIn(t, 'Thôn Hạ'))
  const drafter = await official(t)
  const boss = await official(t, true)
  const body = { title: 'Tiếp sóng', url: 'http://127.0.0.1:9/radio.mp3', targets: { all: true }, schedule: { kind: 'daily', time: '17:20' }, durationMin: 40 }
  expect((await post(drafter, '/api/relays', body)).status).toBe(403)
  expect((await post(boss, '/api/relays', { ...body, url: 'file:///etc/passwd' })).status).toBe(400)
  expect((await post(boss, '/api/relays', { ...body, durationMin: 0 })).status).toBe(400)
  expect((await post(boss, '/api/relays', { ...body, fallback: { clipId: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404)
  const made = await json<{ id: string; nextAt: number }>(await post(boss, '/api/relays', body), 201)
  expect(made.nextAt).toBeGreaterThan(Date.now())
  expect((await post(boss, `/api/relays/${made.id}/cancel`, {})).status).toBe(200)
  expect((await post(boss, `/api/relays/${made.id}/cancel`, {})).status).toBe(409)
})
