// The alarms API through real HTTP: what a person sees and may do, and clear errors for bad input.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { signInAs, type SignedIn } from '../support/people.js'

let t: TestGateway
let police: SignedIn
let operator: SignedIn
let cameraAlarm: number
beforeAll(async () => {
  t = await startTestGateway()
  police = await signInAs(t.gw, t.httpUrl, 'police')
  operator = await signInAs(t.gw, t.httpUrl, 'operator')
  const { id } = t.addDevice('camera')
  t.judge(id, { tamper: true })
  cameraAlarm = t.gw.alarmStore.list({ deviceId: id, limit: 1 })[0]!.id
})
afterAll(async () => { await t.stop() })

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })

test('each role lists only the alarms of the kinds it watches', async () => {
  const seen = async (who: SignedIn) => (await (await who.fetch('/api/alarms?state=active')).json() as Array<{ id: number }>).map((a) => a.id)
  expect(await seen(police)).toContain(cameraAlarm)
  expect(await seen(operator)).not.toContain(cameraAlarm)
  expect((await operator.fetch(`/api/alarms/${cameraAlarm}`)).status).toBe(403)
  expect((await operator.fetch(`/api/alarms/${cameraAlarm}/acknowledge`, json('POST', {}))).status).toBe(403)
})

test('acknowledging takes a comment; the alarm\'s history and the audit log keep it', async () => {
  const res = await police.fetch(`/api/alarms/${cameraAlarm}/acknowledge`, json('POST', { comment: 'Đã cử tổ tuần tra' }))
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({ acknowledged: true, ackedBy: police.username, nextEscalationAt: null })
  const detail = await (await police.fetch(`/api/alarms/${cameraAlarm}`)).json() as { history: Array<{ what: string; comment: string | null }> }
  expect(detail.history.at(-1)).toMatchObject({ what: 'acknowledged', comment: 'Đã cử tổ tuần tra' })
  expect(t.gw.audit.list({ action: 'alarm.', limit: 5 })[0]).toMatchObject({ actor: police.username, action: 'alarm.acknowledge' })
})

test('bad input gets a clear error and changes nothing', async () => {
  const answer = async (res: Response) => ({ status: res.status, body: await res.json() as { code: string; message: string; details?: string[] } })
  expect(await answer(await police.fetch('/api/alarms/999999'))).toMatchObject({ status: 404, body: { code: 'GW_ERR_NOT_FOUND', message: 'no alarm 999999' } })
  expect(await answer(await police.fetch('/api/alarms/abc/clear', json('POST', {})))).toMatchObject({ status: 404 })
  expect(await answer(await police.fetch('/api/alarms?severity=apocalyptic'))).toMatchObject({ status: 400, body: { code: 'GW_ERR_VALIDATION' } })
  const longComment = await answer(await police.fetch(`/api/alarms/${cameraAlarm}/clear`, json('POST', { comment: 'x'.repeat(501) })))
  expect(longComment).toMatchObject({ status: 400, body: { code: 'GW_ERR_VALIDATION', message: 'invalid comment' } })
  expect(t.gw.alarmStore.get(cameraAlarm)!.state).toBe('active')
  expect(await answer(await police.fetch(`/api/alarms/${cameraAlarm}/clear`, json('POST', '{"comment": '))))
    .toMatchObject({ status: 400, body: { code: 'GW_ERR_VALIDATION' } })

  const prefs = await answer(await police.fetch('/api/session/notifications', json('PUT', { phone: 'call me', channels: ['pigeon'], quietFrom: '25:00' })))
  expect(prefs.status).toBe(400)
  expect(prefs.body.details).toHaveLength(3)
  const thresholds = await answer(await t.api('/api/alarm-thresholds', json('PUT', { scope: 'planet:earth', values: { riseCmPerH: -1 } })))
  expect(thresholds.status).toBe(400)
  expect((await police.fetch('/api/alarm-thresholds', json('PUT', { scope: 'default', values: { riseCmPerH: 10 } }))).status).toBe(403)
  expect(t.gw.thresholds.list()).toEqual([])
})

test('an admin sets an override through the API and the rules use it at once', async () => {
  const res = await t.api('/api/alarm-thresholds', json('PUT', { scope: 'kind:camera', values: { offlineGraceS: 60 } }))
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({ overrides: [{ scope: 'kind:camera', values: { offlineGraceS: 60 } }] })
  expect(t.gw.thresholds.for({ id: 'cam-x', kind: 'camera', village: 'Thôn Đông' }).offlineGraceS).toBe(60)
  expect(t.gw.thresholds.for({ id: 'spk-x', kind: 'speaker', village: 'Thôn Đông' }).offlineGraceS).toBe(300)
})
