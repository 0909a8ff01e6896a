// The heavy-rain scenario through the real broker, to its end: each reservoir above alarm
// level III makes the gateway speak an emergency warning and send it to the villages named
// downstream, whose simulated clusters fetch it and play it; the same words go out as a
// signed webhook notification.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { afterEach, expect, test } from 'vitest'
import { signature } from '../../gateway/notify/channels.js'
import { parseInventory } from '../../gateway/registry/inventory.js'
import { startFleet, type Fleet } from '../../simulators/fleet.js'
import { inventoryDevices } from '../../simulators/inventory.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

const INVENTORY = readFileSync(new URL('../../simulators/inventory/demo-commune.yaml', import.meta.url), 'utf8')
let t: TestGateway | null = null
let fleet: Fleet | null = null
const SECRET = 'chia-se-bi-mat-cua-xa'
const received: Array<{ event: string; text: string; signed: boolean }> = []
const hook = createServer((req, res) => {
  let body = ''
  req.on('data', (c: Buffer) => { body += c.toString() })
  req.on('end', () => {
    const signed = req.headers['x-gateway-signature'] === signature(SECRET, String(req.headers['x-gateway-timestamp']), body)
    received.push({ ...JSON.parse(body) as { event: string; text: string }, signed })
    res.end('{}')
  })
})
afterEach(async () => {
  await fleet?.stop()
  await t?.stop()
  hook.close()
})

test('heavy rain ends with the downstream villages\' loudspeakers playing the automatic emergency warning', { timeout: 120_000 }, async () => {
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve))
  t = await startTestGateway({ presenceDebounceS: 5, alarmSweepS: 0.5, webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, webhookSecret: SECRET })
  const gw = t
  gw.gw.thresholds.set({ scope: 'default', values: { riseCmPerH: 1e6 } })
  const kinds = ['water_sensor', 'speaker']
  const imported = gw.gw.registry.importMany(parseInventory(INVENTORY, 'yaml').filter((e) => kinds.includes((e as { kind: string }).kind)))
  fleet = startFleet({
    url: gw.mqttUrl, devices: inventoryDevices(INVENTORY, 'demo-commune.yaml').filter((d) => kinds.includes(d.kind)),
    credentials: Object.fromEntries(imported.created.map((c) => [c.device.id, c.secret])),
    scenario: 'heavy-rain', speed: 3600, staggerMs: 2, faults: false, intervalsMs: { speaker: 1000, water_sensor: 250 }
  })
  const stations = gw.gw.registry.list({ kind: 'water_sensor' })
  const reservoirs = new Map(stations.map((s) => [s.reservoir!.name, s.reservoir!.downstreamVillages]))
  const warnings = () => gw.gw.broadcasts.store.list({ limit: 50 }).filter((b) => b.alarmId !== null)
  await expect.poll(() => warnings().length, { timeout: 60_000, interval: 500 }).toBe(reservoirs.size)

  for (const b of warnings()) {
    expect(b).toMatchObject({ priority: 'emergency', repeat: 3, gapS: 5, createdBy: 'system' })
    const reservoir = [...reservoirs.keys()].find((name) => b.title.includes(name))!
    expect([...b.targets.villages].sort()).toEqual([...reservoirs.get(reservoir)!].sort())
    const clip = gw.gw.broadcasts.audio.require(b.clipId)
    expect(clip.text).toMatch(/^Thông báo khẩn cấp của Ủy ban nhân dân/)
    expect(clip.text).toContain(reservoir)
    expect(clip.text).toMatch(/trên (mức báo động ba|mực nước lũ thiết kế) [\d,]+ mét/)
    console.info(`automatic warning (${b.title}): ${clip.text}`)
    // Every cluster of those villages plays it (it lasts three times the speech, so "playing" is the end of this test).
    const clusters = gw.gw.registry.list({ kind: 'speaker' }).filter((s) => b.targets.villages.includes(s.village)).map((s) => s.id)
    await expect.poll(() => gw.gw.broadcasts.store.deliveries(b.id).filter((d) => d.state === 'playing' || d.state === 'done').map((d) => d.deviceId).sort(),
      { timeout: 30_000, interval: 250 }).toEqual(clusters.sort())
  }
  await expect.poll(() => received.filter((r) => r.event === 'broadcast.warning').length, { timeout: 10_000 }).toBe(reservoirs.size)
  const texts = new Set(warnings().map((b) => gw.gw.broadcasts.audio.require(b.clipId).text))
  for (const r of received.filter((x) => x.event === 'broadcast.warning')) {
    expect(texts).toContain(r.text)
    expect(r.signed).toBe(true)
  }
})
