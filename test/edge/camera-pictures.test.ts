// What cameras see (issue #20), through the real probe: the simulated cameras serve real
// JPEGs of a scene, the gateway keeps them (private files, within budget), measures them with
// ffmpeg and raises each picture fault as an alarm, cleared when the fault ends. The cameras'
// clocks and the probe's are set back (within the 7 days a device's time is believed) to put
// them in daylight or at night; that time only ever moves forward across the file.
import { statSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import type { AlarmType } from '../../gateway/alarms/catalog.js'
import { CameraHost } from '../../simulators/rtsp-camera/host.js'
import type { CameraFaults } from '../../simulators/rtsp-camera/camera.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { signInAs, type SignedIn } from '../support/people.js'

let t: TestGateway
let host: CameraHost
let police: SignedIn
beforeAll(async () => {
  // Every probe keeps and checks a snapshot: the tests run the cycles themselves.
  t = await startTestGateway({ cameraProbeIntervalS: 3600, cameraProbeTimeoutS: 8, snapshotIntervalS: 0.001 }, { cameraClock: () => Date.now() + offsetMs })
  host = await CameraHost.start()
  police = await signInAs(t.gw, t.httpUrl, 'police')
})
afterAll(async () => {
  await t.stop()
  await host.stop()
})

// Each test probes only its own cameras: a cycle measures every camera with an endpoint.
afterEach(async () => {
  for (const id of cameras.splice(0)) await t.api(`/api/devices/${id}/endpoint`, { method: 'DELETE' })
})

const HOUR = 3_600_000
/** How far the cameras' and the probe's clocks are behind the real one. */
let offsetMs = 0
/** This local hour (UTC+7): now if it is that hour already, else the next time it is; starts six days back. */
let simulated = Date.now() - 6 * 24 * HOUR
function setClock (hour: number): void {
  const local = simulated + 7 * HOUR
  const dayStart = local - (local % (24 * HOUR))
  if (Math.floor((local - dayStart) / HOUR) === hour) return
  let next = dayStart + hour * HOUR
  if (next <= local) next += 24 * HOUR
  simulated = next - 7 * HOUR
  moveTo(simulated)
}
function moveTo (ms: number): void {
  simulated = ms
  offsetMs = ms - Date.now()
  for (const id of cameras) host.get(id)!.faults.clockOffsetS = offsetMs / 1000
}
const cameras: string[] = []

const PICTURE_ALARMS: AlarmType[] = ['picture_covered', 'picture_blurred', 'scene_changed', 'night_ir_failed', 'snapshot_frozen']
const pictureAlarms = (id: string): string[] =>
  t.gw.alarms.activeAlarms().filter((a) => a.deviceId === id && PICTURE_ALARMS.includes(a.type)).map((a) => a.type).sort()

async function probedCamera () {
  const { id } = t.addDevice('camera')
  const sim = host.add({ id, faults: { clockOffsetS: offsetMs / 1000 } })
  cameras.push(id)
  const res = await t.api(`/api/devices/${id}/endpoint`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...host.urls(id), ...sim.credentials }) })
  expect(res.status).toBe(200)
  return { id, sim }
}

/** One probe cycle, then the picture alarms of these cameras that settle from its readings. */
async function cycle (...ids: string[]): Promise<string[]> {
  moveTo(simulated + 60_000) // a minute per cycle
  await t.gw.cameraProbes.runCycle()
  for (const id of ids) {
    const at = t.gw.snapshots.latestAt(id)
    // The readings reach the alarm engine through the journal's commit and the bus.
    await expect.poll(() => t.gw.live.get(id).pictureLuma?.ts).toBe(at)
  }
  return ids.flatMap(pictureAlarms)
}

async function markReference (id: string): Promise<void> {
  const at = t.gw.snapshots.latestAt(id)
  const res = await police.fetch(`/api/devices/${id}/reference`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at }) })
  expect(res.status).toBe(200)
}

test('a healthy camera: its snapshot is kept as a private file and measured; police and the admin see it, and it is audited', async () => {
  setClock(10)
  const { id } = await probedCamera()
  expect(await cycle(id)).toEqual([])
  const latest = t.gw.live.get(id)
  expect(latest.pictureLuma?.value).toBeGreaterThan(60)
  expect(latest.pictureContrast?.value).toBeGreaterThan(40)
  expect(latest.pictureBlur?.value).toBeLessThan(7)
  expect(latest.pictureSimilarity).toBeUndefined() // no reference yet

  const folder = join(t.dataDir, 'snapshots', id)
  expect(statSync(folder).mode & 0o777).toBe(0o700)
  const files = readdirSync(folder)
  expect(files).toHaveLength(2) // the picture and its thumbnail
  for (const f of files) expect(statSync(join(folder, f)).mode & 0o777).toBe(0o600)

  const res = await police.fetch(`/api/devices/${id}/snapshot`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('image/jpeg')
  expect(res.headers.get('cache-control')).toBe('no-store')
  const jpeg = Buffer.from(await res.arrayBuffer())
  expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
  expect(jpeg.length).toBeGreaterThan(3000) // a real picture, not markers only
  const thumb = await t.api(`/api/devices/${id}/snapshot?size=thumb`)
  expect(thumb.status).toBe(200)
  const views = t.gw.audit.list({ action: 'picture.view', limit: 10 }).filter((e) => e.target === id)
  expect(views.map((e) => [e.actor, (e.details as { size: string }).size])).toEqual([['api-token', 'thumb'], [police.username, 'full']])
})

const FAULTS: Array<{ fault: keyof CameraFaults; alarm: AlarmType; hour: number }> = [
  { fault: 'covered', alarm: 'picture_covered', hour: 10 },
  { fault: 'blurred', alarm: 'picture_blurred', hour: 10 },
  { fault: 'turned', alarm: 'scene_changed', hour: 10 },
  { fault: 'snapshotStuck', alarm: 'snapshot_frozen', hour: 10 },
  { fault: 'covered', alarm: 'picture_covered', hour: 23 }, // a bag by night is still a bag, if lit by the infrared
  { fault: 'irFailed', alarm: 'night_ir_failed', hour: 23 }
]

for (const { fault, alarm, hour } of FAULTS) {
  test(`${fault} at ${hour}:00 raises ${alarm} with its picture, and clears when the fault ends`, async () => {
    setClock(hour)
    const { id, sim } = await probedCamera()
    await cycle(id)
    await markReference(id)
    expect(await cycle(id)).toEqual([])
    sim.faults[fault] = true as never
    // A stuck snapshot needs a few identical ones in a row; every other fault shows at once.
    const raisedAfter = fault === 'snapshotStuck' ? 3 : 1
    for (let i = 1; i < raisedAfter; i++) expect(await cycle(id)).toEqual([])
    expect(await cycle(id)).toEqual([alarm])
    const raised = t.gw.alarms.activeAlarms().find((a) => a.deviceId === id && a.type === alarm)!
    const snapshotAt = raised.details.snapshotAt as number
    const picture = await police.fetch(`/api/devices/${id}/snapshots/${snapshotAt}`)
    expect(picture.status).toBe(200)
    sim.faults[fault] = false as never
    expect(await cycle(id)).toEqual([])
    expect(t.gw.alarmStore.require(raised.id).state).toBe('cleared')
  })
}

test('healthy cameras through a whole day and night, with a reference from daylight: no picture alarm', async () => {
  setClock(9)
  const ids = [(await probedCamera()).id, (await probedCamera()).id]
  await cycle(...ids)
  for (const id of ids) await markReference(id)
  const seen = new Set<string>()
  for (let hour = 1; hour <= 24; hour++) {
    moveTo(simulated + HOUR - 60_000)
    for (const type of await cycle(...ids)) seen.add(`${hour}h ${type}`)
  }
  expect([...seen]).toEqual([])
  // ...and the scene was still compared with the reference at the end (09:00 again).
  for (const id of ids) expect(t.gw.live.get(id).pictureSimilarity?.value).toBeGreaterThan(0.6)
}, 180_000)
