// Active alarms and their clocks live in state.db: a restart keeps them, and the engine
// that starts again clears them when their condition ends.
import { expect, test } from 'vitest'
import { startTestGateway } from '../support/gateway.js'

test('an active alarm survives a restart with its escalation time, and clears afterwards', { timeout: 30_000 }, async () => {
  let t = await startTestGateway()
  const { id, secret } = t.addDevice('camera')
  let camera = await t.connect(id, secret)
  await camera.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ tamper: true }), { qos: 1 })
  await expect.poll(() => t.gw.alarms.activeAlarms().length).toBe(1)
  const before = t.gw.alarms.activeAlarms()[0]!
  const { dataDir } = t
  await t.stop({ keepData: true })

  t = await startTestGateway({ dataDir })
  try {
    const after = t.gw.alarms.activeAlarms()
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ id: before.id, type: 'tamper', state: 'active', startedAt: before.startedAt, nextEscalationAt: before.nextEscalationAt })
    camera = await t.connect(id, secret)
    await camera.publishAsync(`commune/v1/${id}/telemetry`, JSON.stringify({ tamper: false }), { qos: 1 })
    await expect.poll(() => t.gw.alarmStore.get(before.id)!.state).toBe('cleared')
    expect(t.gw.alarmStore.list({ limit: 10 })).toHaveLength(1)
  } finally {
    await t.stop()
  }
})
