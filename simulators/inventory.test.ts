// The demo inventory is what the gateway imports: checked with the gateway's own parser and schema.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { DeviceInput } from '../gateway/registry/device.js'
import { parseInventory } from '../gateway/registry/inventory.js'
import { inventoryDevices } from './inventory.js'

const path = new URL('./inventory/demo-commune.yaml', import.meta.url)

describe('the demo commune inventory', () => {
  it('parses with the gateway parseInventory and every entry passes DeviceInput', async () => {
    const entries = parseInventory(await readFile(path, 'utf8'), 'yaml')
    const problems = entries.flatMap((e, i) => {
      const r = DeviceInput.safeParse(e)
      return r.success ? [] : [`${i}: ${r.error.message}`]
    })
    expect(problems).toEqual([])
  })

  it('is one commune of 8 villages with 100 cameras, 30 loudspeakers and 6 water-level stations', async () => {
    const devices = inventoryDevices(await readFile(path, 'utf8'), path.pathname)
    const count = (kind: string): number => devices.filter((d) => d.kind === kind).length
    expect([count('camera'), count('speaker'), count('water_sensor')]).toEqual([100, 30, 6])
    expect(new Set(devices.map((d) => d.commune))).toEqual(new Set(['Xã Phong Điền']))
    expect(new Set(devices.map((d) => d.village)).size).toBe(8)
    expect(new Set(devices.map((d) => d.id)).size).toBe(devices.length)
    for (const d of devices) {
      expect(Math.abs(d.lat! - 16.4), d.id).toBeLessThan(0.1)
      expect(Math.abs(d.lon! - 107.55), d.id).toBeLessThan(0.1)
    }
  })

  it('puts the stations on three reservoirs, each with ascending alarm levels above its normal level', async () => {
    const stations = inventoryDevices(await readFile(path, 'utf8'), path.pathname).filter((d) => d.kind === 'water_sensor')
    const reservoirs = new Map(stations.map((d) => [d.reservoir!.name, d.reservoir!]))
    expect(reservoirs.size).toBe(3)
    for (const r of reservoirs.values()) {
      const { level1M, level2M, level3M } = r.alarmLevels
      expect(r.referenceLevels.normalM!).toBeLessThan(level1M!)
      expect(level1M!).toBeLessThan(level2M!)
      expect(level2M!).toBeLessThan(level3M!)
      expect(r.downstreamVillages.length).toBeGreaterThan(0)
    }
  })

  it('refuses an entry without an id, which no simulator could log in as', () => {
    expect(() => inventoryDevices('devices:\n  - { kind: camera, name: Cổng chợ, village: Thôn Đông }\n', 'x.yaml')).toThrow(/needs an id/)
  })
})
