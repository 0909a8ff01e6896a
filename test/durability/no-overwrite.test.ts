// No acknowledged reading is overwritten or merged in the store, whatever time it comes with:
// none (restamped at receive time), a clock reset to 1970 (restamped too), or the same time as
// another reading. Each reading carries a unique level, and the store must give back every
// acknowledged one. Both stores, through the real broker.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import type { TelemetryStore } from '../../gateway/store/telemetry-store.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

/** Every level value the store holds for a water station between these times, with how often. */
async function storedLevels (store: TelemetryStore, deviceId: string, from: number, to: number): Promise<number[]> {
  const buckets = await store.history({ deviceId, kind: 'water_sensor', field: 'levelM', from, to, maxPoints: Math.min(to - from, 100_000) })
  // 1 ms buckets: two readings in one bucket would be a merge; a missing value, a loss.
  for (const b of buckets) expect(b.count, `readings filed in the same millisecond at ${b.t}`).toBe(1)
  return buckets.map((b) => b.mean).sort((a, b) => a - b)
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6

const STORES = [
  ['SQLite', () => ({})],
  ['InfluxDB', () => ({ influxUrl: inject('influxUrl'), influxDatabase: `no_overwrite_${process.pid}` })]
] as const

describe.each(STORES)('%s', (_name, settings) => {
  let t: TestGateway
  beforeAll(async () => { t = await startTestGateway(settings()) })
  afterAll(async () => { await t.stop() })

  /** Publishes the bodies back to back at QoS 1 from one device; resolves when all are acknowledged. */
  async function send (id: string, secret: string, bodies: object[]): Promise<void> {
    const client = await t.connect(id, secret)
    await Promise.all(bodies.map((body) => client.publishAsync(topics.telemetry(id), JSON.stringify(body), { qos: 1 })))
    await client.endAsync()
  }

  const settled = () => expect.poll(() => t.gw.journal.depth, { timeout: 20_000 }).toBe(0)

  test('a buffer flushed without times after a power cut: 10 stations × 20 readings, all kept', async () => {
    const start = Date.now()
    const stations = Array.from({ length: 10 }, () => t.addDevice('water_sensor'))
    const levels = (s: number) => Array.from({ length: 20 }, (_, i) => round(10 + s + i / 1000))
    await Promise.all(stations.map((d, s) => send(d.id, d.secret, levels(s).map((levelM) => ({ levelM })))))
    await settled()
    for (const [s, d] of stations.entries()) expect(await storedLevels(t.gw.store, d.id, start - 1000, Date.now() + 5000)).toEqual(levels(s))
  })

  test('a clock reset to 1970: restamped readings in one burst, all kept', async () => {
    const start = Date.now()
    const d = t.addDevice('water_sensor')
    const levels = Array.from({ length: 30 }, (_, i) => round(20 + i / 1000))
    await send(d.id, d.secret, levels.map((levelM, i) => ({ ts: 1000 + i, levelM })))
    await settled()
    expect(await storedLevels(t.gw.store, d.id, start - 1000, Date.now() + 5000)).toEqual(levels)
  })

  test('readings with the same device time: each kept, at the next free millisecond', async () => {
    const ts = Date.now() - 60_000
    const d = t.addDevice('water_sensor')
    const levels = [30.001, 30.002, 30.003, 30.004]
    await send(d.id, d.secret, levels.map((levelM) => ({ ts, levelM })))
    // A later reading at ts + 2 finds its millisecond taken too, and moves on.
    await send(d.id, d.secret, [{ ts: ts + 2, levelM: 30.005 }])
    await settled()
    expect(await storedLevels(t.gw.store, d.id, ts - 10, ts + 100)).toEqual([...levels, 30.005])
  })

  test('the same reading sent again (a QoS 1 re-send) is stored once, under its own time', async () => {
    const ts = Date.now() - 30_000
    const d = t.addDevice('water_sensor')
    await send(d.id, d.secret, [{ ts, levelM: 40.5 }, { ts, levelM: 40.5 }, { ts, levelM: 40.6 }, { ts, levelM: 40.5 }])
    await settled()
    expect(await storedLevels(t.gw.store, d.id, ts - 10, ts + 100)).toEqual([40.5, 40.6])
    const buckets = await t.gw.store.history({ deviceId: d.id, kind: 'water_sensor', field: 'levelM', from: ts, to: ts + 1, maxPoints: 1 })
    expect(buckets[0]?.mean).toBe(40.5)
  })
})
