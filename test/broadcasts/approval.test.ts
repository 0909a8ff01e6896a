// Who may do what with a bulletin, every step audited, and bad input refused with a reason.
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Broadcast } from '../../gateway/broadcasts/store.js'
import { json, official, post, tone, upload } from '../support/broadcasting.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { signInAs, type SignedIn } from '../support/people.js'

let t: TestGateway
let speaker: string
let author: SignedIn
let approver: SignedIn
let clip: string
beforeAll(async () => {
  t = await startTestGateway()
  speaker = t.addDevice('speaker', { village: 'Thôn Hạ' }).id
  author = await official(t)
  approver = await official(t, true)
  clip = (await upload(author, tone(1))).id
})
afterAll(async () => { await t.stop() })

const bulletin = (extra: Record<string, unknown> = {}) => ({ title: 'Thông báo', priority: 'routine', clipId: clip, targets: { devices: [speaker] }, ...extra })
const audited = (action: string, target: string) => t.gw.audit.list({ limit: 500 }).filter((e) => e.action === action && e.target === target)

test('an official drafts and submits; another who may approve releases it; nobody approves their own', async () => {
  const draft = await json<Broadcast>(await post(author, '/api/broadcasts', bulletin({ action: 'draft' })), 201)
  expect(draft.status).toBe('draft')
  // Still a draft: nothing to approve yet.
  expect((await post(approver, `/api/broadcasts/${draft.id}/approve`, {})).status).toBe(409)
  expect((await json<Broadcast>(await post(author, `/api/broadcasts/${draft.id}/submit`, {}), 200)).status).toBe('pending')

  const self = await approverOwn()
  expect(self.status).toBe(403)
  const plain = await official(t)
  expect(await json(await post(plain, `/api/broadcasts/${draft.id}/approve`, {}), 403)).toMatchObject({ message: expect.stringMatching(/may not approve/) as unknown })

  const released = await json<Broadcast>(await post(approver, `/api/broadcasts/${draft.id}/approve`, { comment: 'Được phát' }), 200)
  expect(released).toMatchObject({ status: 'scheduled', approvedBy: approver.username, decisionComment: 'Được phát' })
  expect(audited('broadcast.draft', draft.id)).toHaveLength(1)
  expect(audited('broadcast.submit', draft.id)).toHaveLength(1)
  expect(audited('broadcast.approve', draft.id)[0]).toMatchObject({ actor: approver.username, role: 'official' })
})

async function approverOwn (): Promise<Response> {
  const own = await json<Broadcast>(await post(approver, '/api/broadcasts', bulletin()), 201)
  return post(approver, `/api/broadcasts/${own.id}/approve`, {})
}

test('a rejected bulletin never airs; a cancelled one stops', async () => {
  const b = await json<Broadcast>(await post(author, '/api/broadcasts', bulletin()), 201)
  // Rejecting says why: without a reason it is refused, and the bulletin still waits.
  expect(JSON.stringify(await json(await post(approver, `/api/broadcasts/${b.id}/reject`, {}), 400))).toMatch(/comment/)
  expect((await post(approver, `/api/broadcasts/${b.id}/reject`, { comment: '   ' })).status).toBe(400)
  expect(t.gw.broadcasts.store.require(b.id).status).toBe('pending')
  expect((await json<Broadcast>(await post(approver, `/api/broadcasts/${b.id}/reject`, { comment: 'Sai nội dung' }), 200))).toMatchObject({ status: 'rejected', decisionComment: 'Sai nội dung' })
  expect((await post(approver, `/api/broadcasts/${b.id}/approve`, {})).status).toBe(409)
  // The author reads the reason.
  expect(await json(await author.fetch(`/api/broadcasts/${b.id}`), 200)).toMatchObject({ status: 'rejected', approvedBy: approver.username, decisionComment: 'Sai nội dung' })
  expect(audited('broadcast.reject', b.id)[0]).toMatchObject({ details: { comment: 'Sai nội dung' } })
  // Nothing aired: nothing to send again.
  expect((await post(approver, `/api/broadcasts/${b.id}/resend`, {})).status).toBe(409)
  const later = await json<Broadcast>(await post(author, '/api/broadcasts', bulletin({ schedule: { kind: 'daily', time: '06:00' } })), 201)
  await json(await post(approver, `/api/broadcasts/${later.id}/approve`, {}), 200)
  expect((await json<Broadcast>(await post(author, `/api/broadcasts/${later.id}/cancel`, {}), 200)).status).toBe('cancelled')
  expect(t.gw.broadcasts.store.require(later.id).nextAt).toBeNull()
  expect(audited('broadcast.cancel', later.id)).toHaveLength(1)
})

test('what the approver sees before releasing: the clip\'s text and length, the targets resolved to clusters by village', async () => {
  const spoken = await json<{ id: string }>(await post(author, '/api/audio/speech', { text: 'Mời bà con đi họp.' }), 201)
  const b = await json<Broadcast>(await post(author, '/api/broadcasts', bulletin({ clipId: spoken.id, targets: { villages: ['Thôn Hạ'] }, ttlS: 900 })), 201)
  const detail = await json<{ clip: { text: string; source: string; durationMs: number }; reach: { count: number; villages: unknown[] }; ttlMs: number; createdBy: string; summary: { outcome: string } }>(
    await approver.fetch(`/api/broadcasts/${b.id}`), 200)
  expect(detail).toMatchObject({ clip: { text: 'Mời bà con đi họp.', source: 'speech' }, ttlMs: 900_000, createdBy: author.username, summary: { outcome: 'not_aired' } })
  expect(detail.reach).toEqual({ count: 1, villages: [{ village: 'Thôn Hạ', clusters: [{ id: speaker, name: expect.any(String) as unknown }] }] })
})

test('an emergency skips approval only when sent by someone allowed to approve; other bulletins never do', async () => {
  expect((await post(author, '/api/broadcasts', bulletin({ priority: 'emergency', action: 'send' }))).status).toBe(403)
  expect((await post(approver, '/api/broadcasts', bulletin({ priority: 'priority', action: 'send' }))).status).toBe(403)
  const sent = await json<Broadcast>(await post(approver, '/api/broadcasts', bulletin({ priority: 'emergency', action: 'send' })), 201)
  expect(sent.status).not.toBe('pending')
  expect(sent.approvedBy).toBe(approver.username)
  expect(audited('broadcast.send_emergency', sent.id)).toHaveLength(1)
})

test('police and operators neither see nor compose bulletins; a play command cannot bypass them', async () => {
  for (const role of ['police', 'operator'] as const) {
    const who = await signInAs(t.gw, t.httpUrl, role)
    expect((await who.fetch('/api/broadcasts')).status).toBe(403)
    expect((await post(who, '/api/broadcasts', bulletin())).status).toBe(403)
  }
  const admin = await signInAs(t.gw, t.httpUrl, 'admin')
  const res = await post(admin, `/api/devices/${speaker}/commands`, { name: 'play', params: { broadcastId: 'x', title: 'x', audioUrl: 'http://x/y', durationS: 1, priority: 'emergency' } })
  expect(await json(res, 400)).toMatchObject({ message: expect.stringMatching(/\/api\/broadcasts/) as unknown })
})

test('bad input is refused with a reason: not audio, too large, empty text, unknown targets, a schedule with no airing, a dead link', async () => {
  const notAudio = await author.fetch('/api/audio', { method: 'POST', headers: { 'content-type': 'audio/mpeg' }, body: Buffer.from('this is not sound') })
  expect(notAudio.status).toBe(400)
  const tooBig = await author.fetch('/api/audio', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: Buffer.alloc(21 * 1024 * 1024) })
  expect(tooBig.status).toBe(413)
  const video = await author.fetch('/api/audio', { method: 'POST', headers: { 'content-type': 'video/mp4' }, body: Buffer.from('x') })
  expect(video.status).toBe(415)
  expect((await post(author, '/api/audio/speech', { text: '   ' })).status).toBe(400)
  expect((await post(author, '/api/audio/speech', { text: 'xin chào', voice: 'hanoi' })).status).toBe(400)
  expect(await json(await post(author, '/api/broadcasts', bulletin({ targets: { villages: ['Thôn Không Có'] } })), 400)).toMatchObject({ message: expect.stringMatching(/Thôn Không Có/) as unknown })
  expect((await post(author, '/api/broadcasts', bulletin({ targets: {} }))).status).toBe(400)
  expect((await post(author, '/api/broadcasts', bulletin({ clipId: '00000000-0000-4000-8000-000000000000' }))).status).toBe(404)
  expect((await post(author, '/api/broadcasts', bulletin({ schedule: { kind: 'daily', time: '25:00' } }))).status).toBe(400)
  expect((await post(author, '/api/broadcasts', bulletin({ schedule: { kind: 'daily', time: '06:00', until: Date.now() - 1000 } }))).status).toBe(400)
  expect((await fetch(`${t.httpUrl}/media/not-a-token`)).status).toBe(404)
})

test('text-to-speech without espeak-ng installed is a clear 503 naming the package', async () => {
  const path = process.env.PATH
  process.env.PATH = '/nonexistent'
  try {
    const res = await post(author, '/api/audio/speech', { text: 'Xin chào bà con' })
    expect(await json(res, 503)).toMatchObject({ code: 'GW_ERR_TOOL_UNAVAILABLE', message: expect.stringMatching(/espeak-ng/) as unknown })
  } finally {
    process.env.PATH = path
  }
})
