// A simulated loudspeaker against a real aedes broker: status, will, telemetry, commands.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CommandReply, EVENTS, Status, TELEMETRY, topics } from '../gateway/contract/index.js'
import { simClock } from './clock.js'
import { SimDevice } from './device.js'
import { atLocalHour, seededRandom } from './patterns.js'
import { SpeakerModel } from './speaker.js'
import { startBroker, Watcher, type Received, type TestBroker } from './test-support.js'

const ID = 'spk-test-01'
const secrets = { [ID]: 'speaker-secret', watcher: 'watcher-secret' }

let broker: TestBroker
let watcher: Watcher
let device: SimDevice<'speaker', SpeakerModel>

/** A speaker whose simulated clock starts at `hour` local time, with no random faults. */
function speaker (hour: number, keepaliveS = 30): SimDevice<'speaker', SpeakerModel> {
  const clock = simClock({ simStart: atLocalHour(Date.now(), hour) })
  const model = new SpeakerModel({ random: seededRandom(7), simNow: clock.simNow(), amplifierFaultsPerH: 0, mainsLossesPerH: 0 })
  return new SimDevice(ID, model, {
    url: broker.url, secret: secrets[ID], clock, intervalMs: 60_000, keepaliveS, rebootMs: 100,
    backoff: { baseMs: 50, maxMs: 200 }, random: () => 0.5
  })
}

const on = (channel: 'status' | 'telemetry' | 'reply' | 'event') => (m: Received): boolean => m.topic === topics[channel](ID)
const statusIs = (state: 'online' | 'offline') => (m: Received): boolean => on('status')(m) && (m.payload as Status).state === state
const replyIs = (id: string, status: CommandReply['status']) => (m: Received): boolean =>
  on('reply')(m) && (m.payload as CommandReply).id === id && (m.payload as CommandReply).status === status

function command (id: string, name: string, params: Record<string, unknown>, ttlMs = 60_000): Promise<unknown> {
  const now = Date.now()
  return watcher.client.publishAsync(topics.command(ID), JSON.stringify({ id, name, params, ts: now, expiresAt: now + ttlMs }), { qos: 1 })
}

beforeEach(async () => {
  broker = await startBroker(secrets)
  watcher = await Watcher.start(broker.url, secrets.watcher)
})

afterEach(async () => {
  await device.stop()
  await watcher.stop()
  await broker.close()
})

describe('a simulated device on a real broker', () => {
  it('publishes a retained online status and telemetry that the contract accepts', async () => {
    device = speaker(10)
    device.start()
    await watcher.waitFor(statusIs('online'))
    const reading = await watcher.waitFor(on('telemetry'))
    const parsed = TELEMETRY.speaker.safeParse(reading.payload)
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
    expect(parsed.data?.ts).toBeTypeOf('number')

    // A newcomer gets the status from the broker's retained store.
    const late = await Watcher.start(broker.url, secrets.watcher, topics.status(ID))
    const retained = await late.waitFor(() => true)
    await late.stop()
    expect(retained.retain).toBe(true)
    expect(Status.parse(retained.payload)).toMatchObject({ state: 'online', firmware: device.model.firmware, model: device.model.model })
  })

  it('obeys set_volume: the reply is done and the next reading carries the new volume', async () => {
    device = speaker(10)
    device.start()
    await watcher.waitFor(on('telemetry'))
    await command('cmd-vol', 'set_volume', { volume: 35 })
    const accepted = await watcher.waitFor(replyIs('cmd-vol', 'accepted'))
    const done = await watcher.waitFor(replyIs('cmd-vol', 'done'))
    expect(CommandReply.parse(done.payload)).toMatchObject({ id: 'cmd-vol', status: 'done' })
    expect(watcher.messages.indexOf(accepted)).toBeLessThan(watcher.messages.indexOf(done))
    const next = await watcher.waitFor(on('telemetry'), 10_000, watcher.messages.indexOf(done))
    expect(TELEMETRY.speaker.parse(next.payload).volume).toBe(35)
  })

  it('stops the programme on air when told to stop', async () => {
    device = speaker(6.05) // 06:03, the morning bulletin
    device.start()
    const before = await watcher.waitFor(on('telemetry'))
    expect(TELEMETRY.speaker.parse(before.payload).playing).toBe('bulletin')
    await command('cmd-stop', 'stop', {})
    const done = await watcher.waitFor(replyIs('cmd-stop', 'done'))
    const after = await watcher.waitFor(on('telemetry'), 10_000, watcher.messages.indexOf(done))
    expect(TELEMETRY.speaker.parse(after.payload)).toMatchObject({ playing: 'none' })
  })

  it('rejects unknown, invalid and expired commands with a reason', async () => {
    device = speaker(10)
    device.start()
    await watcher.waitFor(statusIs('online'))
    await command('cmd-unknown', 'self_destruct', {})
    await command('cmd-loud', 'set_volume', { volume: 300 })
    await command('cmd-late', 'set_volume', { volume: 20 }, -1000)
    await watcher.client.publishAsync(topics.command(ID), JSON.stringify({ id: 'cmd-bare', name: 'stop' }), { qos: 1 })

    const reasons: Record<string, string | undefined> = {}
    for (const id of ['cmd-unknown', 'cmd-loud', 'cmd-late', 'cmd-bare']) {
      reasons[id] = CommandReply.parse((await watcher.waitFor(replyIs(id, 'rejected'))).payload).reason
    }
    expect(reasons['cmd-unknown']).toMatch(/unknown command/)
    expect(reasons['cmd-loud']).toMatch(/invalid params/)
    expect(reasons['cmd-late']).toBe('expired')
    expect(reasons['cmd-bare']).toMatch(/invalid request/)
    expect(watcher.messages.some(replyIs('cmd-late', 'done'))).toBe(false)
  })

  it('answers a redelivered command without running it twice', async () => {
    device = speaker(10)
    device.start()
    await watcher.waitFor(statusIs('online'))
    await command('cmd-twice', 'set_volume', { volume: 40 })
    await watcher.waitFor(replyIs('cmd-twice', 'done'))
    await command('cmd-twice', 'set_volume', { volume: 40 })
    await watcher.waitFor((m) => replyIs('cmd-twice', 'done')(m) && watcher.messages.filter(replyIs('cmd-twice', 'done')).length === 2)
    expect(watcher.messages.filter(replyIs('cmd-twice', 'accepted'))).toHaveLength(1)
  })

  it('makes the broker publish its will when the link is cut, then reconnects', async () => {
    device = speaker(10)
    device.start()
    const online = await watcher.waitFor(statusIs('online'))
    device.cut()
    const will = await watcher.waitFor(statusIs('offline'), 10_000, watcher.messages.indexOf(online))
    expect(Status.parse(will.payload)).toEqual({ state: 'offline' })
    await watcher.waitFor(statusIs('online'), 10_000, watcher.messages.indexOf(will))
    expect(device.stats.connects).toBe(2)
  })

  it('goes silent on a power cut: the will comes from the keepalive timeout, not a closed socket', async () => {
    device = speaker(10, 1)
    device.start()
    const online = await watcher.waitFor(statusIs('online'))
    const timedOut: string[] = []
    broker.broker.on('keepaliveTimeout', (client) => timedOut.push(client.id))
    device.powerCut()
    await watcher.waitFor(statusIs('offline'), 10_000, watcher.messages.indexOf(online))
    expect(timedOut).toEqual([ID])

    device.powerRestore()
    const back = await watcher.waitFor(statusIs('online'), 10_000, watcher.messages.indexOf(online) + 1)
    const reboot = await watcher.waitFor(on('event'), 10_000, watcher.messages.indexOf(online) + 1)
    expect(EVENTS.speaker.parse(reboot.payload).type).toBe('reboot')
    expect(back).toBeDefined()
  })

  it('reboots on command: accepted, offline, online again with a reboot event, then done', async () => {
    device = speaker(10)
    device.start()
    await watcher.waitFor(statusIs('online'))
    await command('cmd-reboot', 'reboot', {})
    const accepted = await watcher.waitFor(replyIs('cmd-reboot', 'accepted'))
    const offline = await watcher.waitFor(statusIs('offline'), 10_000, watcher.messages.indexOf(accepted))
    const done = await watcher.waitFor(replyIs('cmd-reboot', 'done'), 10_000, watcher.messages.indexOf(offline))
    const reboot = watcher.messages.slice(watcher.messages.indexOf(offline)).find(on('event'))
    expect(reboot?.payload).toMatchObject({ type: 'reboot' })
    expect(TELEMETRY.speaker.parse((await watcher.waitFor(on('telemetry'), 10_000, watcher.messages.indexOf(done))).payload).uptimeS).toBeLessThan(60)
  })

  it('says offline and leaves no will behind when stopped', async () => {
    device = speaker(10)
    device.start()
    const online = await watcher.waitFor(statusIs('online'))
    const gone = new Promise<void>((resolve) => broker.broker.on('clientDisconnect', (c) => { if (c.id === ID) resolve() }))
    await device.stop()
    await gone
    // The broker would have sent a will before it let the client go; a marker sent now comes after it.
    await watcher.client.publishAsync('commune/v1/marker/event', '{}', { qos: 1 })
    await watcher.waitFor((m) => m.topic === 'commune/v1/marker/event')
    const offline = watcher.messages.slice(watcher.messages.indexOf(online)).filter(statusIs('offline'))
    expect(offline).toHaveLength(1)
    expect(offline[0]!.payload).toMatchObject({ state: 'offline', ts: expect.any(Number) as number })
  })
})
