// A batch InfluxDB refuses for what it is (a field type conflict) must not block the
// readings behind it, nor be thrown away: it goes to the journal's quarantine.
import { expect, inject, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway } from '../support/gateway.js'

test('a refused batch is quarantined, counted, and the readings behind it flow', { timeout: 60_000 }, async () => {
  const influxUrl = inject('influxUrl')
  const t = await startTestGateway({ influxUrl, influxDatabase: 'poison' })
  try {
    const camera = t.addDevice('camera')
    const sensor = t.addDevice('water_sensor')
    const cam = await t.connect(camera.id, camera.secret)
    await cam.publishAsync(topics.telemetry(camera.id), JSON.stringify({ fps: 25 }), { qos: 1 })
    await expect.poll(() => t.gw.journal.depth).toBe(0) // database and retention policies exist now

    // Someone wrote levelM as text into the same shard: InfluxDB now refuses floats for it.
    const res = await fetch(`${influxUrl}/write?db=poison&rp=raw&precision=ms`, {
      method: 'POST', body: `water_sensor,device=other,kind=water_sensor,commune=x,village=y levelM="broken" ${Date.now() - 5000}`
    })
    expect(res.status).toBe(204)

    const wl = await t.connect(sensor.id, sensor.secret)
    await wl.publishAsync(topics.telemetry(sensor.id), JSON.stringify({ levelM: 12.5 }), { qos: 1 })
    await expect.poll(() => t.gw.journal.quarantined, { timeout: 20_000 }).toBe(1)
    await cam.publishAsync(topics.telemetry(camera.id), JSON.stringify({ fps: 24 }), { qos: 1 })
    await expect.poll(async () => (await t.gw.store.latest()).get(camera.id)?.fps?.value, { timeout: 20_000 }).toBe(24)

    const health = await (await fetch(`${t.httpUrl}/health`)).json() as { journal: { quarantined: number; depth: number } }
    expect(health.journal).toMatchObject({ quarantined: 1, depth: 0 })
    expect(await (await fetch(`${t.httpUrl}/metrics`)).text()).toMatch(/^gateway_readings_quarantined_total 1$/m)
  } finally {
    await t.stop()
  }
})
