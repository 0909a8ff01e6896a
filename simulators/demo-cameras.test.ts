// The demo's commune has a camera of each fault the police must be shown (issue #20).
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { DEMO_CAMERA_FAULTS, demoRtspCameras } from './demo-cameras.js'
import { inventoryDevices } from './inventory.js'

const cameraIds = inventoryDevices(readFileSync(new URL('./inventory/demo-commune.yaml', import.meta.url), 'utf8'), 'demo-commune.yaml')
  .filter((d) => d.kind === 'camera').map((d) => d.id)

test('the demo\'s default RTSP cameras include one covered, one blurred, one turned, one with failed infrared, one frozen and one on its factory password', () => {
  const cameras = demoRtspCameras(cameraIds)
  expect(cameras).toHaveLength(DEMO_CAMERA_FAULTS.length)
  expect(new Set(cameras.map((c) => c.id)).size).toBe(cameras.length) // distinct cameras of the commune
  for (const c of cameras) expect(cameraIds).toContain(c.id)
  for (const fault of ['covered', 'blurred', 'turned', 'irFailed', 'frozen'] as const) {
    expect(cameras.filter((c) => c.faults[fault] === true).map((c) => c.id), fault).toHaveLength(1)
  }
  expect(cameras.filter((c) => c.defaultPassword)).toHaveLength(1)
  // One fault per camera, so each alarm is shown by itself.
  for (const c of cameras) expect(Object.keys(c.faults).length + (c.defaultPassword ? 1 : 0)).toBe(1)
})

test('more RTSP cameras than faults are healthy; fewer take the faults in order', () => {
  const many = demoRtspCameras(cameraIds, 10)
  expect(many.slice(6).every((c) => !c.defaultPassword && Object.keys(c.faults).length === 0)).toBe(true)
  expect(demoRtspCameras(cameraIds, 0)).toEqual([])
  expect(demoRtspCameras(cameraIds, 3).map((c) => Object.keys(c.faults)[0] ?? 'password')).toEqual(['password', 'frozen', 'covered'])
})
