// The snapshots' retention and disk budget (issue #20: "within a disk budget, old ones pruned";
// "the retention of snapshots is a setting", Luật 91/2025/QH15), through the real probe of a
// simulated RTSP/ONVIF camera and the police's picture routes. The probe's clock is moved, so a
// snapshot can be days old without waiting.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CameraHost } from '../../simulators/rtsp-camera/host.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { signInAs, type SignedIn } from '../support/people.js'

const DAY = 86_400_000
const BUDGET_MB = 0.06
let t: TestGateway
let host: CameraHost
let police: SignedIn
/** How far the probe's (and the cameras') clock is from the real one. */
let offsetMs = 0

beforeAll(async () => {
  t = await startTestGateway({ cameraProbeIntervalS: 3600, cameraProbeTimeoutS: 8, snapshotIntervalS: 0.001, snapshotRetentionDays: 1, snapshotBudgetMb: BUDGET_MB },
    { cameraClock: () => Date.now() + offsetMs })
  host = await CameraHost.start()
  police = await signInAs(t.gw, t.httpUrl, 'police')
})
afterAll(async () => {
  await t?.stop()
  await host?.stop()
})

async function probedCamera (): Promise<string> {
  const { id } = t.addDevice('camera')
  const sim = host.add({ id })
  const res = await t.api(`/api/devices/${id}/endpoint`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...host.urls(id), ...sim.credentials }) })
  expect(res.status).toBe(200)
  return id
}
const times = async (id: string): Promise<number[]> => ((await (await police.fetch(`/api/devices/${id}/snapshots`)).json()) as { times: number[] }).times

test('a snapshot past the retention is deleted, file and route, when the next is kept; the latest stays', async () => {
  const id = await probedCamera()
  offsetMs = -3 * DAY
  await t.gw.cameraProbes.runCycle()
  const [old] = await times(id)
  expect(old).toBeLessThan(Date.now() - 2 * DAY)
  expect((await police.fetch(`/api/devices/${id}/snapshots/${old}`)).status).toBe(200)
  offsetMs = 0
  await t.gw.cameraProbes.runCycle()
  const now = await times(id)
  expect(now).toHaveLength(1)
  expect(now[0]).toBeGreaterThan(old!)
  expect((await police.fetch(`/api/devices/${id}/snapshots/${old}`)).status).toBe(404)
  expect(existsSync(join(t.dataDir, 'snapshots', id, `${old}.jpg`))).toBe(false)
  expect(existsSync(join(t.dataDir, 'snapshots', id, `${old}.thumb.jpg`))).toBe(false)
})

test('over the disk budget the oldest go first, and what stays on disk fits it; every camera keeps its latest', async () => {
  const ids = [await probedCamera(), await probedCamera()]
  for (let i = 0; i < 5; i++) {
    offsetMs = i * 60_000
    await t.gw.cameraProbes.runCycle()
  }
  const budget = BUDGET_MB * 1024 * 1024
  expect(t.gw.snapshots.usedBytes).toBeLessThanOrEqual(budget)
  // What the store counts is what is on disk.
  const onDisk = ids.flatMap((id) => readdirSync(join(t.dataDir, 'snapshots', id)).filter((f) => f.endsWith('.jpg')))
  const kept = await Promise.all(ids.map(times))
  expect(onDisk.length).toBe(2 * kept.flat().length) // each picture and its thumbnail
  for (const list of kept) {
    expect(list.length).toBeGreaterThanOrEqual(1)
    expect(list.length).toBeLessThan(5) // some went
    expect(list.at(-1)).toBe(Math.max(...list))
  }
  // The latest of each is the one the last cycle kept.
  for (const id of ids) expect((await police.fetch(`/api/devices/${id}/snapshot`)).headers.get('x-snapshot-at')).toBe(String(t.gw.snapshots.latestAt(id)))
})

test('a camera that stopped sending loses its last picture once it is past the retention, at the maintenance round', async () => {
  const id = await probedCamera()
  offsetMs = -3 * DAY
  await t.gw.cameraProbes.runCycle()
  const [last] = await times(id)
  expect(last).toBeDefined()
  // Back to today, and the camera sends nothing more: what the gateway's maintenance round runs.
  offsetMs = 0
  t.gw.snapshots.prune()
  expect(await times(id)).toEqual([])
  expect((await police.fetch(`/api/devices/${id}/snapshots/${last}`)).status).toBe(404)
  expect((await police.fetch(`/api/devices/${id}/snapshot`)).status).toBe(404)
  expect(readdirSync(join(t.dataDir, 'snapshots', id)).filter((f) => f.endsWith('.jpg') && !f.startsWith('reference'))).toEqual([])
})
