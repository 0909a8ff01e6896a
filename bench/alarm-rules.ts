// `npm run bench:alarms`: what the alarm rules cost per reading, alone, so the figure does not
// drown in the noise of a shared machine. The demo commune's 138 devices in a real state.db,
// the real engine, and readings of all three kinds fed to it as ingest does; then the
// sweep (offline devices, villages, missing data) timed over the same registry.
//
//   npm run bench:alarms -- [--readings 200000]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { AlarmEngine } from '../gateway/alarms/engine.js'
import type { FieldValue } from '../gateway/contract/index.js'
import { AlarmStore } from '../gateway/alarms/store.js'
import { ThresholdStore } from '../gateway/alarms/thresholds.js'
import { openDatabase } from '../gateway/db/database.js'
import { STATE_MIGRATIONS } from '../gateway/db/state-schema.js'
import { EventBus } from '../gateway/events/bus.js'
import type { GatewayEvents } from '../gateway/events/events.js'
import { LiveState } from '../gateway/live/live-state.js'
import { LevelTrends } from '../gateway/live/trend.js'
import { createLogger } from '../gateway/log.js'
import { Presence } from '../gateway/presence/presence.js'
import { parseInventory } from '../gateway/registry/inventory.js'
import { Registry } from '../gateway/registry/registry.js'

const { values } = parseArgs({ options: { readings: { type: 'string', default: '200000' } } })
const readings = Number(values.readings)
const dir = mkdtempSync(join(tmpdir(), 'gw-bench-alarms-'))
const db = openDatabase(join(dir, 'state.db'), { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
try {
  const log = createLogger('silent')
  const bus = new EventBus<GatewayEvents>(log)
  const registry = new Registry(db, 'Xã Phong Điền')
  registry.importMany(parseInventory(readFileSync(new URL('../simulators/inventory/demo-commune.yaml', import.meta.url), 'utf8'), 'yaml'))
  const presence = new Presence(db, registry, bus, { debounceMs: 20_000, heartbeatMs: { speaker: 180_000, camera: 180_000, water_sensor: 3_900_000, air_quality: 900_000 } })
  const live = new LiveState()
  const trends = new LevelTrends()
  const engine = new AlarmEngine({ store: new AlarmStore(db), thresholds: new ThresholdStore(db), registry, presence, live, trends, bus, log })
  const devices = registry.list()
  for (const d of devices) presence.heard(d.id, 'message')
  const fieldsOf = (kind: string, i: number): Record<string, FieldValue> => kind === 'water_sensor'
    ? { levelM: 20 + (i % 100) / 1000, rainMm: 0, batteryPct: 90, signalDbm: -80 }
    : kind === 'camera'
      ? { streamAlive: true, fps: 25, recording: true, storageUsedPct: 96, storageState: 'ok', tamper: false, defaultPassword: false }
      : { volume: 70, playing: 'none', amplifierFault: false, powerFault: false, temperatureC: 35 }
  const start = Date.now()
  // Warm up, then measure.
  const feed = (n: number, offset: number) => {
    for (let i = 0; i < n; i++) {
      const device = devices[i % devices.length]!
      const ts = start + (offset + i) * 10
      const reading = { device, ts, receivedAt: ts, clock: 'device' as const, fields: fieldsOf(device.kind, offset + i) }
      if (typeof reading.fields.levelM === 'number') trends.add(device.id, ts, reading.fields.levelM)
      engine.onReading(reading)
    }
  }
  feed(20_000, 0)
  const t0 = process.hrtime.bigint()
  feed(readings, 20_000)
  const perReadingUs = Number(process.hrtime.bigint() - t0) / 1000 / readings
  const sweeps = 200
  const s0 = process.hrtime.bigint()
  for (let i = 0; i < sweeps; i++) engine.sweep()
  const perSweepMs = Number(process.hrtime.bigint() - s0) / 1e6 / sweeps
  console.log(JSON.stringify({ devices: devices.length, readings, rulesUsPerReading: +perReadingUs.toFixed(2), sweepMs: +perSweepMs.toFixed(2), activeAlarms: engine.activeAlarms().length }, null, 2))
  presence.stop()
} finally {
  db.close()
  rmSync(dir, { recursive: true, force: true })
}
