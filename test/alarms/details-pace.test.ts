// An active alarm whose readings only bring new details (the level, its trend) is written at
// most every DETAILS_EVERY_MS (issue #18: one write, webhook notice and dashboard push per
// reading stalled the gateway for seconds at 5,000 readings/s). Each case tries a way the pace
// could lose or misstate something: the newest details must reach the store, and whatever
// changes the alarm's meaning must not wait.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { AlarmEngine, DETAILS_EVERY_MS, type AlarmNotice } from '../../gateway/alarms/engine.js'
import { AlarmStore } from '../../gateway/alarms/store.js'
import { ThresholdStore } from '../../gateway/alarms/thresholds.js'
import { openDatabase } from '../../gateway/db/database.js'
import { STATE_MIGRATIONS } from '../../gateway/db/state-schema.js'
import { EventBus } from '../../gateway/events/bus.js'
import type { GatewayEvents } from '../../gateway/events/events.js'
import { perKind } from '../../gateway/kinds/index.js'
import { LiveState } from '../../gateway/live/live-state.js'
import { LevelTrends } from '../../gateway/live/trend.js'
import { createLogger } from '../../gateway/log.js'
import { Presence } from '../../gateway/presence/presence.js'
import { Registry } from '../../gateway/registry/registry.js'

const RESERVOIR = { name: 'Hồ Khe Mây', referenceLevels: { designFloodM: 33 }, alarmLevels: { level1M: 30, level2M: 31, level3M: 32 }, downstreamVillages: [] }
const T0 = 1_800_000_000_000
const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

function setUp () {
  const dir = mkdtempSync(join(tmpdir(), 'details-pace-'))
  dirs.push(dir)
  const db = openDatabase(join(dir, 'state.db'), { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
  const log = createLogger('silent')
  let now = T0
  const registry = new Registry(db, 'Xã thử')
  const bus = new EventBus<GatewayEvents>(log)
  const store = new AlarmStore(db)
  const engine = new AlarmEngine({
    store, registry, bus, log, now: () => now,
    thresholds: new ThresholdStore(db),
    presence: new Presence(db, registry, bus, { debounceMs: 1000, heartbeatMs: perKind(() => 3_600_000) }, () => now),
    live: new LiveState(),
    trends: new LevelTrends()
  })
  engine.start()
  const notices: AlarmNotice[] = []
  bus.on('alarm', (n) => { notices.push(n) })
  const { device } = registry.create({ kind: 'water_sensor', name: 'Trạm đập chính', village: 'Thôn Khe Trăn', reservoir: RESERVOIR })
  const read = (levelM: number): void => engine.onReading({ device, ts: now, receivedAt: now, clock: 'device', fields: { levelM } })
  const alarm = () => store.list({ deviceId: device.id, limit: 1 })[0]!
  const changes = () => notices.filter((n) => n.change !== 'raised').length
  return { engine, read, alarm, changes, advance: (ms: number) => { now += ms }, stop: () => { engine.stop(); db.close() } }
}

// Levels in whole centimetres (cm / 100), so that the stored level compares exactly.
// [case, what happens after the alarm is raised at 30.10 m, what the store must say, notices after the raise]
const CASES: Array<[string, (t: ReturnType<typeof setUp>) => void, Record<string, unknown>, number]> = [
  ['readings every second within the pace: nothing written yet', (t) => {
    for (let s = 1; s <= 5; s++) { t.advance(1000); t.read((3010 + s) / 100) }
  }, { state: 'active', details: { stage: 1, levelM: 30.1 } }, 0],
  ['the next reading after the pace writes the newest details', (t) => {
    for (let s = 1; s <= 12; s++) { t.advance(1000); t.read((3010 + s) / 100) }
  }, { state: 'active', details: { stage: 1, levelM: 30.2 } }, 1],
  ['a station that stops after a burst: the sweep writes its last reading', (t) => {
    for (let s = 1; s <= 3; s++) { t.advance(1000); t.read((3010 + s) / 100) }
    t.advance(DETAILS_EVERY_MS)
    t.engine.sweep()
  }, { state: 'active', details: { stage: 1, levelM: 30.13 } }, 1],
  ['a stage crossed within the pace is written at once, and no older details follow it', (t) => {
    t.advance(1000); t.read(30.5)
    t.advance(1000); t.read(31.2)
    t.advance(DETAILS_EVERY_MS)
    t.engine.sweep()
  }, { state: 'active', severity: 'major', details: { stage: 2, levelM: 31.2 } }, 1],
  ['a clear within the pace is written at once, and the sweep does not bring the alarm back', (t) => {
    t.advance(1000); t.read(30.5)
    t.advance(1000); t.read(29)
    t.advance(DETAILS_EVERY_MS)
    t.engine.sweep()
  }, { state: 'cleared' }, 1],
  ['the same details again: nothing to write, and nothing written later', (t) => {
    t.advance(1000); t.read(30.5)
    t.advance(1000); t.read(30.1)
    t.advance(DETAILS_EVERY_MS)
    t.engine.sweep()
  }, { state: 'active', details: { stage: 1, levelM: 30.1 } }, 0]
]

test.each(CASES)('%s', (_name, steps, expected, changes) => {
  const t = setUp()
  try {
    t.read(30.1)
    expect(t.alarm()).toMatchObject({ state: 'active', details: { stage: 1, levelM: 30.1 } })
    steps(t)
    expect(t.alarm()).toMatchObject(expected)
    expect(t.changes()).toBe(changes)
  } finally {
    t.stop()
  }
})

test('ten readings a second for a minute write the alarm about once per pace, not once per reading', () => {
  const t = setUp()
  try {
    t.read(30.1)
    for (let i = 1; i <= 600; i++) { t.advance(100); t.read((301_000 + i) / 10_000) }
    expect(t.changes()).toBeGreaterThanOrEqual(60_000 / DETAILS_EVERY_MS - 1)
    expect(t.changes()).toBeLessThanOrEqual(60_000 / DETAILS_EVERY_MS)
    t.advance(DETAILS_EVERY_MS)
    t.engine.sweep()
    expect(t.alarm().details).toMatchObject({ levelM: 30.16 })
  } finally {
    t.stop()
  }
})
