// Snapshots from MQTT cameras (issue #20), through the real broker: the gateway asks with the
// `snapshot` command, the simulated camera answers with a real JPEG on its own snapshot topic,
// which is kept and measured like a probed camera's. Refused with a clear reason and nothing
// lost: a picture over the limit, one that is not a JPEG, one pushed as another camera.
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { simClock } from '../../simulators/clock.js'
import { CameraModel } from '../../simulators/camera.js'
import { SimDevice } from '../../simulators/device.js'
import { atLocalHour, seededRandom } from '../../simulators/patterns.js'
import { Scenes } from '../../simulators/rtsp-camera/scene.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
const MAX_KB = 40
const scenes = new Scenes()
beforeAll(async () => { t = await startTestGateway({ snapshotMqttMaxKb: MAX_KB }) })
afterAll(async () => { await t.stop() })

const rejected = async (reason: string): Promise<number> => (await t.gw.metrics.messagesRejected.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0
const commandStatus = (id: string) => t.gw.commands.get(id)!

/** A camera device on MQTT, as a raw client that answers nothing by itself. */
async function rawCamera (): Promise<{ id: string; client: MqttClient }> {
  const { id, secret } = t.addDevice('camera')
  const client = await t.connect(id, secret)
  await client.subscribeAsync(topics.command(id), { qos: 1 })
  return { id, client }
}

/** The camera's snapshot command the gateway's asker sent (in its slot; the test asks for its turn now). */
async function askedCommand (id: string) {
  await t.gw.snapshotAsker.tick()
  const command = t.gw.commands.list(id).find((c) => c.name === 'snapshot')
  expect(command).toBeDefined()
  return command!
}

test('the gateway asks an online MQTT camera for a snapshot; the simulated camera answers with a real JPEG, which is kept, measured and served', { timeout: 60_000 }, async () => {
  const { id, secret } = t.addDevice('camera')
  const clock = simClock({ simStart: atLocalHour(Date.now(), 10) })
  const model = new CameraModel({ random: seededRandom(3), simNow: clock.simNow(), tampersPerH: 0 })
  const device = new SimDevice(id, model, { url: t.mqttUrl, secret, clock, intervalMs: 60_000, random: () => 0.5 })
  device.start()
  try {
    await expect.poll(() => t.gw.presence.get(id).online, { timeout: 20_000 }).toBe(true)
    const sent = await askedCommand(id)
    await expect.poll(() => commandStatus(sent.id).status, { timeout: 30_000 }).toBe('done')
    // Asked once in its slot of the interval (5 min), not at every look.
    expect(await t.gw.snapshotAsker.tick()).not.toContain(id)
    // Finished snapshot commands are forgotten in time (one per camera every few minutes).
    expect(t.gw.commands.prune('snapshot', Date.now() + 1)).toBeGreaterThanOrEqual(1)
    expect(t.gw.commands.get(sent.id)).toBeNull()
    const at = t.gw.snapshots.latestAt(id)
    expect(at).not.toBeNull()
    // Measured: its picture's figures reach the camera's latest values, as a probed camera's do.
    await expect.poll(() => t.gw.live.get(id).pictureLuma?.value, { timeout: 20_000 }).toBeGreaterThan(60)
    expect(t.gw.live.get(id).pictureContrast?.value).toBeGreaterThan(40)
    const res = await t.api(`/api/devices/${id}/snapshot`)
    expect(res.status).toBe(200)
    const jpeg = Buffer.from(await res.arrayBuffer())
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    expect(jpeg.length).toBeGreaterThan(3000)
  } finally {
    await device.stop()
  }
})

test('a snapshot over the limit is refused with its size and the limit: the camera stays connected, its pending command fails with the reason, the picture kept before stays', { timeout: 60_000 }, async () => {
  const { id, client } = await rawCamera()
  const good = await scenes.picture('day', 0)
  expect(good.length).toBeLessThan(MAX_KB * 1024)
  await client.publishAsync(topics.snapshot(id), good, { qos: 1 })
  const keptAt = t.gw.snapshots.latestAt(id)
  expect(keptAt).not.toBeNull()

  const sent = await askedCommand(id)
  await expect.poll(() => commandStatus(sent.id).status).toBe('sent')
  const before = await rejected('too_large')
  // A real JPEG, too big: the picture padded inside a comment segment (still a valid JPEG).
  // Over the snapshot limit but under the broker's packet limit (64 KiB), which would close the connection.
  const pad = 50_000 - good.length
  const big = Buffer.concat([good.subarray(0, 2), Buffer.from([0xff, 0xfe, (pad + 2) >> 8, (pad + 2) & 0xff]), Buffer.alloc(pad, 0x20), good.subarray(2)])
  expect(big.length).toBeGreaterThan(MAX_KB * 1024)
  expect(big.length).toBeLessThan(t.gw.config.maxPacketBytes)
  await client.publishAsync(topics.snapshot(id), big, { qos: 1 }) // acknowledged: never resent forever
  expect(await rejected('too_large')).toBe(before + 1)
  expect(commandStatus(sent.id).status).toBe('failed')
  expect(commandStatus(sent.id).reason).toContain(`snapshot of ${big.length} bytes is over the limit of ${MAX_KB * 1024} bytes`)
  expect(t.gw.snapshots.latestAt(id)).toBe(keptAt)
  expect(client.connected).toBe(true)
  // ...and the camera's readings still go in.
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ fps: 12 }), { qos: 1 })
  expect(t.gw.live.get(id).fps?.value).toBe(12)
})

test('a snapshot that is not a JPEG is refused and nothing is kept; a second one within ten seconds is refused too', { timeout: 60_000 }, async () => {
  const { id, client } = await rawCamera()
  const notJpeg = await rejected('not_jpeg')
  await client.publishAsync(topics.snapshot(id), Buffer.from('{"picture":"here"}'), { qos: 1 })
  await client.publishAsync(topics.snapshot(id), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]), { qos: 1 }) // JPEG markers, no picture
  expect(await rejected('not_jpeg')).toBe(notJpeg + 2)
  expect(t.gw.snapshots.latestAt(id)).toBeNull()
  const frequent = await rejected('too_frequent')
  await client.publishAsync(topics.snapshot(id), await scenes.picture('day', 1), { qos: 1 })
  expect(await rejected('too_frequent')).toBe(frequent + 1)
  expect(t.gw.snapshots.latestAt(id)).toBeNull()
})

test('a camera cannot push a snapshot as another camera, and nobody receives a snapshot but the gateway', { timeout: 60_000 }, async () => {
  const victim = await rawCamera()
  const intruder = await rawCamera()
  const received: string[] = []
  victim.client.on('message', (topic) => received.push(topic))
  intruder.client.on('message', (topic) => received.push(topic))
  // A subscription to another camera's (or its own) snapshot topic is refused (SUBACK 0x80).
  const refusal = await intruder.client.subscribeAsync([topics.snapshot(victim.id), topics.snapshot(intruder.id), 'commune/v1/+/snapshot'], { qos: 1 })
    .then(() => null, (err: { packet?: { granted: number[] } }) => err.packet?.granted)
  expect(refusal).toEqual([128, 128, 128])
  const before = await rejected('not_own_topic')
  await intruder.client.publishAsync(topics.snapshot(victim.id), await scenes.picture('turned', 0), { qos: 1 })
  expect(await rejected('not_own_topic')).toBe(before + 1)
  expect(t.gw.snapshots.latestAt(victim.id)).toBeNull()
  // Its own goes in, and reaches no client.
  await intruder.client.publishAsync(topics.snapshot(intruder.id), await scenes.picture('day', 2), { qos: 1 })
  expect(t.gw.snapshots.latestAt(intruder.id)).not.toBeNull()
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(received).toEqual([])
})

test('a loudspeaker or a water station cannot send snapshots', { timeout: 30_000 }, async () => {
  const { id, secret } = t.addDevice('speaker')
  const client = await t.connect(id, secret)
  const before = await rejected('not_own_topic')
  await client.publishAsync(topics.snapshot(id), await scenes.picture('day', 3), { qos: 1 })
  expect(await rejected('not_own_topic')).toBe(before + 1)
  expect(t.gw.snapshots.latestAt(id)).toBeNull()
})
