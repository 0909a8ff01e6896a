// Cross-commune flood warnings (issue #19) on the real cluster with real gateways: a level-III
// reading at commune A warns A's own villages (its box, as before) and, through the province,
// the villages downstream in communes B and C, with proof at the province. With A's uplink
// cut, A's own villages still hear it and B and C are not warned until the alarm arrives. A
// downstream village that does not play it in full reaches THAT commune's officials by SMS and
// Zalo (a real HTTP receiver in place of both services), and the province's alarm escalates.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { BASIN_KEY } from '../../gateway/broadcasts/provincial.js'
import { topics } from '../../gateway/contract/index.js'
import { pushBasinMap, setBasinStation } from '../../province/bulletins/flood.js'
import { bulletinView } from '../../province/bulletins/view.js'
import { NotificationPrefs } from '../../gateway/notify/prefs.js'
import { addUser } from '../support/people.js'
import { notifySettings, startReceiver, type Receiver } from '../support/receiver.js'
import { provincialStates, startCommune, type TestCommune } from '../support/communes.js'
import { speakerIn } from '../support/speakers.js'
import { startProvinceStack, type ProvinceStack } from '../support/province.js'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js'

let stack: ProvinceStack
let proxy: TcpProxy
let a: TestCommune
let b: TestCommune
let c: TestCommune
let receiver: Receiver
/** Each commune's official, reached by SMS and Zalo: a phone number and a Zalo id per commune. */
const officials = { 'xa-a': ['0911000001', '1100001'], 'xa-b': ['0922000002', '2200002'], 'xa-c': ['0933000003', '3300003'] } as const
const stations: Array<{ id: string; secret: string; client?: MqttClient }> = []

beforeAll(async () => {
  stack = await startProvinceStack(['xa-a', 'xa-b', 'xa-c'], inject('influxUrl'), { sweepMs: 3_600_000 })
  await stack.sql("UPDATE communes SET name = 'Xã Thượng Nguồn' WHERE code = 'xa-a'")
  await stack.sql("UPDATE communes SET name = 'Xã Trung Lưu' WHERE code = 'xa-b'")
  await stack.sql("UPDATE communes SET name = 'Xã Hạ Lưu' WHERE code = 'xa-c'")
  proxy = await startTcpProxy('127.0.0.1', stack.cluster.nodes[0]!.port)
  receiver = await startReceiver()
  a = await startCommune(stack, 'xa-a', { 'Thôn Đập': 1 }, [proxy.url], notifySettings(receiver, 'xa-a'))
  b = await startCommune(stack, 'xa-b', { 'Thôn Một': 2, 'Thôn Hai': 1 }, undefined, notifySettings(receiver, 'xa-b'))
  c = await startCommune(stack, 'xa-c', { 'Thôn Bến': 2 }, undefined, notifySettings(receiver, 'xa-c'))
  for (const x of [a, b, c]) {
    const [phone, zaloUserId] = officials[x.code as keyof typeof officials]
    const user = x.t.gw.users.byUsername(await addUser(x.t.gw, 'official'))!
    x.t.gw.prefs.set(user.id, NotificationPrefs.parse({ phone, zaloUserId, channels: ['sms', 'zalo'] }))
  }
  for (const [n, reservoir] of [[1, 'Hồ Khe Ngang'], [2, 'Hồ Ka Tư']] as const) {
    const s = a.t.addDevice('water_sensor', { name: `Trạm ${reservoir}`, village: 'Thôn Đập', reservoir: { name: reservoir, alarmLevels: { level1M: 10, level2M: 11, level3M: 12 }, downstreamVillages: ['Thôn Đập'] } })
    stations.push({ ...s, client: await a.t.connect(s.id, s.secret) })
    await setBasinStation(stack.service.pool, {
      commune: 'xa-a', stationId: s.id, name: `Trạm ${n}`, reservoir, basin: 'song-bo',
      downstream: [{ commune: 'xa-a', villages: ['Thôn Đập'] }, { commune: 'xa-b', villages: ['Thôn Một'] }, { commune: 'xa-c', villages: ['Thôn Bến'] }]
    })
  }
  await pushBasinMap(stack.service.pool, stack.nc.jetstream())
}, 150_000)

afterAll(async () => {
  for (const x of [a, b, c]) await x?.stop()
  await proxy?.close()
  await receiver?.close()
  await stack?.stop()
})

const floodBulletins = async () => (await stack.sql<{ id: string; details: { stationId: string } }>("SELECT id, details FROM province_bulletins WHERE origin = 'flood' ORDER BY created_at"))
const localWarning = (x: TestCommune, reservoir: string) => x.t.gw.broadcasts.store.list({ limit: 50 }).find((w) => w.alarmId !== null && w.title.includes(reservoir))
const playedAt = (x: TestCommune, id: string): number[] => {
  const copy = x.t.gw.broadcasts.store.byProvinceId(id)
  return copy ? x.t.gw.broadcasts.store.deliveries(copy.id).map((d) => d.startedAt).filter((s): s is number => s !== null).sort((p, q) => p - q) : []
}

test('each box keeps its part of the basin map the province pushed', { timeout: 30_000 }, async () => {
  // Read from the box's state.db by another connection, as the shell's CLI does.
  const kept = (x: TestCommune) => {
    const db = new Database(join(x.t.dataDir, 'state.db'), { readonly: true })
    try {
      const row = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?').get(BASIN_KEY)
      return row ? JSON.parse(row.value) as { stations: unknown[]; upstream: unknown[] } : null
    } finally { db.close() }
  }
  await expect.poll(() => [kept(a)?.stations.length, kept(b)?.upstream.length, kept(c)?.upstream.length], { timeout: 20_000 }).toEqual([2, 2, 2])
})

test('a level-III reading at commune A: its own village and the downstream villages of communes B and C play the warning, with proof at the province', { timeout: 300_000 }, async () => {
  const s = stations[0]!
  const t0 = Date.now()
  await s.client!.publishAsync(topics.telemetry(s.id), JSON.stringify({ levelM: 12.4 }), { qos: 1 })
  await expect.poll(async () => (await floodBulletins()).length, { timeout: 30_000 }).toBe(1)
  const id = (await floodBulletins())[0]!.id
  await expect.poll(() => [playedAt(b, id).length, playedAt(c, id).length], { timeout: 60_000, interval: 100 }).toEqual([2, 2])
  const atC = playedAt(c, id)
  console.info(`level III at commune A → downstream loudspeakers of commune C playing: first ${atC[0]! - t0} ms, last ${atC.at(-1)! - t0} ms`)
  expect(localWarning(a, 'Hồ Khe Ngang')).toBeDefined()
  const copy = b.t.gw.broadcasts.store.byProvinceId(id)!
  expect(copy).toMatchObject({ priority: 'emergency', repeat: 3, gapS: 5, targets: { villages: ['Thôn Một'] } })
  const text = b.t.gw.broadcasts.audio.require(copy.clipId).text!
  // The commune's words, issued by the province, naming the station, the line, the villages and what to do.
  expect(text).toMatch(/^Thông báo khẩn cấp của Ủy ban nhân dân tỉnh\. Lúc \d+ giờ \d\d phút.*Trạm 1, Hồ Khe Ngang, mực nước đo được 12,4 mét, trên mức báo động ba 12 mét/)
  expect(text).toContain('Thôn Một (Xã Trung Lưu), Thôn Bến (Xã Hạ Lưu)')
  expect(text).toMatch(/đến nơi cao an toàn/)

  // The warning airs three times, 5 s apart, at its spoken length: over a minute and a half when
  // the suite shares the two cores (it was still on its third airing at 90 s in a full run).
  await expect.poll(() => [...provincialStates(b, id), ...provincialStates(c, id)], { timeout: 180_000 }).toEqual(['done', 'done', 'done', 'done'])
  await expect.poll(async () => (await bulletinView(stack.service.pool, id))!.outcome, { timeout: 20_000 }).toBe('played')
  await expect.poll(() => localWarning(a, 'Hồ Khe Ngang') && a.t.gw.broadcasts.store.summary(localWarning(a, 'Hồ Khe Ngang')!.id).outcome, { timeout: 60_000 }).toBe('played')
})

test('with A\'s uplink cut, A\'s own village still plays the warning and B and C are not warned until the alarm arrives', { timeout: 150_000 }, async () => {
  const s = stations[1]!
  proxy.cut()
  await expect.poll(() => a.t.gw.uplink!.connected, { timeout: 30_000 }).toBe(false)
  await s.client!.publishAsync(topics.telemetry(s.id), JSON.stringify({ levelM: 12.6 }), { qos: 1 })
  await expect.poll(() => localWarning(a, 'Hồ Ka Tư') && a.t.gw.broadcasts.store.deliveries(localWarning(a, 'Hồ Ka Tư')!.id).map((d) => d.state), { timeout: 30_000 })
    .toEqual(expect.arrayContaining(['playing']))
  // The province has not heard: nothing says B or C were warned for this station.
  expect((await floodBulletins()).filter((f) => f.details.stationId === s.id)).toEqual([])
  expect(a.t.gw.uplink!.health().lanes.alarms.pending).toBeGreaterThan(0)

  proxy.restore()
  await expect.poll(async () => (await floodBulletins()).filter((f) => f.details.stationId === s.id).length, { timeout: 60_000 }).toBe(1)
  const id = (await floodBulletins()).find((f) => f.details.stationId === s.id)!.id
  await expect.poll(() => [playedAt(b, id).length, playedAt(c, id).length], { timeout: 60_000 }).toEqual([2, 2])
})

test('a downstream village whose cluster did not play the warning in full raises a critical provincial alarm that escalates until acknowledged, and its own commune\'s officials are told by SMS and Zalo', { timeout: 120_000 }, async () => {
  const broken = speakerIn(c.t, 'Thôn Hỏng', { playFailShare: 1 })
  broken.start()
  await expect.poll(() => c.t.gw.presence.get(broken.id).online, { timeout: 15_000 }).toBe(true)
  const s = a.t.addDevice('water_sensor', { name: 'Trạm Khe Tre', village: 'Thôn Đập', reservoir: { name: 'Hồ Khe Tre', alarmLevels: { level1M: 10, level2M: 11, level3M: 12 }, downstreamVillages: ['Thôn Đập'] } })
  await setBasinStation(stack.service.pool, { commune: 'xa-a', stationId: s.id, name: 'Trạm 3', reservoir: 'Hồ Khe Tre', downstream: [{ commune: 'xa-c', villages: ['Thôn Hỏng', 'Thôn Bến'] }] })
  const client = await a.t.connect(s.id, s.secret)
  await client.publishAsync(topics.telemetry(s.id), JSON.stringify({ levelM: 12.2 }), { qos: 1 })
  await expect.poll(async () => (await floodBulletins()).filter((f) => f.details.stationId === s.id).length, { timeout: 60_000 }).toBe(1)
  const id = (await floodBulletins()).find((f) => f.details.stationId === s.id)!.id
  await expect.poll(() => c.t.gw.alarmStore.active().find((x) => x.type === 'broadcast_unconfirmed' && x.village === 'Thôn Hỏng')?.severity, { timeout: 60_000 }).toBe('critical')
  await expect.poll(async () => (await bulletinView(stack.service.pool, id))!.communes[0]!.villages.find((v) => v.village === 'Thôn Hỏng')?.missed.length, { timeout: 30_000 }).toBe(1)

  // C's box tells C's official, by both channels the commune's alarms use, naming the village and the warning.
  const told = (commune: string, channel: 'sms' | 'zalo') => receiver.received.filter((r) => r.path === `/${commune}/${channel}` && JSON.stringify(r.body).includes('Thôn Hỏng'))
  await expect.poll(() => [told('xa-c', 'sms').length, told('xa-c', 'zalo').length], { timeout: 30_000 }).toEqual([1, 1])
  const [sms, zalo] = [told('xa-c', 'sms')[0]!, told('xa-c', 'zalo')[0]!]
  expect(sms.body).toMatchObject({ to: officials['xa-c'][0] })
  expect(sms.headers.authorization).toBe('Bearer sms-token-xa-c-0123456789')
  expect(zalo.body).toMatchObject({ recipient: { user_id: officials['xa-c'][1] }, message: { text: sms.body.text } })
  expect(sms.body.text).toMatch(/^\[KHẨN CẤP\] Loa không xác nhận phát bản tin khẩn cấp — Thôn Hỏng: bản tin «Cảnh báo lũ khẩn cấp: Hồ Khe Tre» \(Ủy ban nhân dân tỉnh\), 1 cụm loa chưa phát trọn vẹn\. Từ /)
  // Not the officials of A, whose station rose, nor of B, which the warning did not concern.
  expect([...told('xa-a', 'sms'), ...told('xa-a', 'zalo'), ...told('xa-b', 'sms'), ...told('xa-b', 'zalo')]).toEqual([])

  // The province's sweep, on an injected clock: raised, then a level up each 5 minutes until acknowledged.
  const alarm = async () => (await stack.sql<{ id: string; escalation: number; acknowledged_by: string | null; details: { done: number; targeted: number } }>(
    "SELECT id, escalation, acknowledged_by, details FROM province_alarms WHERE rule = 'flood_warning_unplayed' AND subject = 'xa-c/Thôn Hỏng' AND state = 'active'"))[0]
  const now = Date.now()
  await expect.poll(async () => { await stack.service.rules.sweep(now); return (await alarm())?.details }, { timeout: 20_000 }).toMatchObject({ done: 0, targeted: 1 })
  expect((await alarm())!.escalation).toBe(0)
  await stack.service.rules.sweep(now + 5 * 60_000)
  await stack.service.rules.sweep(now + 10 * 60_000)
  expect((await alarm())!.escalation).toBe(2)
  await stack.sql("UPDATE province_alarms SET acknowledged_by = 'tinh.an', acknowledged_at = $2 WHERE id = $1", [(await alarm())!.id, now])
  await stack.service.rules.sweep(now + 30 * 60_000)
  expect((await alarm())!.escalation).toBe(2)
  await broken.stop()
})
