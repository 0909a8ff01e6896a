// InfluxDB goes away while devices keep reporting: readings wait in the journal, and drain
// in order when it returns. A journal at its disk budget stops acknowledging, so devices
// keep their readings until there is room again.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startInfluxd, type Influxd } from '../support/influxd.js'
import { startTestGateway } from '../support/gateway.js'
import { missingFrom } from '../support/stored.js'
import { streamReadings } from '../support/stream.js'

let influxd: Influxd
beforeAll(async () => { influxd = await startInfluxd() }, 60_000)
afterAll(async () => { await influxd.destroy() })

test('InfluxDB stopped and started mid-stream: no acknowledged reading lost', { timeout: 120_000 }, async () => {
  const t = await startTestGateway({ influxUrl: influxd.url, influxDatabase: 'outage' })
  try {
    const { id, secret } = t.addDevice('water_sensor')
    const client = await t.connect(id, secret)
    const stream = streamReadings(client, id, Date.now() - 60_000)
    await expect.poll(() => stream.acked.size, { timeout: 20_000 }).toBeGreaterThan(300)

    await influxd.stop()
    const ackedBeforeOutage = stream.acked.size
    // Acknowledgements go on while the store is down: the journal holds the readings.
    await expect.poll(() => stream.acked.size, { timeout: 20_000 }).toBeGreaterThan(ackedBeforeOutage + 500)
    await expect.poll(() => t.gw.drain.status().storeReachable, { timeout: 20_000 }).toBe(false)
    expect(t.gw.journal.depth).toBeGreaterThan(0)
    const health = await fetch(`${t.httpUrl}/health`)
    expect(health.status).toBe(503)
    expect(await health.json()).toMatchObject({ status: 'degraded', store: { reachable: false }, journal: { depth: expect.any(Number) as number } })

    await influxd.start()
    await stream.stop()
    await expect.poll(() => t.gw.journal.depth, { timeout: 60_000, interval: 200 }).toBe(0)
    const lost = await missingFrom(t.gw.store, id, stream.acked)
    console.info(`InfluxDB outage: ${stream.sent()} sent, ${stream.acked.size} acknowledged, ${lost.length} lost`)
    expect(lost).toEqual([])
    expect((await fetch(`${t.httpUrl}/health`)).status).toBe(200)
  } finally {
    await t.stop()
  }
})

test('a full journal stops acknowledging; the device keeps its readings and delivers them later', { timeout: 120_000 }, async () => {
  // About 40 readings fit in this budget.
  const t = await startTestGateway({ influxUrl: influxd.url, influxDatabase: 'full', journalMaxMb: 0.008 })
  try {
    const { id, secret } = t.addDevice('water_sensor')
    await influxd.stop()
    // Reconnecting with the same session: MQTT.js resends unacknowledged QoS1 messages.
    const client = await t.connect(id, secret, { clean: false, reconnectPeriod: 300 })
    let closes = 0
    client.on('close', () => { closes++ })
    const t0 = Date.now() - 60_000
    const acked = new Set<number>()
    const all = Array.from({ length: 100 }, (_, i) => t0 + i)
    for (const ts of all) {
      client.publish(topics.telemetry(id), JSON.stringify({ ts, levelM: 5 }), { qos: 1 }, (err) => { if (!err) acked.add(ts) })
    }
    await expect.poll(() => closes, { timeout: 20_000 }).toBeGreaterThan(0)
    await expect.poll(() => t.gw.journal.usedFraction, { timeout: 20_000 }).toBeGreaterThan(0.8)
    expect(acked.size).toBeLessThan(all.length)
    const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text()
    expect(metrics).toMatch(/^gateway_messages_rejected_total\{reason="journal_full"\} [1-9]/m)

    await influxd.start()
    await expect.poll(() => acked.size, { timeout: 90_000, interval: 200 }).toBe(all.length)
    await expect.poll(() => t.gw.journal.depth, { timeout: 60_000 }).toBe(0)
    expect(await missingFrom(t.gw.store, id, new Set(all))).toEqual([])
  } finally {
    await t.stop()
  }
})
