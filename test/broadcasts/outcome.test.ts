// A bulletin's state says what happened to its clusters (issue #13): "played" only when every
// targeted cluster played it in full, otherwise "partly played" or "not played", with which
// clusters missed it and why, the same in the API, the log lines and the broadcast log; and
// an approver can send it again to the ones that missed it.
import { PassThrough } from 'node:stream'
import { afterEach, expect, test } from 'vitest'
import type { Broadcast, Summary } from '../../gateway/broadcasts/store.js'
import { deliveries, json, official, post, tone, upload } from '../support/broadcasting.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { speakerIn, type SimSpeaker } from '../support/speakers.js'
import { signInAs } from '../support/people.js'

let t: TestGateway
const sims: SimSpeaker[] = []
const logs: Array<{ level: number; msg: string; [k: string]: unknown }> = []
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()))
  await t.stop()
  logs.length = 0
})

async function gateway (): Promise<TestGateway> {
  const stream = new PassThrough()
  stream.on('data', (line: Buffer) => { for (const l of line.toString().split('\n')) if (l.trim()) logs.push(JSON.parse(l) as (typeof logs)[number]) })
  return startTestGateway({ presenceDebounceS: 0.5 }, { log: stream })
}

async function online (...speakers: SimSpeaker[]): Promise<void> {
  for (const s of speakers) s.start()
  await expect.poll(() => speakers.every((s) => t.gw.presence.get(s.id).online), { timeout: 10_000 }).toBe(true)
}

/** An emergency sent at once by an approver to these villages; returns it when every cluster has answered. */
async function emergency (villages: string[], ttlS = 600): Promise<{ b: Broadcast; summary: Summary; approver: Awaited<ReturnType<typeof official>> }> {
  const approver = await official(t, true)
  const clip = await upload(approver, tone(1))
  const b = await json<Broadcast>(await post(approver, '/api/broadcasts', { title: 'Cảnh báo lũ', priority: 'emergency', clipId: clip.id, targets: { villages }, ttlS, action: 'send' }), 201)
  await expect.poll(() => t.gw.broadcasts.store.require(b.id).status, { timeout: 30_000, interval: 100 }).toBe('done')
  const summary = (await json<{ summary: Summary }>(await approver.fetch(`/api/broadcasts/${b.id}`), 200)).summary
  return { b, summary, approver }
}

const endLine = (id: string) => logs.find((l) => l.broadcastId === id && l.msg.startsWith('bulletin ended'))

test('played: every targeted cluster played it in full, and only then does it say so', { timeout: 60_000 }, async () => {
  t = await gateway()
  const [a, b] = [speakerIn(t, 'Thôn Hạ'), speakerIn(t, 'Thôn Hạ')]
  sims.push(a, b)
  await online(a, b)
  const { b: bulletin, summary, approver } = await emergency(['Thôn Hạ'])
  expect(summary).toMatchObject({ targeted: 2, done: 2, outcome: 'played', missed: [] })
  expect(endLine(bulletin.id)).toMatchObject({ level: 30, outcome: 'played', msg: 'bulletin ended: played in full on 2 of 2 clusters' })
  const log = await approver.fetch(`/api/broadcast-log?format=csv&broadcast=${bulletin.id}`)
  expect((await log.text()).split('\r\n').filter((l) => l.includes(',Phát trọn vẹn,'))).toHaveLength(2)
})

test('partly played: N of M, with the cluster that failed and its reason in Vietnamese, a warning in the log and a village alarm', { timeout: 60_000 }, async () => {
  t = await gateway()
  const good = speakerIn(t, 'Thôn Hạ')
  const broken = speakerIn(t, 'Thôn Hạ', { playFailShare: 1 })
  sims.push(good, broken)
  await online(good, broken)
  const { b, summary } = await emergency(['Thôn Hạ'])
  expect(summary).toMatchObject({ targeted: 2, done: 1, failed: 1, outcome: 'partly_played' })
  expect(summary.missed).toEqual([{ deviceId: broken.id, name: expect.any(String) as unknown, village: 'Thôn Hạ', state: 'failed', reason: 'amplifier: no output' }])
  expect(endLine(b.id)).toMatchObject({ level: 40, outcome: 'partly_played', played: 1, targeted: 2, msg: 'bulletin ended: Partly played: played in full on 1 of 2 clusters' })
  expect(endLine(b.id)!.missed).toEqual([{ deviceId: broken.id, village: 'Thôn Hạ', state: 'failed', reason: 'amplifier: no output' }])
  expect(t.gw.alarmStore.list({ state: 'active', limit: 50 }).find((a) => a.type === 'broadcast_unconfirmed')).toMatchObject({ village: 'Thôn Hạ', details: { devices: [broken.id] } })
})

test('not played: no cluster played it; the page, API and log never say it played', { timeout: 60_000 }, async () => {
  t = await gateway()
  const broken = speakerIn(t, 'Thôn Thượng', { playFailShare: 1 })
  sims.push(broken)
  await online(broken)
  const { b, summary, approver } = await emergency(['Thôn Thượng'])
  expect(summary).toMatchObject({ targeted: 1, done: 0, outcome: 'not_played' })
  expect(endLine(b.id)).toMatchObject({ level: 40, outcome: 'not_played', msg: 'bulletin ended: Not played: played in full on 0 of 1 clusters' })
  const list = await json<Array<Broadcast & { summary: Summary }>>(await approver.fetch('/api/broadcasts'), 200)
  expect(list.find((x) => x.id === b.id)!.summary.outcome).toBe('not_played')
  const csv = await (await approver.fetch(`/api/broadcast-log?format=csv&broadcast=${b.id}`)).text()
  expect(csv).toContain('Lỗi âm ly của cụm loa (no output)')
  expect(csv).not.toContain(',Phát trọn vẹn,')
})

test('send again: an approver re-sends to the cluster that was dark, it plays in full, the record says 2 of 2 and the audit log has it', { timeout: 60_000 }, async () => {
  t = await gateway()
  const [on, dark] = [speakerIn(t, 'Thôn Hạ'), speakerIn(t, 'Thôn Hạ')]
  sims.push(on, dark)
  await online(on)
  const { b, summary, approver } = await emergency(['Thôn Hạ'], 10)
  expect(summary).toMatchObject({ done: 1, expired: 1, outcome: 'partly_played' })
  expect(summary.missed[0]).toMatchObject({ deviceId: dark.id, state: 'expired', reason: null })
  const unconfirmed = () => t.gw.alarmStore.list({ state: 'active', limit: 50 }).filter((a) => a.type === 'broadcast_unconfirmed')
  expect(unconfirmed()).toHaveLength(1)

  // Only those who may approve; and not while nothing is missing.
  const plain = await official(t)
  expect((await post(plain, `/api/broadcasts/${b.id}/resend`, {})).status).toBe(403)
  await online(dark)
  const resent = await json<Broadcast & { resentTo: string[] }>(await post(approver, `/api/broadcasts/${b.id}/resend`, {}), 200)
  expect(resent.resentTo).toEqual([dark.id])
  await expect.poll(() => deliveries(t, b.id)[dark.id]?.state, { timeout: 20_000, interval: 100 }).toBe('done')
  await expect.poll(() => t.gw.broadcasts.service.summary(b.id).outcome, { timeout: 5000 }).toBe('played')
  expect(deliveries(t, b.id)[dark.id]).toMatchObject({ attempts: 2, reason: null })
  // Every cluster of the village has played it now: its "not confirmed" alarm is no longer true.
  await expect.poll(() => unconfirmed().length, { timeout: 5000 }).toBe(0)
  expect(t.gw.broadcasts.store.require(b.id).status).toBe('done')
  const audit = t.gw.audit.list({ limit: 50 }).filter((e) => e.action === 'broadcast.resend' && e.target === b.id)
  expect(audit).toHaveLength(1)
  expect(audit[0]).toMatchObject({ actor: approver.username, details: { devices: [{ deviceId: dark.id, state: 'expired' }] } })
  expect((await post(approver, `/api/broadcasts/${b.id}/resend`, {})).status).toBe(409)
})

test('a later emergency that plays in full on the clusters that missed one clears its alarm, which police and operators never see', { timeout: 90_000 }, async () => {
  t = await gateway()
  const [on, dark] = [speakerIn(t, 'Thôn Hạ'), speakerIn(t, 'Thôn Hạ')]
  sims.push(on, dark)
  await online(on)
  const first = await emergency(['Thôn Hạ'], 10)
  expect(first.summary).toMatchObject({ outcome: 'partly_played' })
  const unconfirmed = () => t.gw.alarmStore.list({ state: 'active', limit: 50 }).filter((a) => a.type === 'broadcast_unconfirmed')
  expect(unconfirmed()).toHaveLength(1)
  const alarmId = unconfirmed()[0]!.id
  for (const role of ['police', 'operator'] as const) {
    const person = await signInAs(t.gw, t.httpUrl, role)
    const seen = await json<Array<{ id: number }>>(await person.fetch('/api/alarms?state=active'), 200)
    expect(seen.map((a) => a.id), role).not.toContain(alarmId)
    expect((await person.fetch(`/api/alarms/${alarmId}`)).status, role).toBe(403)
  }
  await online(dark)
  const later = await emergency(['Thôn Hạ'])
  expect(later.summary).toMatchObject({ outcome: 'played', done: 2 })
  await expect.poll(() => t.gw.alarmStore.get(alarmId)!.state, { timeout: 5000 }).toBe('cleared')
  expect(t.gw.alarmStore.history(alarmId).at(-1)).toMatchObject({ what: 'cleared', actor: null, details: { playedBy: later.b.id } })
})
