// Bulletins over the real path: speech made by espeak-ng and ffmpeg, play commands over MQTT
// at QoS1, simulated clusters fetching the audio over HTTP and playing it for its length.
import { afterEach, expect, test } from 'vitest'
import type { Broadcast, Summary } from '../../gateway/broadcasts/store.js'
import { deliveries, json, official, post, tone, upload } from '../support/broadcasting.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { speakerIn, type SimSpeaker } from '../support/speakers.js'

let t: TestGateway
const sims: SimSpeaker[] = []
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()))
  await t.stop()
})

async function online (t: TestGateway, ...speakers: SimSpeaker[]): Promise<void> {
  for (const s of speakers) s.start()
  await expect.poll(() => speakers.every((s) => t.gw.presence.get(s.id).online), { timeout: 10_000 }).toBe(true)
}

test('Vietnamese text to speech to "played in full" from every cluster of the chosen village, and nowhere else', { timeout: 60_000 }, async () => {
  t = await startTestGateway()
  const [a1, a2, b1] = [speakerIn(t, 'Thôn Hạ'), speakerIn(t, 'Thôn Hạ'), speakerIn(t, 'Thôn Thượng')]
  sims.push(a1, a2, b1)
  await online(t, a1, a2, b1)
  const author = await official(t)
  const approver = await official(t, true)

  const clip = await json<{ id: string; durationMs: number; contentType: string }>(await post(author, '/api/audio/speech', {
    text: 'Thông báo của Ủy ban nhân dân xã: sáng mai tiêm phòng cho trẻ em tại trạm y tế.', voice: 'south'
  }), 201)
  expect(clip.contentType).toBe('audio/mpeg')
  expect(clip.durationMs).toBeGreaterThan(2000)
  // The preview is the very file the clusters will play.
  const preview = await author.fetch(`/api/audio/${clip.id}`)
  expect(preview.headers.get('content-type')).toMatch(/^audio\/mpeg/)
  expect((await preview.arrayBuffer()).byteLength).toBeGreaterThan(5000)

  const draft = await json<Broadcast>(await post(author, '/api/broadcasts', {
    title: 'Lịch tiêm phòng', priority: 'routine', clipId: clip.id, targets: { villages: ['Thôn Hạ'] }, ttlS: 300
  }), 201)
  expect(draft.status).toBe('pending')
  const approved = await json<Broadcast>(await post(approver, `/api/broadcasts/${draft.id}/approve`, { comment: 'Đồng ý phát' }), 200)
  expect(approved).toMatchObject({ status: 'scheduled', approvedBy: approver.username })

  await expect.poll(() => t.gw.broadcasts.store.require(draft.id).status, { timeout: 30_000, interval: 250 }).toBe('done')
  const d = deliveries(t, draft.id)
  expect(Object.keys(d).sort()).toEqual([a1.id, a2.id].sort())
  for (const x of Object.values(d)) {
    expect(x).toMatchObject({ state: 'done', attempts: 1, reason: null })
    // Played for the audio's length, not less.
    expect(x.finishedAt! - x.startedAt!).toBeGreaterThanOrEqual(clip.durationMs - 100)
  }
  const detail = await json<{ summary: Summary }>(await author.fetch(`/api/broadcasts/${draft.id}`), 200)
  expect(detail.summary).toMatchObject({ targeted: 2, done: 2, failed: 0 })

  // The audio link played out with the bulletin: a leaked link no longer works.
  const token = t.gw.broadcasts.store.tokenOf(draft.id)
  expect((await fetch(`${t.httpUrl}/media/${token}`)).status).toBe(404)

  const csv = await author.fetch('/api/broadcast-log?format=csv')
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
  const bytes = Buffer.from(await csv.arrayBuffer())
  // The byte-order mark, so that spreadsheet programs read the Vietnamese as UTF-8.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n')
  expect(lines[0]).toMatch(/^Thời điểm phát,Bản tin,Mã bản tin,Mức ưu tiên,Thôn \/ tổ dân phố,Cụm loa,Mã cụm loa,Trạng thái/)
  expect(lines.filter((l) => l.includes(draft.id) && l.includes(',Phát trọn vẹn,'))).toHaveLength(2)
  expect(lines.find((l) => l.includes(a1.id))).toContain(`${author.username},${approver.username}`)
})

test('an emergency preempts a routine bulletin at once; the routine one plays again after it, within its time-to-live', { timeout: 60_000 }, async () => {
  t = await startTestGateway()
  const s = speakerIn(t, 'Thôn Hạ')
  sims.push(s)
  await online(t, s)
  const author = await official(t)
  const approver = await official(t, true)
  const long = await upload(author, tone(6))
  const short = await upload(approver, tone(2))

  const routine = await json<Broadcast>(await post(author, '/api/broadcasts', { title: 'Bản tin chiều', priority: 'routine', clipId: long.id, targets: { devices: [s.id] } }), 201)
  await json(await post(approver, `/api/broadcasts/${routine.id}/approve`, {}), 200)
  await expect.poll(() => deliveries(t, routine.id)[s.id]?.state, { timeout: 10_000, interval: 100 }).toBe('playing')

  // Sent without approval by someone allowed to: an emergency does not wait.
  const emergency = await json<Broadcast>(await post(approver, '/api/broadcasts', {
    title: 'Cảnh báo lũ', priority: 'emergency', clipId: short.id, targets: { all: true }, action: 'send'
  }), 201)
  expect(emergency.status).not.toBe('pending')
  await expect.poll(() => deliveries(t, emergency.id)[s.id]?.state, { timeout: 10_000, interval: 100 }).toBe('playing')
  expect(deliveries(t, routine.id)[s.id]).toMatchObject({ reason: expect.stringMatching(/^preempted/) as unknown })
  await expect.poll(() => t.gw.live.get(s.id)?.playingPriority?.value, { timeout: 5000 }).toBe('emergency')

  await expect.poll(() => deliveries(t, emergency.id)[s.id]?.state, { timeout: 10_000, interval: 100 }).toBe('done')
  await expect.poll(() => deliveries(t, routine.id)[s.id]?.state, { timeout: 20_000, interval: 200 }).toBe('done')
  const [e, r] = [deliveries(t, emergency.id)[s.id]!, deliveries(t, routine.id)[s.id]!]
  expect(r.attempts).toBe(2)
  expect(r.startedAt!).toBeGreaterThanOrEqual(e.finishedAt!)
})

test('a cluster offline at send time plays when it comes back within the time-to-live; one back too late is reported expired', { timeout: 60_000 }, async () => {
  t = await startTestGateway()
  const [early, late] = [speakerIn(t, 'Thôn Hạ'), speakerIn(t, 'Thôn Hạ')]
  sims.push(early, late)
  const author = await official(t)
  const approver = await official(t, true)
  const clip = await upload(author, tone(1))
  const b = await json<Broadcast>(await post(author, '/api/broadcasts', { title: 'Họp thôn', priority: 'priority', clipId: clip.id, targets: { villages: ['Thôn Hạ'] }, ttlS: 10 }), 201)
  await json(await post(approver, `/api/broadcasts/${b.id}/approve`, {}), 200)
  await expect.poll(() => Object.values(deliveries(t, b.id)).map((d) => d.state), { timeout: 5000 }).toEqual(['queued', 'queued'])

  await online(t, early)
  await expect.poll(() => deliveries(t, b.id)[early.id]?.state, { timeout: 10_000, interval: 100 }).toBe('done')
  expect(deliveries(t, b.id)[late.id]!.state).toBe('queued')

  await expect.poll(() => deliveries(t, b.id)[late.id]?.state, { timeout: 15_000, interval: 200 }).toBe('expired')
  await online(t, late)
  await new Promise((resolve) => setTimeout(resolve, 1500))
  expect(deliveries(t, b.id)[late.id]!.state).toBe('expired')
  expect(t.gw.broadcasts.store.require(b.id).status).toBe('done')
  expect(t.gw.broadcasts.service.summary(b.id)).toMatchObject({ targeted: 2, done: 1, expired: 1 })
})
