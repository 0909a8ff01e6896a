// The whole demo commune against a real aedes broker that checks every device's secret.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { parseTopic, Status, TELEMETRY, topics, type DeviceKind } from '../gateway/contract/index.js'
import { grouped, statusLine } from './fleet-cli.js'
import { startFleet, type Fleet } from './fleet.js'
import { inventoryDevices, type InventoryDevice } from './inventory.js'
import { villagesWithoutPower } from './scenario.js'
import { startBroker, Watcher, type TestBroker } from './test-support.js'

const path = new URL('./inventory/demo-commune.yaml', import.meta.url)
let broker: TestBroker | undefined
let watcher: Watcher | undefined
let fleet: Fleet | undefined

afterEach(async () => {
  await fleet?.stop()
  await watcher?.stop()
  await broker?.close()
  fleet = watcher = broker = undefined
})

async function until (condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function setUp (): Promise<{ devices: InventoryDevice[]; credentials: Record<string, string> }> {
  const devices = inventoryDevices(await readFile(path, 'utf8'), path.pathname)
  const credentials = Object.fromEntries(devices.map((d) => [d.id, randomBytes(12).toString('base64url')]))
  broker = await startBroker({ ...credentials, watcher: 'w' })
  watcher = await Watcher.start(broker.url, 'w')
  return { devices, credentials }
}

const fast = { camera: 500, speaker: 500, water_sensor: 500, air_quality: 500 }

describe('the fleet', () => {
  it('connects every device of the inventory with its own credentials and sends readings the contract accepts', async () => {
    const { devices, credentials } = await setUp()
    fleet = startFleet({ url: broker!.url, devices, credentials, staggerMs: 2, intervalsMs: fast, faults: false, speed: 60 })
    const running = fleet
    await until(() => running.counts().connected === devices.length)
    // Acknowledged counts statuses too: wait until each device's own readings have been seen.
    const telemetry = () => watcher!.messages.filter((m) => parseTopic(m.topic)?.channel === 'telemetry')
    await until(() => new Set(telemetry().map((m) => parseTopic(m.topic)!.deviceId)).size === devices.length)
    expect(running.counts()).toMatchObject({ connected: 138, total: 138, commands: 0 })

    const kindOf = new Map<string, DeviceKind>(devices.map((d) => [d.id, d.kind]))
    const readings = telemetry()
    const refused = readings.filter((m) => !TELEMETRY[kindOf.get(parseTopic(m.topic)!.deviceId)!].safeParse(m.payload).success)
    expect(refused).toEqual([])
  })

  it('leaves every device retained as offline when stopped', async () => {
    const { devices, credentials } = await setUp()
    fleet = startFleet({ url: broker!.url, devices, credentials, staggerMs: 2, intervalsMs: fast, faults: false })
    const running = fleet
    await until(() => running.counts().connected === devices.length)
    await running.stop()
    expect(running.counts().connected).toBe(0)
    const late = await Watcher.start(broker!.url, 'w', topics.status('+'))
    await until(() => late.messages.length === devices.length)
    await late.stop()
    expect(late.messages.every((m) => m.retain && Status.parse(m.payload).state === 'offline')).toBe(true)
  })

  it('refuses to start without a secret for every device', async () => {
    const { devices } = await setUp()
    expect(() => startFleet({ url: broker!.url, devices, credentials: {} })).toThrow(/no secret for 138 device/)
  })

  it('keeps flapping devices coming and going in the flapping scenario', async () => {
    const { devices, credentials } = await setUp()
    const few = devices.filter((d) => d.kind === 'camera').slice(0, 9) // cameras 1 and 9 flap
    fleet = startFleet({ url: broker!.url, devices: few, credentials, scenario: 'flapping', staggerMs: 2, intervalsMs: fast, faults: false, keepaliveS: 30 })
    const wills = (): number => watcher!.messages.filter((m) => m.topic === topics.status('cam-001') && (m.payload as Status).state === 'offline').length
    const onlines = (): number => watcher!.messages.filter((m) => m.topic === topics.status('cam-001') && (m.payload as Status).state === 'online').length
    await until(() => wills() >= 1 && onlines() >= 2, 30_000)
    expect(watcher!.messages.some((m) => m.topic === topics.status('cam-002') && (m.payload as Status).state === 'offline')).toBe(false)
  })

  it('in the power-cut scenario, darkens half the villages: cameras die silently, loudspeakers go on battery', async () => {
    const { devices, credentials } = await setUp()
    const dark = villagesWithoutPower(devices.map((d) => d.village))
    const camIn = devices.find((d) => d.kind === 'camera' && dark.has(d.village))!
    const camOut = devices.find((d) => d.kind === 'camera' && !dark.has(d.village))!
    const spkIn = devices.find((d) => d.kind === 'speaker' && dark.has(d.village))!
    // Speed 1800: the mains go after 1/3 s and come back 3 s later; keepalive 1 s declares the dead in 1.5 s.
    fleet = startFleet({
      url: broker!.url, devices, credentials, scenario: 'power-cut', speed: 1800, staggerMs: 1, intervalsMs: fast, faults: false, keepaliveS: 1
    })
    const statuses = (id: string): string[] => watcher!.messages.filter((m) => m.topic === topics.status(id)).map((m) => (m.payload as Status).state)
    await until(() => statuses(camIn.id).join() === 'online,offline,online')
    const speakerReadings = watcher!.messages.filter((m) => m.topic === topics.telemetry(spkIn.id)).map((m) => (m.payload as { powerFault: boolean }).powerFault)
    expect(speakerReadings).toContain(true)
    expect(statuses(spkIn.id)).not.toContain('offline')
    expect(statuses(camOut.id)).not.toContain('offline')
    // The camera says it rebooted right after its status is back online: waited for, not raced.
    await until(() => watcher!.messages.some((m) => m.topic === topics.event(camIn.id) && (m.payload as { type: string }).type === 'reboot'))
  })

  it('prints its count in Vietnamese first, English second', () => {
    expect(grouped(12345)).toBe('12 345')
    expect(statusLine({ connected: 136, total: 136, published: 12345, commands: 2 }, Date.UTC(2025, 0, 1, 23, 5)))
      .toBe('đã kết nối / connected 136/136 · tin nhắn / messages 12 345 · lệnh / commands 2 · giờ mô phỏng / simulated time 06:05')
    // The demo's RTSP cameras are not MQTT devices: counted apart, so the total matches the README's.
    expect(statusLine({ connected: 132, total: 132, published: 0, commands: 0 }, Date.UTC(2025, 0, 1, 23, 5), 6))
      .toMatch(/^đã kết nối \/ connected 132\/132 \(\+6 camera RTSP\) · /)
  })
})
