// One level alarm per station (issue #15): crossing a higher line makes it news again, told by
// SMS with the station's name; several alarms acknowledged at once with one comment, all or
// nothing; the comment thread with who and when; the migration of the separate alarms of before.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { openDatabase } from '../../gateway/db/database.js'
import { STATE_MIGRATIONS } from '../../gateway/db/state-schema.js'
import { NotificationPrefs } from '../../gateway/notify/prefs.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, signInAs } from '../support/people.js'

let t: TestGateway | null = null
afterEach(async () => { await t?.stop(); t = null })

const RESERVOIR = { name: 'Hồ Khe Mây', referenceLevels: { designFloodM: 33 }, alarmLevels: { level1M: 30, level2M: 31, level3M: 32 }, downstreamVillages: [] }
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

test('a level alarm acknowledged at level I is news again at level III: unacknowledged, texted by name, its history showing each crossing', async () => {
  t = await startTestGateway({ smsUrl: 'http://127.0.0.1:9/sms', smsToken: 'sms-token-0123456789' })
  const gw = t.gw
  const operator = gw.users.byUsername(await addUser(gw, 'operator'))!
  gw.prefs.set(operator.id, NotificationPrefs.parse({ phone: '0911000009', channels: ['sms'], minSeverity: 'warning' }))
  const { id } = t.addDevice('water_sensor', { name: 'Trạm đập chính', village: 'Thôn Khe Trăn', reservoir: RESERVOIR })
  const read = (levelM: number) => t!.judge(id, { levelM })
  read(30.2)
  const alarm = gw.alarmStore.list({ deviceId: id, limit: 5 })
  expect(alarm).toHaveLength(1)
  expect(alarm[0]).toMatchObject({ type: 'water_level', severity: 'minor', deviceName: 'Trạm đập chính', details: { stage: 1 } })
  gw.alarms.acknowledge(alarm[0]!.id, operator.username, 'đang theo dõi')
  read(31.5)
  read(32.1)
  const now = gw.alarmStore.get(alarm[0]!.id)!
  expect(now).toMatchObject({ severity: 'critical', acknowledged: false, escalationLevel: 0, details: { stage: 3 } })
  expect(now.nextEscalationAt).not.toBeNull()
  expect(gw.alarmStore.list({ deviceId: id, limit: 5 })).toHaveLength(1)
  const sms = () => gw.outbox.list(20, now.id).filter((d) => d.channel === 'sms' && (d.payload as { event: string }).event.startsWith('alarm.'))
  const texts = sms().map((d) => (d.payload as { text: string }).text)
  expect(texts).toHaveLength(3)
  expect(texts[0]).toMatch(/^\[KHẨN CẤP\] Lên mức: Vượt báo động III — Trạm đập chính \(Thôn Khe Trăn\)/)
  read(31.5)
  read(30.5)
  expect(gw.alarmStore.get(now.id)).toMatchObject({ severity: 'minor', acknowledged: false, details: { stage: 1 } })
  expect(sms()).toHaveLength(3) // falling back is not paged
  const steps = gw.alarmStore.history(now.id).map((h) => h.what === 'stage_changed' ? `${String(h.details!.fromStage)}→${String(h.details!.toStage)}` : h.what)
  expect(steps).toEqual(['raised', 'acknowledged', '1→2', '2→3', '3→2', '2→1'])
})

test('several alarms are acknowledged at once with one comment, all or nothing; each shows the comment thread with who and when', async () => {
  t = await startTestGateway()
  const gw = t.gw
  const police = await signInAs(gw, t.httpUrl, 'police')
  const cams = [1, 2, 3].map((n) => t!.addDevice('camera', { name: `Camera chợ ${n}` }))
  for (const c of cams) t.judge(c.id, { streamAlive: false })
  const ids = cams.map((c) => gw.alarmStore.list({ deviceId: c.id, limit: 1 })[0]!.id)
  const water = t.addDevice('water_sensor', { reservoir: RESERVOIR })
  t.judge(water.id, { levelM: 31 })
  const waterAlarm = gw.alarmStore.list({ deviceId: water.id, limit: 1 })[0]!.id

  // One alarm the police may not handle: nothing is acknowledged.
  const refused = await police.fetch('/api/alarms/acknowledge', json({ ids: [...ids, waterAlarm], comment: 'mất điện khu chợ' }))
  expect(refused.status).toBe(403)
  expect(ids.map((a) => gw.alarmStore.get(a)!.acknowledged)).toEqual([false, false, false])
  expect((await police.fetch('/api/alarms/acknowledge', json({ ids: [] }))).status).toBe(400)
  expect((await police.fetch('/api/alarms/acknowledge', json({ ids: ['1; DROP TABLE alarms'] }))).status).toBe(400)

  const res = await police.fetch('/api/alarms/acknowledge', json({ ids, comment: 'mất điện khu chợ, đã báo điện lực' }))
  expect(res.status).toBe(200)
  expect((await res.json() as Array<{ acknowledged: boolean; deviceName: string }>).map((a) => [a.acknowledged, a.deviceName])).toEqual([[true, 'Camera chợ 1'], [true, 'Camera chợ 2'], [true, 'Camera chợ 3']])
  expect((await police.fetch(`/api/alarms/${ids[1]!}/comment`, json({ comment: '   ' }))).status).toBe(400)
  expect((await police.fetch(`/api/alarms/${ids[1]!}/comment`, json({ comment: 'điện đã có lại lúc 15:10' }))).status).toBe(200)
  const detail = await (await police.fetch(`/api/alarms/${ids[1]!}`)).json() as { history: Array<{ what: string; actor: string | null; comment: string | null; at: number }> }
  expect(detail.history.filter((h) => h.comment)).toEqual([
    expect.objectContaining({ what: 'acknowledged', actor: police.username, comment: 'mất điện khu chợ, đã báo điện lực' }),
    expect.objectContaining({ what: 'commented', actor: police.username, comment: 'điện đã có lại lúc 15:10' })
  ])
  expect(gw.audit.list({ action: 'alarm.acknowledge', limit: 10 })).toHaveLength(3)
})

test('the migration clears the separate level alarms of before, keeping their history and saying what replaced them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-migrate-'))
  const file = join(dir, 'state.db')
  const old = openDatabase(file, { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS.slice(0, 5) })
  old.prepare(`INSERT INTO alarms (id, subject, device_id, village, kind, type, severity, state, details, started_at, raised_at, updated_at)
    VALUES (1, 'wl-1', 'wl-1', 'Thôn Đông', 'water_sensor', 'level_2', 'major', 'active', '{}', 1, 1, 1),
           (2, 'cam-1', 'cam-1', 'Thôn Đông', 'camera', 'tamper', 'critical', 'active', '{}', 1, 1, 1)`).run()
  old.close()
  const db = openDatabase(file, { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  expect(db.prepare('SELECT id, state FROM alarms ORDER BY id').all()).toEqual([{ id: 1, state: 'cleared' }, { id: 2, state: 'active' }])
  expect(db.prepare('SELECT what, details FROM alarm_history WHERE alarm_id = 1').all()).toEqual([{ what: 'cleared', details: '{"replacedBy":"water_level"}' }])
  db.close()
  rmSync(dir, { recursive: true, force: true })
})
