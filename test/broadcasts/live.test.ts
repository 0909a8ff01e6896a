// Speaking live (issue #21) over the real path: a tone encoded to WebM/Opus in real time as a
// browser's recorder does, posted in numbered pieces, transcoded by the real ffmpeg into one
// MP3 stream, fetched over HTTP by simulated clusters that get a play command with
// `stream: true` over MQTT, and decoded afterwards to find the tone.
import { afterEach, expect, test } from 'vitest'
import type { Broadcast } from '../../gateway/broadcasts/store.js'
import { deliveries, json, official, post, tone, upload } from '../support/broadcasting.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { heard, speakTone } from '../support/live-audio.js'
import { speakerIn, type SimSpeaker } from '../support/speakers.js'

let t: TestGateway
const sims: SimSpeaker[] = []
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()))
  await t.stop()
})

async function online (...speakers: SimSpeaker[]): Promise<void> {
  for (const s of speakers) { sims.push(s); s.start() }
  await expect.poll(() => speakers.every((s) => t.gw.presence.get(s.id).online), { timeout: 10_000 }).toBe(true)
}

test('the chosen village\'s clusters play the speaker\'s voice live and the others hear nothing; the session is recorded and logged', { timeout: 60_000 }, async () => {
  t = await startTestGateway()
  const [a1, a2, b1] = [speakerIn(t, 'Thôn Hạ', { keepStreams: true }), speakerIn(t, 'Thôn Hạ', { keepStreams: true }), speakerIn(t, 'Thôn Thượng', { keepStreams: true })]
  await online(a1, a2, b1)
  const speaker = await official(t, true)

  const session = await json<Broadcast>(await post(speaker, '/api/live', { title: 'Chủ tịch xã nói trực tiếp', priority: 'priority', targets: { villages: ['Thôn Hạ'] } }), 201)
  expect(session).toMatchObject({ live: true, status: 'sent', createdBy: speaker.username, approvedBy: speaker.username })
  const mic = speakTone(speaker, session.id, 440, 4)
  await expect.poll(() => Object.values(deliveries(t, session.id)).map((d) => d.state), { timeout: 10_000 }).toEqual(['playing', 'playing'])
  await mic.done
  const stopped = await json<Broadcast>(await post(speaker, `/api/live/${session.id}/stop`, {}), 200)
  expect(stopped.id).toBe(session.id)

  await expect.poll(() => t.gw.broadcasts.store.require(session.id).status, { timeout: 10_000 }).toBe('done')
  const d = deliveries(t, session.id)
  expect(Object.keys(d).sort()).toEqual([a1.id, a2.id].sort())
  for (const sim of [a1, a2]) {
    expect(d[sim.id]).toMatchObject({ state: 'done', reason: null })
    const got = heard(sim.streamed(session.id), 440)
    // Nearly all of the four seconds, decoded from what the cluster fetched (its first frames may be missed while it joins).
    expect(got.toneSeconds).toBeGreaterThanOrEqual(3)
  }
  expect(b1.streamed(session.id).length).toBe(0)

  // The recording, for the commune's file: the same voice, its real length.
  const clip = t.gw.broadcasts.audio.require(session.clipId)
  expect(clip).toMatchObject({ source: 'live', createdBy: speaker.username, contentType: 'audio/mpeg' })
  expect(clip.durationMs).toBeGreaterThan(3500)
  const recording = Buffer.from(await (await speaker.fetch(`/api/audio/${clip.id}`)).arrayBuffer())
  expect(heard(recording, 440).toneSeconds).toBeGreaterThanOrEqual(3.5)
  // In the broadcast log with its clusters, start, end and who spoke.
  const log = await json<Array<{ broadcastId: string; deviceId: string; state: string; createdBy: string }>>(await speaker.fetch(`/api/broadcast-log?broadcast=${session.id}&format=json`), 200)
  expect(log.map((r) => r.deviceId).sort()).toEqual([a1.id, a2.id].sort())
  // The stream link ended with the session.
  expect((await fetch(`${t.httpUrl}/media/live/${t.gw.broadcasts.store.tokenOf(session.id)}`)).status).toBe(404)
})

test('an emergency live session cuts off a routine bulletin, which plays again after it', { timeout: 90_000 }, async () => {
  t = await startTestGateway()
  const cluster = speakerIn(t, 'Thôn Hạ', { keepStreams: true })
  await online(cluster)
  const author = await official(t)
  const approver = await official(t, true)
  const clip = await upload(author, tone(20))
  const routine = await json<Broadcast>(await post(author, '/api/broadcasts', { title: 'Lịch họp thôn', priority: 'routine', clipId: clip.id, targets: { villages: ['Thôn Hạ'] }, ttlS: 300 }), 201)
  await json(await post(approver, `/api/broadcasts/${routine.id}/approve`, {}), 200)
  await expect.poll(() => deliveries(t, routine.id)[cluster.id]?.state, { timeout: 10_000 }).toBe('playing')

  const session = await json<Broadcast>(await post(approver, '/api/live', { title: 'Cháy chợ', priority: 'emergency', targets: { devices: [cluster.id] } }), 201)
  const mic = speakTone(approver, session.id, 880, 3)
  await expect.poll(() => deliveries(t, session.id)[cluster.id]?.state, { timeout: 10_000 }).toBe('playing')
  expect(deliveries(t, routine.id)[cluster.id]).toMatchObject({ reason: 'preempted by an emergency bulletin' })
  await mic.done
  await json(await post(approver, `/api/live/${session.id}/stop`, {}), 200)
  await expect.poll(() => deliveries(t, session.id)[cluster.id]?.state, { timeout: 10_000 }).toBe('done')
  expect(heard(cluster.streamed(session.id), 880).toneSeconds).toBeGreaterThanOrEqual(2)
  // The routine bulletin is sent again and plays after the emergency.
  await expect.poll(() => deliveries(t, routine.id)[cluster.id], { timeout: 15_000 }).toMatchObject({ state: 'playing', attempts: 2 })
})

test('a cluster whose link drops mid-session joins again and plays the rest to the end', { timeout: 60_000 }, async () => {
  t = await startTestGateway()
  const steady = speakerIn(t, 'Thôn Hạ', { keepStreams: true })
  const shaky = speakerIn(t, 'Thôn Hạ', { keepStreams: true })
  await online(steady, shaky)
  const speaker = await official(t, true)
  const session = await json<Broadcast>(await post(speaker, '/api/live', { priority: 'emergency', targets: { villages: ['Thôn Hạ'] } }), 201)
  const mic = speakTone(speaker, session.id, 440, 9)
  await expect.poll(() => deliveries(t, session.id)[shaky.id]?.state, { timeout: 10_000 }).toBe('playing')
  shaky.cut()
  // Back on the air: the gateway sent the play again and the cluster fetched the stream anew.
  await expect.poll(() => deliveries(t, session.id)[shaky.id], { timeout: 10_000 }).toMatchObject({ state: 'playing', attempts: 2 })
  await mic.done
  await json(await post(speaker, `/api/live/${session.id}/stop`, {}), 200)
  await expect.poll(() => t.gw.broadcasts.store.require(session.id).status, { timeout: 10_000 }).toBe('done')
  expect(deliveries(t, session.id)[shaky.id]).toMatchObject({ state: 'done' })
  const steadyHeard = heard(steady.streamed(session.id), 440).toneSeconds
  const shakyHeard = heard(shaky.streamed(session.id), 440).toneSeconds
  expect(shakyHeard).toBeGreaterThanOrEqual(3)
  // What it missed while away is gone: live audio does not wait.
  expect(shakyHeard).toBeLessThan(steadyHeard)
  expect(t.gw.alarms.activeAlarms().filter((a) => a.type === 'broadcast_unconfirmed')).toEqual([])
})

test('who may speak live, and what the gateway refuses', { timeout: 60_000 }, async () => {
  t = await startTestGateway({ liveIdleS: 2 })
  const cluster = speakerIn(t, 'Thôn Hạ')
  await online(cluster)
  const drafter = await official(t)
  const speaker = await official(t, true)
  const other = await official(t, true)

  const forbidden = await post(drafter, '/api/live', { priority: 'emergency', targets: { all: true } })
  expect(forbidden.status).toBe(403)
  expect((await post(speaker, '/api/live', { priority: 'loud', targets: { all: true } })).status).toBe(400)
  expect((await post(speaker, '/api/live', { priority: 'routine', targets: { villages: ['Thôn Không Có'] } })).status).toBe(400)

  const session = await json<Broadcast>(await post(speaker, '/api/live', { priority: 'routine', targets: { all: true } }), 201)
  const piece = (who: typeof speaker, seq: number) => who.fetch(`/api/live/${session.id}/audio?seq=${seq}`, { method: 'POST', headers: { 'content-type': 'audio/webm' }, body: Buffer.from('not yet audio') })
  // Only the one who speaks sends the audio; pieces come in order.
  expect((await piece(other, 0)).status).toBe(403)
  expect((await piece(speaker, 3)).status).toBe(409)
  expect((await piece(speaker, 0)).status).toBe(204)
  expect((await piece(speaker, 0)).status).toBe(204)
  expect((await speaker.fetch(`/api/live/${session.id}/audio?seq=1`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415)

  // Nothing spoken for the idle time (a closed tab): the session ends by itself, everywhere.
  await expect.poll(() => t.gw.broadcasts.live.onAir(), { timeout: 10_000 }).toEqual([])
  await expect.poll(() => t.gw.broadcasts.store.require(session.id).status, { timeout: 10_000 }).toBe('done')
  expect((await post(speaker, `/api/live/${session.id}/stop`, {})).status).toBe(409)
  const actions = t.gw.audit.list({ limit: 50 }).map((e) => e.action)
  expect(actions).toContain('live.start')
})

test('an emergency live session a cluster lost mid-way and never rejoined is timed out and raises its village\'s alarm', { timeout: 60_000 }, async () => {
  t = await startTestGateway({ liveIdleS: 2 })
  const [steady, lost] = [speakerIn(t, 'Thôn Hạ'), speakerIn(t, 'Thôn Hạ')]
  await online(steady, lost)
  const speaker = await official(t, true)
  const session = await json<Broadcast>(await post(speaker, '/api/live', { priority: 'emergency', targets: { villages: ['Thôn Hạ'] } }), 201)
  const mic = speakTone(speaker, session.id, 440, 4)
  await expect.poll(() => Object.values(deliveries(t, session.id)).map((d) => d.state), { timeout: 10_000 }).toEqual(['playing', 'playing'])
  // Power lost: the cluster's link goes silent and it says nothing more.
  lost.powerCut()
  await mic.done
  await json(await post(speaker, `/api/live/${session.id}/stop`, {}), 200)
  await expect.poll(() => t.gw.broadcasts.store.require(session.id).status, { timeout: 15_000 }).toBe('done')
  expect(deliveries(t, session.id)[steady.id]).toMatchObject({ state: 'done' })
  expect(deliveries(t, session.id)[lost.id]).toMatchObject({ state: 'timed_out', reason: 'no answer after the live session ended' })
  const alarm = t.gw.alarms.activeAlarms().find((a) => a.type === 'broadcast_unconfirmed')
  expect(alarm).toMatchObject({ village: 'Thôn Hạ', details: { broadcastId: session.id, devices: [lost.id] } })
})
