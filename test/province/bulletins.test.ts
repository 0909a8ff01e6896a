// Provincial bulletins down to the communes' loudspeakers, with proof back up (issue #19):
// a real 3-node cluster, PostgreSQL and the province's workers, real gateways with simulated
// clusters; speech made on each box by espeak-ng, uploaded audio fetched over the uplink.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { storeAudio } from '../../province/bulletins/audio.js'
import type { Who } from '../../province/bulletins/compose.js'
import { bulletinView } from '../../province/bulletins/view.js'
import { json, official, post, tone } from '../support/broadcasting.js'
import { provincialStates, startCommune, until, type TestCommune } from '../support/communes.js'
import { startProvinceStack, type ProvinceStack } from '../support/province.js'

let stack: ProvinceStack
const communes: TestCommune[] = []
const boss: Who = { username: 'tinh.an', role: 'staff', mayApprove: true }
const clerk: Who = { username: 'tinh.binh', role: 'staff', mayApprove: false }

beforeAll(async () => {
  stack = await startProvinceStack(['xa-a', 'xa-b', 'xa-c', 'xa-d'], inject('influxUrl'), { sweepMs: 3_600_000 })
  communes.push(await startCommune(stack, 'xa-a', { 'Thôn Đông': 2, 'Thôn Tây': 1 }), await startCommune(stack, 'xa-b', { 'Thôn Đông': 1, 'Thôn Tây': 1 }))
  await until(async () => (await stack.sql('SELECT commune FROM commune_health')).length === 2, 20_000, 'both boxes heard')
}, 120_000)

afterAll(async () => {
  for (const c of communes) await c.stop()
  await stack.stop()
})

const view = async (id: string) => (await bulletinView(stack.service.pool, id))!

test('a provincial emergency to 3 communes, one offline when sent: all three play it, the offline one when it returns, with every cluster\'s proof at the province', { timeout: 150_000 }, async () => {
  const [a, b] = communes as [TestCommune, TestCommune]
  const id = await stack.service.bulletins.compose({
    title: 'Bão số 5: khẩn cấp', priority: 'emergency', text: 'Thông báo khẩn cấp của Ủy ban nhân dân tỉnh: bão số năm đổ bộ, bà con ở trong nhà.',
    targets: { communes: ['xa-a', 'xa-b', 'xa-c'], villages: { 'xa-b': ['Thôn Đông'] } }, ttlS: 600, action: 'send'
  }, boss)
  // The offline box shows at once as not warned; the others wait for their proof.
  const first = await view(id)
  expect(first.communes.map((c) => [c.commune, c.outcome])).toEqual([['xa-a', 'waiting'], ['xa-b', 'waiting'], ['xa-c', 'not_warned']])

  await expect.poll(() => provincialStates(a, id), { timeout: 60_000 }).toEqual(['done', 'done', 'done'])
  await expect.poll(() => provincialStates(b, id), { timeout: 60_000 }).toEqual(['done'])
  // The commune sees whose it is: from the province, released there.
  const copy = a.t.gw.broadcasts.store.byProvinceId(id)!
  expect(copy).toMatchObject({ priority: 'emergency', createdBy: 'tỉnh:tinh.an', approvedBy: 'tỉnh:tinh.an', province: { id, issuer: 'Ủy ban nhân dân tỉnh' } })

  const c = await startCommune(stack, 'xa-c', { 'Thôn Bắc': 2 })
  communes.push(c)
  await expect.poll(() => provincialStates(c, id), { timeout: 60_000 }).toEqual(['done', 'done'])

  await expect.poll(async () => (await view(id)).outcome, { timeout: 30_000 }).toBe('played')
  const end = await view(id)
  expect(end.counts).toMatchObject({ communes: 3, answered: 3, played: 3, notWarned: 0, clusters: 6, done: 6 })
  const perVillage = end.communes.map((x) => [x.commune, x.villages.map((v) => `${v.village} ${v.done}/${v.targeted}`)])
  expect(perVillage).toEqual([['xa-a', ['Thôn Đông 2/2', 'Thôn Tây 1/1']], ['xa-b', ['Thôn Đông 1/1']], ['xa-c', ['Thôn Bắc 2/2']]])
})

test('an uploaded file is approved by another official, fetched once per commune over the uplink, checked by its hash and played', { timeout: 90_000 }, async () => {
  const a = communes[0]!
  const audio = await storeAudio(stack.service.pool, tone(2), clerk.username)
  const asked: string[] = []
  const watch = stack.nc.subscribe('up.*.audio', { callback: (_e, m) => { asked.push(m.subject) } })
  const id = await stack.service.bulletins.compose({ title: 'Lịch tiêm phòng', priority: 'routine', audioSha256: audio.sha256, targets: { communes: ['xa-a'] } }, clerk)
  await expect(stack.service.bulletins.approve(id, clerk, null)).rejects.toThrow(/may not approve/)
  await expect(stack.service.bulletins.compose({ title: 'x', priority: 'routine', text: 'x', targets: { communes: ['xa-a'] }, action: 'send' }, boss)).rejects.toThrow(/only an emergency/)
  expect(a.t.gw.broadcasts.store.byProvinceId(id)).toBeNull()
  await stack.service.bulletins.approve(id, boss, 'đồng ý')
  await expect.poll(() => provincialStates(a, id), { timeout: 60_000 }).toEqual(['done', 'done', 'done'])
  expect(asked).toEqual(['up.xa-a.audio'])
  watch.unsubscribe()
  await expect.poll(async () => (await view(id)).outcome, { timeout: 20_000 }).toBe('played')
})

test('a bulletin that waited past its time-to-live for a box that was off is not played and is reported expired', { timeout: 90_000 }, async () => {
  const id = await stack.service.bulletins.compose({ title: 'Họp dân', priority: 'priority', text: 'Họp dân lúc tám giờ.', targets: { communes: ['xa-d'] }, action: 'draft' }, clerk)
  await stack.sql('INSERT INTO province_bulletin_targets (bulletin_id, commune, reachable) VALUES ($1, $2, false)', [id, 'xa-d'])
  await stack.sql("UPDATE province_bulletins SET status = 'sent', sent_at = $2 WHERE id = $1", [id, Date.now()])
  // As the province published it an hour ago, with a time-to-live of ten minutes.
  const old = { type: 'bulletin', id, title: 'Họp dân', priority: 'priority', text: 'Họp dân lúc tám giờ.', villages: null, ttlS: 600, issuedAt: Date.now() - 3_600_000, issuer: 'Ủy ban nhân dân tỉnh', createdBy: 'tinh.binh', approvedBy: 'tinh.an' }
  await stack.nc.jetstream().publish('down.xa-d.bulletin', new TextEncoder().encode(JSON.stringify(old)), { msgID: `bulletin:${id}:xa-d` })
  const d = await startCommune(stack, 'xa-d', { 'Thôn Nam': 1 })
  communes.push(d)
  await expect.poll(async () => (await view(id)).communes[0]!.status, { timeout: 30_000 }).toBe('expired')
  expect(d.t.gw.broadcasts.store.byProvinceId(id)).toBeNull()
  expect((await view(id)).communes[0]).toMatchObject({ outcome: 'not_played', reason: 'arrived after its time-to-live' })
})

test('a malformed bulletin is refused by the box, reported, and never played', { timeout: 60_000 }, async () => {
  const a = communes[0]!
  const id = randomUUID()
  await stack.nc.jetstream().publish('down.xa-a.bulletin', new TextEncoder().encode(JSON.stringify({ type: 'bulletin', id, title: '', priority: 'loud' })))
  await stack.nc.jetstream().publish('down.xa-a.bulletin', new TextEncoder().encode('not json'))
  // A later, good one still plays: the bad ones were acknowledged, not left blocking the consumer.
  const ok = await stack.service.bulletins.compose({ title: 'Thử', priority: 'routine', text: 'Thử loa.', targets: { communes: ['xa-a'], villages: { 'xa-a': ['Thôn Tây'] } } }, clerk)
  await stack.service.bulletins.approve(ok, boss, null)
  await expect.poll(() => provincialStates(a, ok), { timeout: 40_000 }).toEqual(['done'])
  expect(a.t.gw.broadcasts.store.byProvinceId(id)).toBeNull()
  expect(a.t.gw.broadcasts.store.list({ limit: 50 }).filter((x) => x.province !== null).map((x) => x.title).sort()).toEqual(['Bão số 5: khẩn cấp', 'Lịch tiêm phòng', 'Thử'])
  const consumer = await stack.jsm.consumers.info('COMMANDS', 'cmd-xa-a')
  expect([consumer.num_pending, consumer.num_ack_pending]).toEqual([0, 0])
})

test('the commune cannot drop a bulletin from the province silently: cancelling needs a reason, which is audited and reaches the province', { timeout: 60_000 }, async () => {
  const a = communes[0]!
  const approver = await official(a.t, true)
  const id = await stack.service.bulletins.compose({ title: 'Thông báo dài', priority: 'routine', text: 'Thông báo của tỉnh về lịch cắt điện.', repeat: 5, gapS: 10, targets: { communes: ['xa-a'] } }, clerk)
  await stack.service.bulletins.approve(id, boss, null)
  await expect.poll(() => provincialStates(a, id), { timeout: 30_000 }).toContain('playing')
  const copy = a.t.gw.broadcasts.store.byProvinceId(id)!
  const silent = await post(approver, `/api/broadcasts/${copy.id}/cancel`, {})
  expect(silent.status).toBe(400)
  const refusal = await silent.json() as { code: string; message: string }
  expect(refusal.code).toBe('GW_ERR_VALIDATION')
  expect(refusal.message).toMatch(/only with a reason/)
  await json(await post(approver, `/api/broadcasts/${copy.id}/cancel`, { reason: 'Trùng với lễ hội của xã, phát lại sau' }), 200)
  expect(a.t.gw.audit.list({ action: 'broadcast.cancel', limit: 5 })[0]).toMatchObject({ details: { reason: 'Trùng với lễ hội của xã, phát lại sau', province: id } })
  await expect.poll(async () => (await view(id)).communes[0], { timeout: 20_000 }).toMatchObject({ status: 'cancelled', reason: 'Trùng với lễ hội của xã, phát lại sau', outcome: 'not_played' })
})

test('audio is served only to a commune the bulletin is addressed to, and a file that does not match its hash never plays', { timeout: 60_000 }, async () => {
  const b = communes[1]!
  const audio = await storeAudio(stack.service.pool, tone(1), clerk.username)
  await stack.service.bulletins.compose({ title: 'Chỉ xã A', priority: 'emergency', audioSha256: audio.sha256, targets: { communes: ['xa-a'] }, action: 'send' }, boss)
  // Box B, with its own key, asks for audio addressed to A only.
  const asB = await stack.connectAs('xa-b')
  const refused = await asB.request('up.xa-b.audio', new TextEncoder().encode(JSON.stringify({ sha256: audio.sha256, offset: 0 })), { timeout: 5000 })
  expect([refused.headers?.get('Error'), refused.data.length]).toEqual(['no bulletin for this commune has this audio', 0])
  await asB.close()

  // The province's copy is altered after the hash was taken: box B refuses it and says why.
  const other = await storeAudio(stack.service.pool, tone(1.5), clerk.username)
  await stack.sql("UPDATE province_audio SET data = overlay(data placing '\\x00000000'::bytea from 200) WHERE sha256 = $1", [other.sha256])
  const id = await stack.service.bulletins.compose({ title: 'Tệp bị sửa', priority: 'emergency', audioSha256: other.sha256, targets: { communes: ['xa-b'] }, action: 'send' }, boss)
  await expect.poll(async () => (await view(id)).communes[0]?.status, { timeout: 30_000 }).toBe('refused')
  const proof = (await view(id)).communes[0]!
  expect(proof.outcome).toBe('not_played')
  expect(proof.reason).toMatch(/does not match its hash/)
  expect(b.t.gw.broadcasts.store.byProvinceId(id)).toBeNull()
})
