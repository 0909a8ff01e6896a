// What needs attention, the rate of rise, and outages: the facts the overview is made of.
import { expect, test } from 'vitest'
import { outagesFrom } from '../http/outages.js'
import type { Device } from '../registry/device.js'
import { THRESHOLDS } from '../alarms/thresholds.js'
import { attentionOf } from './attention.js'
import { hoursUntil, LevelTrends } from './trend.js'

const NOW = 1_800_000_000_000
const device = (kind: Device['kind'], extra: Partial<Device> = {}): Device => ({
  id: 'x-1', kind, name: 'x', commune: 'c', village: 'v', site: null, legacyDistrict: null, lat: null, lon: null, reservoir: null,
  enabled: true, firmware: null, model: null, firmwareChangedAt: null, createdAt: 0, updatedAt: 0, ...extra
})
const online = { online: true, since: NOW - 1000, lastSeen: NOW }
const latest = (fields: Record<string, number | boolean | string>) => Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value, ts: NOW }]))
const codes = (a: ReturnType<typeof attentionOf>) => a.map((x) => `${x.severity}:${x.code}${x.stage ? `:${x.stage}` : ''}`)

test('a camera that is online but not really working needs attention, the worst first', () => {
  expect(codes(attentionOf(device('camera'), online, latest({ streamAlive: true, recording: true, tamper: false }), THRESHOLDS))).toEqual([])
  expect(codes(attentionOf(device('camera'), online, latest({ streamAlive: false, recording: false, tamper: true, defaultPassword: true }), THRESHOLDS)))
    .toEqual(['critical:tamper', 'major:stream_dead', 'major:not_recording', 'warning:default_password'])
  // Offline: its last values are stale, only the outage (and the standing password flag) count.
  expect(codes(attentionOf(device('camera'), { online: false, since: NOW, lastSeen: NOW - 5000 }, latest({ streamAlive: false, defaultPassword: true }), THRESHOLDS)))
    .toEqual(['major:offline', 'warning:default_password'])
  // NOW is 15:00 in Việt Nam; dark since 03:00, the camera is critical, as its alarm is.
  expect(codes(attentionOf(device('camera'), { online: false, since: NOW - 12 * 3_600_000, lastSeen: NOW - 12 * 3_600_000 }, {}, THRESHOLDS))).toEqual(['critical:offline'])
  expect(codes(attentionOf(device('camera'), { online: false, since: null, lastSeen: null }, {}, THRESHOLDS))).toEqual(['warning:never_seen'])
  expect(attentionOf(device('camera', { enabled: false }), { online: false, since: NOW, lastSeen: NOW }, {}, THRESHOLDS)).toEqual([])
})

test('a water level is read against the reservoir\'s own alarm levels', () => {
  const station = device('water_sensor', {
    reservoir: { name: 'Hồ', referenceLevels: { normalM: 30, designFloodM: 32.6 }, alarmLevels: { level1M: 30.6, level2M: 31.3, level3M: 32 }, downstreamVillages: [] }
  })
  const at = (levelM: number) => codes(attentionOf(station, online, latest({ levelM }), THRESHOLDS))
  expect(at(30.5)).toEqual([])
  expect(at(30.6)).toEqual(['minor:water_level:1'])
  expect(at(31.5)).toEqual(['major:water_level:2'])
  expect(at(32.1)).toEqual(['critical:water_level:3'])
  expect(at(33)).toEqual(['critical:water_level:4'])
})

test('the rate of rise is the slope of the last hour, not of the last two readings', () => {
  const trends = new LevelTrends()
  expect(trends.cmPerHour('wl')).toBeNull()
  // Rising 12 cm/h, one reading every 5 minutes, with one noisy reading.
  for (let i = 0; i <= 12; i++) trends.add('wl', NOW + i * 300_000, 30 + 0.01 * i + (i === 12 ? 0.05 : 0))
  expect(trends.cmPerHour('wl')).toBeGreaterThan(11)
  expect(trends.cmPerHour('wl')).toBeLessThan(16)
  // Readings older than an hour fall out; too short a span says nothing.
  trends.add('wl', NOW + 10 * 3_600_000, 31)
  expect(trends.cmPerHour('wl')).toBeNull()
  expect(hoursUntil(30, 31, 20)).toBe(5)
  expect(hoursUntil(30, 31, -5)).toBeNull()
  expect(hoursUntil(31.5, 31, 20)).toBeNull()
})

test('a flood of readings keeps one sample a minute, the latest of each', () => {
  const flooded = new LevelTrends()
  const plain = new LevelTrends()
  for (let min = 0; min <= 30; min += 5) {
    // 500 noisy readings within the minute, ending on the true value.
    for (let i = 0; i < 500; i++) flooded.add('wl', NOW + min * 60_000 + i, 40 + Math.random())
    flooded.add('wl', NOW + min * 60_000 + 59_000, 30 + min * 0.002)
    plain.add('wl', NOW + min * 60_000 + 59_000, 30 + min * 0.002)
  }
  expect(flooded.cmPerHour('wl')).toBe(plain.cmPerHour('wl'))
  expect(plain.cmPerHour('wl')).toBe(12)
})

test('presence transitions pair into outages with start and end, an ongoing one last', () => {
  const t = (at: number, online: boolean) => ({ deviceId: 'c', at, online, reason: online ? 'message' as const : 'heartbeat_timeout' as const })
  const outages = outagesFrom([t(500, false), t(400, true), t(300, false), t(200, true)], 1000)
  expect(outages).toEqual([
    { start: 500, end: null, durationMs: 500, reason: 'heartbeat_timeout' },
    { start: 300, end: 400, durationMs: 100, reason: 'heartbeat_timeout' }
  ])
})
