// The promise behind every PUBACK: a gateway killed with SIGKILL mid-stream loses none of
// the readings it acknowledged. The gateway runs as its own process; after the kill it is
// started again on the same data folder and every acknowledged reading is looked up.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, expect, test } from 'vitest'
import { openState } from '../../gateway/app.js'
import { configWith } from '../../gateway/config/load.js'
import { Registry } from '../../gateway/registry/registry.js'
import { loopbackEnv, spawnGateway } from '../support/child-gateway.js'
import { startTestGateway } from '../support/gateway.js'
import { freePort } from '../support/ports.js'
import { missingFrom } from '../support/stored.js'
import { streamReadings, type Stream } from '../support/stream.js'

const dataDir = mkdtempSync(join(tmpdir(), 'gw-sigkill-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

test('SIGKILL in the middle of a QoS1 stream loses no acknowledged reading', { timeout: 90_000 }, async () => {
  const db = openState(configWith({ dataDir }))
  const registry = new Registry(db, 'Xã thử')
  const devices = Array.from({ length: 4 }, (_, i) => registry.create({ kind: 'water_sensor', name: `Trạm ${i}`, village: 'Thôn Đông' }))
  db.close()

  const [mqttPort, httpPort] = [await freePort(), await freePort()]
  const child = await spawnGateway(loopbackEnv({ dataDir, mqttPort, httpPort, adminToken: 'sigkill-test-admin-token' }), httpPort)

  const t0 = Date.now() - 60_000
  const clients: MqttClient[] = []
  const streams: Stream[] = []
  for (const { device, secret } of devices) {
    const client = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: device.id, username: device.id, password: secret, reconnectPeriod: 0 })
    clients.push(client)
    streams.push(streamReadings(client, device.id, t0))
  }
  // Let a good stream build up, then kill the gateway without warning.
  await expect.poll(() => streams.reduce((n, s) => n + s.acked.size, 0), { timeout: 30_000, interval: 50 }).toBeGreaterThan(2000)
  await child.kill('SIGKILL')
  for (const s of streams) await s.stop()
  await Promise.all(clients.map((c) => c.endAsync(true)))
  const acked = streams.reduce((n, s) => n + s.acked.size, 0)
  const sent = streams.reduce((n, s) => n + s.sent(), 0)
  expect(sent).toBeGreaterThan(acked) // some were in flight when the process died

  // Start again on the same data: the journal drains what the store had not confirmed.
  const again = await startTestGateway({ dataDir })
  try {
    await expect.poll(() => again.gw.journal.depth, { timeout: 30_000 }).toBe(0)
    let lost = 0
    for (const [i, { device }] of devices.entries()) lost += (await missingFrom(again.gw.store, device.id, streams[i]!.acked)).length
    console.info(`SIGKILL test: ${sent} sent, ${acked} acknowledged, ${lost} acknowledged readings lost`)
    expect(lost).toBe(0)
  } finally {
    await again.stop({ keepData: true })
  }
})
