// An automatic flood warning's record tells the truth (issue #13): a warning that no cluster
// played is never logged as "sent to the loudspeakers" and left there; when every cluster has
// answered, the log and the same channels the warning went through say how many played it in
// full, which did not and why.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import { afterAll, expect, test } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { speakerIn, type SimSpeaker } from '../support/speakers.js'

const SECRET = 'chia-se-bi-mat-cua-xa'
const received: Array<{ event: string; text: string; broadcast?: { summary: { outcome: string; done: number; targeted: number } } }> = []
const hook = createServer((req, res) => {
  let body = ''
  req.on('data', (c: Buffer) => { body += c.toString() })
  req.on('end', () => { received.push(JSON.parse(body) as (typeof received)[number]); res.end('{}') })
})
const logs: Array<{ level: number; msg: string; [k: string]: unknown }> = []
let t: TestGateway
let speaker: SimSpeaker
afterAll(async () => {
  await speaker?.stop()
  await t?.stop()
  hook.close()
})

test('a flood warning no cluster could play: its record, log line and notifications say "not played, 0 of 1" and name the cluster', { timeout: 90_000 }, async () => {
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve))
  const stream = new PassThrough()
  stream.on('data', (chunk: Buffer) => { for (const l of chunk.toString().split('\n')) if (l.trim()) logs.push(JSON.parse(l) as (typeof logs)[number]) })
  t = await startTestGateway({ presenceDebounceS: 0.5, webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, webhookSecret: SECRET }, { log: stream })
  t.gw.thresholds.set({ scope: 'default', values: { riseCmPerH: 1e6 } })
  speaker = speakerIn(t, 'Thôn Hạ', { playFailShare: 1 })
  speaker.start()
  await expect.poll(() => t.gw.presence.get(speaker.id).online, { timeout: 10_000 }).toBe(true)
  const station = t.addDevice('water_sensor', {
    village: 'Thôn Khe', reservoir: {
      name: 'Hồ Khe Mây', referenceLevels: { deadM: 18, preFloodM: 29, normalM: 30, designFloodM: 32.6, checkFloodM: 33.4 },
      alarmLevels: { level1M: 30.6, level2M: 31.3, level3M: 32 }, downstreamVillages: ['Thôn Hạ']
    }
  })
  const client = await t.connect(station.id, station.secret)
  await client.publishAsync(`commune/v1/${station.id}/telemetry`, JSON.stringify({ levelM: 32.4, rainMm: 40, batteryPct: 90 }), { qos: 1 })

  const warning = () => t.gw.broadcasts.store.list({ limit: 10 }).find((b) => b.alarmId !== null)
  await expect.poll(() => warning()?.status, { timeout: 40_000, interval: 250 }).toBe('done')
  const b = warning()!
  expect(t.gw.broadcasts.service.summary(b.id)).toMatchObject({ outcome: 'not_played', targeted: 1, done: 0, failed: 1 })
  expect(logs.find((l) => l.msg.startsWith('automatic flood warning on air'))).toMatchObject({ broadcastId: b.id })
  expect(logs.some((l) => /sent to the loudspeakers/.test(l.msg))).toBe(false)
  expect(logs.find((l) => l.broadcastId === b.id && l.msg.startsWith('automatic flood warning NOT played everywhere'))).toMatchObject({
    level: 50, outcome: 'not_played', played: 0, targeted: 1, msg: 'automatic flood warning NOT played everywhere: Not played: played in full on 0 of 1 clusters'
  })

  await expect.poll(() => received.find((r) => r.event === 'broadcast.warning.outcome'), { timeout: 15_000 }).toBeTruthy()
  const record = received.find((r) => r.event === 'broadcast.warning.outcome')!
  expect(record.broadcast!.summary).toMatchObject({ outcome: 'not_played', done: 0, targeted: 1 })
  expect(record.text).toContain('Không phát được: phát trọn vẹn trên 0/1 cụm loa')
  expect(record.text).toContain(`Chưa phát: ${t.gw.registry.get(speaker.id)!.name} (Thôn Hạ): Lỗi — Lỗi âm ly của cụm loa (no output)`)
  expect(record.text).toContain('Automatic flood warning: Not played: played in full on 0 of 1 clusters')
})
