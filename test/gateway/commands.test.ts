import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CommandRequest, topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

let t: TestGateway
beforeAll(async () => { t = await startTestGateway() })
afterAll(async () => { await t.stop() })

/** A minimal obedient speaker: accepts, then reports done, and remembers what it got. */
async function speaker (id: string, secret: string): Promise<{ client: MqttClient; received: CommandRequest[] }> {
  const client = await t.connect(id, secret)
  const received: CommandRequest[] = []
  client.on('message', (_topic, payload) => {
    const request = CommandRequest.parse(JSON.parse(payload.toString()))
    received.push(request)
    void client.publishAsync(topics.reply(id), JSON.stringify({ id: request.id, status: 'accepted' }), { qos: 1 })
      .then(() => client.publishAsync(topics.reply(id), JSON.stringify({ id: request.id, status: 'done' }), { qos: 1 }))
  })
  await client.subscribeAsync(topics.command(id), { qos: 1 })
  await client.publishAsync(topics.status(id), '{"state":"online"}', { qos: 1, retain: true })
  return { client, received }
}

const api = (path: string, body: unknown) => t.api(`/api${path}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer test-admin-token-0123456789' },
  body: JSON.stringify(body)
})

test('set_volume goes to the speaker and is followed to done', async () => {
  const { id, secret } = t.addDevice('speaker')
  const device = await speaker(id, secret)
  const res = await api(`/devices/${id}/commands`, { name: 'set_volume', params: { volume: 35 } })
  expect(res.status).toBe(202)
  const { id: commandId } = await res.json() as { id: string }
  await expect.poll(async () => (await (await t.api(`/api/commands/${commandId}`)).json() as { status: string }).status).toBe('done')
  expect(device.received).toEqual([expect.objectContaining({ id: commandId, name: 'set_volume', params: { volume: 35 } })])
})

test('a command for an offline device waits and is sent when it comes online', async () => {
  const { id, secret } = t.addDevice('speaker')
  const record = await t.gw.commands.send(id, { name: 'stop' })
  expect(record.status).toBe('queued')
  const device = await speaker(id, secret)
  await expect.poll(() => t.gw.commands.require(record.id).status).toBe('done')
  expect(device.received.map((r) => r.name)).toEqual(['stop'])
})

test('a command that finds no device before its time-to-live expires', async () => {
  const { id } = t.addDevice('speaker')
  const record = await t.gw.commands.send(id, { name: 'stop' }, 200)
  await expect.poll(() => t.gw.commands.require(record.id).status, { timeout: 5000 }).toBe('expired')
})

test('commands are checked against what the kind accepts', async () => {
  const { id } = t.addDevice('camera')
  const res = await api(`/devices/${id}/commands`, { name: 'set_volume', params: { volume: 10 } })
  expect(res.status).toBe(400)
  expect(await res.json()).toMatchObject({ code: 'GW_ERR_VALIDATION' })
  const speakerId = t.addDevice('speaker').id
  expect((await api(`/devices/${speakerId}/commands`, { name: 'set_volume', params: { volume: 101 } })).status).toBe(400)
})

test('a reply cannot move another device\'s command', async () => {
  const a = t.addDevice('speaker')
  const b = t.addDevice('speaker')
  const record = await t.gw.commands.send(a.id, { name: 'stop' })
  const intruder = await t.connect(b.id, b.secret)
  await intruder.publishAsync(topics.reply(b.id), JSON.stringify({ id: record.id, status: 'done' }), { qos: 1 })
  expect(t.gw.commands.require(record.id).status).toBe('queued')
})

test('a sent command the device never answered is sent again when it reconnects', async () => {
  // Its own gateway: the device must be seen offline (short debounce) and back.
  const g = await startTestGateway({ presenceDebounceS: 0.2 })
  try {
    const { id, secret } = g.addDevice('speaker')
    // Online, subscribed, but silent: it receives the command and dies before answering.
    const mute = await g.connect(id, secret)
    await mute.subscribeAsync(topics.command(id), { qos: 1 })
    await mute.publishAsync(topics.status(id), '{"state":"online"}', { qos: 1, retain: true })
    await expect.poll(() => g.gw.presence.get(id).online).toBe(true)
    const record = await g.gw.commands.send(id, { name: 'stop' }, 60_000, { runMs: 5_000 })
    expect(g.gw.commands.require(record.id)).toMatchObject({ status: 'sent', runMs: 5_000 })
    await mute.endAsync(true)
    await expect.poll(() => g.gw.presence.get(id).online, { timeout: 5000 }).toBe(false)

    const back = await g.connect(id, secret)
    const received: string[] = []
    back.on('message', (_topic, payload) => {
      const request = CommandRequest.parse(JSON.parse(payload.toString()))
      received.push(request.id)
      void back.publishAsync(topics.reply(id), JSON.stringify({ id: request.id, status: 'done' }), { qos: 1 })
    })
    await back.subscribeAsync(topics.command(id), { qos: 1 })
    await back.publishAsync(topics.status(id), '{"state":"online"}', { qos: 1, retain: true })
    await expect.poll(() => g.gw.commands.require(record.id).status).toBe('done')
    expect(received).toContain(record.id)
  } finally {
    await g.stop()
  }
})

test('a started command times out only after its expiry plus its run time', async () => {
  const { id, secret } = t.addDevice('speaker')
  const client = await t.connect(id, secret)
  await client.subscribeAsync(topics.command(id), { qos: 1 })
  client.on('message', (_topic, payload) => {
    const request = CommandRequest.parse(JSON.parse(payload.toString()))
    void client.publishAsync(topics.reply(id), JSON.stringify({ id: request.id, status: 'in_progress' }), { qos: 1 })
  })
  await client.publishAsync(topics.status(id), '{"state":"online"}', { qos: 1, retain: true })
  await expect.poll(() => t.gw.presence.get(id).online).toBe(true)
  const record = await t.gw.commands.send(id, { name: 'stop' }, 300, { runMs: 2500 })
  await expect.poll(() => t.gw.commands.require(record.id).status).toBe('in_progress')
  await new Promise((resolve) => setTimeout(resolve, 1500))
  expect(t.gw.commands.require(record.id).status).toBe('in_progress')
  await expect.poll(() => t.gw.commands.require(record.id).status, { timeout: 5000 }).toBe('timed_out')
})
