// The broadcast log (nhật ký phát) as a record an official files: local time, Vietnamese
// headers and states (English with lang=en), cluster names and villages beside their ids,
// played duration, per bulletin and per period; a CSV that opens cleanly in a spreadsheet
// (no cell read as a formula), and a printable page. Airings are written to the real
// state.db at chosen times, so the local-time columns can be checked to the second.
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { json, official, tone, upload } from '../support/broadcasting.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import type { SignedIn } from '../support/people.js'

let t: TestGateway
let who: SignedIn
// 2026-11-23 23:30:05 in Vietnam (16:30:05 UTC), and 00:30 the next local day.
const LATE = Date.UTC(2026, 10, 23, 16, 30, 5)
const NEXT_DAY = Date.UTC(2026, 10, 23, 17, 30, 0)
const ids = { a: '', b: '' }
const speakers = { market: '', school: '' }

beforeAll(async () => {
  t = await startTestGateway({ commune: 'Xã Phong Điền' })
  who = await official(t, true)
  const clip = await upload(who, tone(2))
  const store = t.gw.broadcasts.store
  speakers.market = t.gw.registry.create({ kind: 'speaker', name: '=1+2 Loa chợ', village: 'Thôn Hạ' }).device.id
  speakers.school = t.gw.registry.create({ kind: 'speaker', name: 'Loa trường học', village: '@Thôn Thượng' }).device.id
  const bulletin = (title: string, createdBy = 'vanthu') => store.insert({
    id: randomUUID(), title, priority: 'emergency', clipId: clip.id, repeat: 1, gapS: 0, targets: { all: true, villages: [], groups: [], devices: [] },
    schedule: { kind: 'now' }, ttlMs: 600_000, status: 'done', token: randomBytes(24).toString('base64url'), createdBy, alarmId: null
  }, LATE).id
  ids.a = bulletin('<script>alert(1)</script> Cảnh báo lũ')
  // Authored and released by the gateway itself, as an automatic flood warning is.
  ids.b = bulletin('\tBản tin sáng', 'system')
  for (const [id, at] of [[ids.a, LATE], [ids.b, NEXT_DAY]] as const) {
    store.addDeliveries([speakers.market, speakers.school].map((deviceId) => ({ broadcastId: id, airingAt: at, deviceId, village: t.gw.registry.get(deviceId)!.village, commandId: randomUUID(), expiresAt: at + 600_000 })), at)
    store.setDelivery({ broadcastId: id, airingAt: at, deviceId: speakers.market }, { state: 'done', started_at: at + 1000, finished_at: at + 3000 }, at)
    store.setDelivery({ broadcastId: id, airingAt: at, deviceId: speakers.school }, { state: 'failed', reason: 'fetch: HTTP 500', finished_at: at + 900 }, at)
  }
  store.update(ids.a, { approved_by: 'canbo' }, LATE)
  store.update(ids.b, { approved_by: 'system' }, NEXT_DAY)
})
afterAll(async () => { await t.stop() })

async function csv (query: string): Promise<string[][]> {
  const res = await who.fetch(`/api/broadcast-log?format=csv&${query}`)
  expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/)
  const bytes = Buffer.from(await res.arrayBuffer())
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const text = bytes.subarray(3).toString('utf8')
  expect(text.endsWith('\r\n')).toBe(true)
  // No cell here holds a comma or a line break: a plain split is the spreadsheet's reading.
  return text.slice(0, -2).split('\r\n').map((line) => line.split(','))
}

test('one local day: Vietnamese headers, Vietnam\'s time, names and villages beside ids, played seconds, states and reasons in words', async () => {
  const rows = await csv('from=2026-11-23&to=2026-11-23')
  expect(rows[0]).toEqual(['Thời điểm phát', 'Bản tin', 'Mã bản tin', 'Mức ưu tiên', 'Thôn / tổ dân phố', 'Cụm loa', 'Mã cụm loa', 'Trạng thái', 'Lý do',
    'Số lần gửi', 'Bắt đầu phát', 'Kết thúc', 'Thời lượng đã phát (giây)', 'Xác nhận phát trọn vẹn', 'Người soạn', 'Người duyệt'])
  // Only the airing of that day (23:30 local); the one at 00:30 the next day is not in it.
  expect(rows).toHaveLength(3)
  const market = rows.find((r) => r[6] === speakers.market)!
  expect(market).toEqual(['23/11/2026 23:30:05', '<script>alert(1)</script> Cảnh báo lũ', ids.a, 'Khẩn cấp', 'Thôn Hạ', '\'=1+2 Loa chợ', speakers.market,
    'Phát trọn vẹn', '', '1', '23/11/2026 23:30:06', '23/11/2026 23:30:08', '2', 'Có', 'vanthu', 'canbo'])
  const school = rows.find((r) => r[6] === speakers.school)!
  expect(school.slice(4, 14)).toEqual(['\'@Thôn Thượng', 'Loa trường học', speakers.school, 'Lỗi', 'Cụm loa không tải được âm thanh (HTTP 500)', '1', '', '23/11/2026 23:30:05', '', 'Không'])
})

test('in English on the switch; per bulletin; a leading tab is defused like a formula', async () => {
  const rows = await csv(`broadcast=${ids.b}&lang=en`)
  expect(rows[0]!.slice(0, 3)).toEqual(['Aired at', 'Bulletin', 'Bulletin id'])
  expect(rows).toHaveLength(3)
  expect(rows.every((r, i) => i === 0 || r[2] === ids.b)).toBe(true)
  expect(rows[1]![1]).toBe('\'\tBản tin sáng')
  expect(rows.find((r) => r[6] === speakers.market)![7]).toBe('Played in full')
  expect(rows.find((r) => r[6] === speakers.school)!.slice(7, 9)).toEqual(['Failed', 'The cluster could not fetch the audio (HTTP 500)'])
  expect(rows[1]!.slice(14)).toEqual(['System', 'System'])
})

test('a bulletin the gateway wrote and released itself names its author and approver "Hệ thống", never the code "system"', async () => {
  const rows = await csv(`broadcast=${ids.b}`)
  expect(rows.slice(1).map((r) => r.slice(14))).toEqual([['Hệ thống', 'Hệ thống'], ['Hệ thống', 'Hệ thống']])
  const page = await (await who.fetch('/api/broadcast-log?format=html&from=2026-11-24&to=2026-11-24')).text()
  expect(page).toContain('Người soạn: Hệ thống · Người duyệt: Hệ thống')
  expect(page).not.toMatch(/\bsystem\b/)
})

test('a printable page per period: the commune, the period, each airing\'s outcome and clusters, signature lines; text is escaped', async () => {
  const res = await who.fetch('/api/broadcast-log?format=html&from=2026-11-23&to=2026-11-24')
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  const page = await res.text()
  expect(page).toContain('XÃ PHONG ĐIỀN<br>NHẬT KÝ PHÁT THANH')
  expect(page).toContain('Từ 23/11/2026 00:00:00 đến')
  expect(page.match(/Chỉ phát được một phần<\/strong>: phát trọn vẹn trên 1\/2 cụm loa/g)).toHaveLength(2)
  expect(page).toContain('Loa trường học')
  expect(page).toContain('Xác nhận của UBND xã')
  expect(page).not.toContain('<script>alert')
  expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
})

test('as JSON (the integration API\'s stable answer): one row per cluster and airing, with the bulletin, the cluster\'s name and its state', async () => {
  const rows = await json<Array<Record<string, unknown>>>(await who.fetch(`/api/broadcast-log?broadcast=${ids.a}`), 200)
  expect(rows).toHaveLength(2)
  expect(rows.find((r) => r.deviceId === speakers.market)).toMatchObject({
    broadcastId: ids.a, airingAt: LATE, title: '<script>alert(1)</script> Cảnh báo lũ', priority: 'emergency', village: 'Thôn Hạ', deviceName: '=1+2 Loa chợ',
    state: 'done', startedAt: LATE + 1000, finishedAt: LATE + 3000, createdBy: 'vanthu', approvedBy: 'canbo'
  })
})

test('a wrong query is refused with the reason', async () => {
  expect(await json(await who.fetch('/api/broadcast-log?format=xls'), 400)).toMatchObject({ code: 'GW_ERR_VALIDATION' })
  expect((await who.fetch('/api/broadcast-log?from=2026-13-01')).status).toBe(400)
  expect((await who.fetch('/api/broadcast-log?broadcast=abc')).status).toBe(400)
  expect((await who.fetch('/api/broadcast-log?lang=fr')).status).toBe(400)
})
