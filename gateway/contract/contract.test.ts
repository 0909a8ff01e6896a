import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import {
  COMMANDS, CommandReply, CommandRequest, DEVICE_KINDS, EVENTS, EVENT_TYPES, Status, TELEMETRY, describeIssues, fileTime, parseTopic, topics
} from './index.js'
import { fieldTableMarkdown } from './doc-table.js'

const issuesOf = (result: { success: boolean; error?: Parameters<typeof describeIssues>[0] }) =>
  result.success ? [] : describeIssues(result.error!)

describe('telemetry', () => {
  test('valid readings of each kind pass, with or without a device time', () => {
    expect(TELEMETRY.speaker.safeParse({ volume: 60, playing: 'bulletin', playingPriority: 'emergency', amplifierFault: false }).success).toBe(true)
    expect(TELEMETRY.camera.safeParse({ ts: 1_795_000_000_000, streamAlive: true, fps: 24.5, storageState: 'degraded' }).success).toBe(true)
    expect(TELEMETRY.water_sensor.safeParse({ levelM: -2.5, rainMm: 0, batteryV: 12.6 }).success).toBe(true)
  })

  test.each([
    ['an unknown field', { levelM: 1, colour: 'blue' }, 'colour'],
    ['a number as text', { levelM: '41.2' }, 'levelM'],
    ['a value out of range', { batteryPct: 101 }, 'batteryPct'],
    ['a negative rainfall', { rainMm: -1 }, 'rainMm'],
    ['a fractional integer', { signalDbm: -80.5 }, 'signalDbm'],
    ['no measured field', { ts: 1_795_000_000_000 }, 'no measured field'],
    ['an empty object', {}, 'no measured field'],
    ['a time that is not an integer', { ts: 1.5, levelM: 1 }, 'ts'],
    ['a time after 2100', { ts: 5_000_000_000_000, levelM: 1 }, 'ts']
  ])('a water reading with %s is refused with a readable issue', (_what, payload, mention) => {
    const issues = issuesOf(TELEMETRY.water_sensor.safeParse(payload))
    expect(issues.join('\n')).toContain(mention)
  })

  test('one kind\'s fields are not another\'s; enums are closed', () => {
    expect(TELEMETRY.water_sensor.safeParse({ fps: 25 }).success).toBe(false)
    expect(TELEMETRY.camera.safeParse({ storageState: 'broken' }).success).toBe(false)
    expect(TELEMETRY.speaker.safeParse({ playingPriority: 'urgent' }).success).toBe(false)
    expect(TELEMETRY.speaker.safeParse({ volume: 50.5 }).success).toBe(false)
  })
})

describe('topics', () => {
  test('built and parsed back', () => {
    expect(topics.telemetry('cam-001')).toBe('commune/v1/cam-001/telemetry')
    for (const channel of ['status', 'telemetry', 'event', 'reply', 'cmd'] as const) {
      expect(parseTopic(`commune/v1/wl-ho_2/${channel}`)).toEqual({ deviceId: 'wl-ho_2', channel })
    }
  })

  test.each([
    'commune/v2/cam-001/telemetry', 'xa/v1/cam-001/telemetry', 'commune/v1/cam-001/telemetry/extra', 'commune/v1/cam-001',
    'commune/v1/CAM-001/telemetry', 'commune/v1/+/telemetry', 'commune/v1/#', 'commune/v1/cam-001/logs', '/commune/v1/cam-001/status', '',
    'commune/v1//telemetry', 'commune/v1/a/telemetry', 'commune/v1/cam-001/', 'commune/v1/cam-001//telemetry', 'commune/v1/cam-001/telemetry/',
    `commune/v1/${'a'.repeat(65)}/telemetry`, 'commune/v1/cam_001/telemetry\u0000'
  ])('%s is not a contract topic', (topic) => {
    expect(parseTopic(topic)).toBeNull()
  })
})

describe('device clocks', () => {
  const now = Date.UTC(2026, 10, 22, 8, 0)
  const tolerance = { futureMs: 300_000, pastMs: 7 * 86_400_000 }

  test('a time within tolerance is kept, even a buffered one from days ago', () => {
    expect(fileTime(now - 3 * 86_400_000, now, tolerance)).toEqual({ ts: now - 3 * 86_400_000, clock: 'device' })
    expect(fileTime(now + 299_000, now, tolerance)).toEqual({ ts: now + 299_000, clock: 'device' })
  })

  test('no time: the receive time', () => {
    expect(fileTime(undefined, now, tolerance)).toEqual({ ts: now, clock: 'missing' })
  })

  test('far in the future (10 minutes ahead, year 2099): the receive time, marked future', () => {
    expect(fileTime(now + 600_000, now, tolerance)).toEqual({ ts: now, clock: 'future' })
    expect(fileTime(Date.UTC(2099, 0, 1), now, tolerance)).toEqual({ ts: now, clock: 'future' })
  })

  test('far in the past (1970 after a reset, 8 days ago): the receive time, marked past', () => {
    expect(fileTime(0, now, tolerance)).toEqual({ ts: now, clock: 'past' })
    expect(fileTime(now - 8 * 86_400_000, now, tolerance)).toEqual({ ts: now, clock: 'past' })
  })
})

describe('status, events, commands and replies', () => {
  test('status', () => {
    expect(Status.safeParse({ state: 'online', firmware: '2.4.1', model: 'IPC' }).success).toBe(true)
    expect(Status.safeParse({ state: 'offline' }).success).toBe(true)
    expect(Status.safeParse({ state: 'asleep' }).success).toBe(false)
    expect(Status.safeParse({ state: 'online', battery: 3 }).success).toBe(false)
  })

  test('events are per kind', () => {
    expect(EVENTS.camera.safeParse({ type: 'tamper', message: 'ống kính bị che' }).success).toBe(true)
    expect(EVENTS.water_sensor.safeParse({ type: 'tamper' }).success).toBe(false)
    expect(EVENTS.speaker.safeParse({ type: 'amplifier_fault', message: 'x'.repeat(201) }).success).toBe(false)
    for (const kind of DEVICE_KINDS) expect(EVENT_TYPES[kind]).toContain('reboot')
  })

  test('commands are checked against the kind', () => {
    expect(COMMANDS.speaker.safeParse({ name: 'set_volume', params: { volume: 35 } }).success).toBe(true)
    expect(COMMANDS.speaker.safeParse({ name: 'set_volume', params: { volume: 101 } }).success).toBe(false)
    expect(COMMANDS.speaker.safeParse({ name: 'set_volume', params: { volume: 3.5 } }).success).toBe(false)
    expect(COMMANDS.speaker.safeParse({ name: 'stop', params: {} }).success).toBe(true)
    expect(COMMANDS.speaker.safeParse({ name: 'explode', params: {} }).success).toBe(false)
    expect(COMMANDS.camera.safeParse({ name: 'set_volume', params: { volume: 10 } }).success).toBe(false)
    expect(COMMANDS.camera.safeParse({ name: 'reboot', params: {} }).success).toBe(true)
  })

  test('requests and replies', () => {
    const request = { id: 'c-1', name: 'stop', params: {}, ts: 1_795_000_000_000, expiresAt: 1_795_000_300_000 }
    expect(CommandRequest.parse(request)).toEqual(request)
    expect(CommandReply.safeParse({ id: 'c-1', status: 'done' }).success).toBe(true)
    expect(CommandReply.safeParse({ id: 'c-1', status: 'rejected', reason: 'expired' }).success).toBe(true)
    expect(CommandReply.safeParse({ id: 'c-1', status: 'finished' }).success).toBe(false)
    expect(CommandReply.safeParse({ status: 'done' }).success).toBe(false)
  })
})

test('docs/contract.md holds the field tables of every kind exactly as the code declares them', () => {
  const doc = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8')
  // A new kind's table is printed here, to paste under its heading in "Telemetry".
  for (const kind of DEVICE_KINDS) expect(doc, `docs/contract.md lacks the ${kind} table as declared:\n${fieldTableMarkdown(kind)}\n`).toContain(fieldTableMarkdown(kind))
  for (const kind of DEVICE_KINDS) for (const type of EVENT_TYPES[kind]) expect(doc, `docs/contract.md names no ${kind} event ${type}`).toContain(`\`${type}\``)
})
