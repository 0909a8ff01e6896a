// The device models as plain objects: daily patterns, commands, and readings that always
// fit the contract, faults included.
import { describe, expect, it } from 'vitest'
import { EVENTS, TELEMETRY } from '../gateway/contract/index.js'
import { CameraModel, cameraBitrateKbps, cameraFps, storageUsedAfter } from './camera.js'
import { backoffMs } from './link.js'
import { ambientTemperatureC, atLocalHour, daylight, happens, localHour, seededRandom } from './patterns.js'
import { rainfall } from './rain.js'
import { physicsFor, ReservoirSim } from './reservoir.js'
import { slotAt, SpeakerModel, speakerTemperatureC } from './speaker.js'
import { batteryVolts, solarBatteryPct, WaterSensorModel } from './water-sensor.js'

const MIN = 60_000
const day = atLocalHour(Date.UTC(2025, 9, 20), 0)
const at = (hour: number): number => day + hour * 60 * MIN

describe('daily patterns', () => {
  it('reads Vietnamese local time as UTC+7', () => {
    expect(localHour(Date.UTC(2025, 0, 1, 23, 30))).toBeCloseTo(6.5)
    expect(localHour(atLocalHour(Date.now(), 17.25))).toBeCloseTo(17.25)
  })

  it('is coolest before dawn and warmest in the early afternoon', () => {
    const hours = Array.from({ length: 96 }, (_, i) => i / 4)
    const temps = hours.map((h) => ambientTemperatureC(h))
    expect(hours[temps.indexOf(Math.min(...temps))]).toBe(5)
    expect(hours[temps.indexOf(Math.max(...temps))]).toBe(14)
  })

  it('is dark at night and light by day', () => {
    expect(daylight(2)).toBe(0)
    expect(daylight(12)).toBe(1)
    expect(daylight(22)).toBe(0)
    expect(daylight(6)).toBeGreaterThan(0)
  })

  it('makes rare events about as rare as their rate, whatever the tick', () => {
    const random = seededRandom(1)
    let n = 0
    for (let i = 0; i < 100_000; i++) if (happens(0.5, 0.1, random)) n++
    expect(n / 100_000).toBeCloseTo(1 - Math.exp(-0.05), 2)
  })

  it('backs off exponentially with jitter, up to a ceiling', () => {
    const opts = { baseMs: 1000, maxMs: 60_000 }
    expect(backoffMs(0, opts, () => 0)).toBe(500)
    expect(backoffMs(3, opts, () => 1)).toBe(8000)
    expect(backoffMs(50, opts, () => 1)).toBe(60_000)
  })
})

describe('loudspeaker', () => {
  const speaker = (): SpeakerModel => new SpeakerModel({ random: seededRandom(3), simNow: at(0), amplifierFaultsPerH: 0, mainsLossesPerH: 0 })

  it('plays the morning and evening programmes and is quiet otherwise', () => {
    expect(slotAt(6.1)?.playing).toBe('bulletin')
    expect(slotAt(6.5)?.playing).toBe('radio')
    expect(slotAt(17.1)?.playing).toBe('bulletin')
    expect(slotAt(12)).toBeNull()
    const s = speaker()
    expect(s.read(at(3)).playing).toBe('none')
    expect(s.read(at(6.1))).toMatchObject({ playing: 'bulletin', playingPriority: 'routine' })
    expect(s.read(at(17.5)).playing).toBe('radio')
    expect(s.read(at(21)).playing).toBe('none')
  })

  it('stops the airing in progress but plays the next one', () => {
    const s = speaker()
    expect(s.apply({ name: 'stop', params: {} }, at(6.05))).toEqual({ status: 'done' })
    expect(s.read(at(6.1)).playing).toBe('none')
    expect(s.read(at(6.3)).playing).toBe('radio')
  })

  it('takes a new volume', () => {
    const s = speaker()
    s.apply({ name: 'set_volume', params: { volume: 15 } }, at(9))
    expect(s.read(at(9.1)).volume).toBe(15)
  })

  it('runs warmer when it plays than when it is silent', () => {
    expect(speakerTemperatureC(6.1, true, 80)).toBeGreaterThan(speakerTemperatureC(6.1, false, 80))
  })

  it('reports the mains lost, runs down its battery, and reports the mains back', () => {
    const s = speaker()
    s.read(at(5))
    s.setMains(false)
    const first = s.read(at(6))
    const later = s.read(at(8))
    expect(first.powerFault).toBe(true)
    expect(later.batteryPct).toBeLessThan(first.batteryPct!)
    s.setMains(true)
    expect(s.drainEvents().map((e) => e.type)).toEqual(['power_lost', 'power_restored'])
  })
})

describe('camera', () => {
  it('sends less by night (infrared, a still scene) than by day', () => {
    expect(cameraBitrateKbps(2, 2048)).toBeLessThan(cameraBitrateKbps(12, 2048))
    expect(cameraFps(2, 25)).toBeLessThan(cameraFps(12, 25))
  })

  it('fills its storage to the high-water mark and stays there (loop recording)', () => {
    expect(storageUsedAfter(50, 10, 1)).toBe(60)
    expect(storageUsedAfter(95, 100, 1)).toBe(96)
  })
})

describe('water-level station', () => {
  it('charges by day and drains by night', () => {
    expect(solarBatteryPct(50, 12, 1, 0)).toBeGreaterThan(50)
    expect(solarBatteryPct(50, 23, 1, 0)).toBeLessThan(50)
    expect(batteryVolts(100, false)).toBeGreaterThan(batteryVolts(20, false))
  })

  it('reports the rain that fell since its previous reading and the lake level', () => {
    const lake = new ReservoirSim(physicsFor({ referenceLevels: { normalM: 30 }, alarmLevels: {} }), rainfall('heavy-rain', at(0)), at(0))
    const station = new WaterSensorModel({ random: seededRandom(5), simNow: at(0), reservoir: lake, sensorFaultsPerH: 0 })
    const r1 = station.read(at(2))
    const r2 = station.read(at(3))
    expect(r1.rainMm).toBeGreaterThan(50)
    expect(r2.rainMm).toBeCloseTo(60, 0)
    expect(r2.levelM).toBeGreaterThan(r1.levelM!)
  })
})

describe('every reading and event fits the contract', () => {
  it('over two simulated days, with faults far more frequent than in life', () => {
    const random = seededRandom(11)
    const lake = new ReservoirSim(physicsFor({ referenceLevels: { normalM: 30 }, alarmLevels: {} }), rainfall('heavy-rain', at(0)), at(0))
    const speaker = new SpeakerModel({ random, simNow: at(0), lat: 16.4, lon: 107.55, amplifierFaultsPerH: 0.5, mainsLossesPerH: 0.5 })
    const camera = new CameraModel({ random, simNow: at(0), streamLossesPerH: 0.5, storageFailuresPerH: 0.5, tampersPerH: 0.5 })
    const station = new WaterSensorModel({ random, simNow: at(0), reservoir: lake, sensorFaultsPerH: 0.5 })
    const events = { speaker: new Set<string>(), camera: new Set<string>(), water_sensor: new Set<string>() }
    for (let m = 5; m <= 48 * 60; m += 5) {
      const t = at(m / 60)
      expect(TELEMETRY.speaker.safeParse(speaker.read(t)).success).toBe(true)
      expect(TELEMETRY.camera.safeParse(camera.read(t)).success).toBe(true)
      expect(TELEMETRY.water_sensor.safeParse(station.read(t)).success).toBe(true)
      for (const e of speaker.drainEvents()) { EVENTS.speaker.parse(e); events.speaker.add(e.type) }
      for (const e of camera.drainEvents()) { EVENTS.camera.parse(e); events.camera.add(e.type) }
      for (const e of station.drainEvents()) { EVENTS.water_sensor.parse(e); events.water_sensor.add(e.type) }
    }
    // The fault paths were really taken.
    expect([...events.speaker]).toEqual(expect.arrayContaining(['amplifier_fault', 'power_lost', 'power_restored']))
    expect([...events.camera]).toEqual(expect.arrayContaining(['stream_lost', 'storage_error', 'recording_stopped', 'tamper']))
    expect([...events.water_sensor]).toContain('sensor_fault')
  })
})
