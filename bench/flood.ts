// `npm run bench:flood` (issue #19): the time from a level-III reading at commune A to the
// first, and to the last, loudspeaker cluster of commune C (downstream, another box) playing
// the province's flood warning, over several rounds, and where the seconds go.
//
// The parts are the province tests' (test/support/province.ts, communes.ts): a 3-node
// nats-server cluster, PostgreSQL, the run's influxd, the province's workers and rules in this
// process, and three real gateways (in this process too) with simulated clusters that fetch
// the audio over HTTP and play it in real time. Each round raises a new station of A (a new
// reservoir: the province warns once per reservoir per 30 minutes) above báo động III and
// stamps each step from the stores' own times: the alarm stored at the province, the warning
// sent, C's box having spoken it (espeak-ng + ffmpeg), each C cluster reporting "playing".
// Between rounds the warnings still on air are cancelled, so a round never waits behind the last.
//
// Writes the table between <!-- flood:begin --> and <!-- flood:end --> of docs/benchmarks.md.
//
//   npm run bench:flood -- [--rounds 5] [--clusters 6]
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { topics } from '../gateway/contract/index.js'
import { setBasinStation } from '../province/bulletins/flood.js'
import { startCommune, until, type TestCommune } from '../test/support/communes.js'
import { startInfluxd } from '../test/support/influxd.js'
import { startProvinceStack } from '../test/support/province.js'
import { writeSection } from './report.js'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, clusters: { type: 'string', default: '6' } } })
const ROUNDS = Number(values.rounds)
const CLUSTERS = Number(values.clusters)
if (!(ROUNDS >= 1 && ROUNDS <= 50) || !(CLUSTERS >= 2 && CLUSTERS <= 100)) throw new Error('--rounds 1..50, --clusters 2..100')
const BENCH = { actor: 'bench', role: 'official' as const, mayApprove: true }
const LEVELS = { level1M: 10, level2M: 11, level3M: 12 }

/** One round's times, in ms from the reading's publish. */
interface Round { acked: number; alarmAtProvince: number; sent: number; spokenAtC: number; first: number; last: number }

const influxd = await startInfluxd()
const stack = await startProvinceStack(['xa-a', 'xa-b', 'xa-c'], influxd.url, { sweepMs: 3_600_000 })
const communes: TestCommune[] = []
const rounds: Round[] = []
/** The same warning spoken by C's box alone, nothing else running: ms each time. */
const alone = { words: 0, ms: [] as number[] }
try {
  await stack.sql("UPDATE communes SET name = CASE code WHEN 'xa-a' THEN 'Xã Thượng Nguồn' WHEN 'xa-b' THEN 'Xã Trung Lưu' ELSE 'Xã Hạ Lưu' END")
  const a = await startCommune(stack, 'xa-a', { 'Thôn Đập': 1 })
  const b = await startCommune(stack, 'xa-b', { 'Thôn Một': 2 })
  const c = await startCommune(stack, 'xa-c', { 'Thôn Bến': Math.ceil(CLUSTERS / 2), 'Thôn Chợ': Math.floor(CLUSTERS / 2) })
  communes.push(a, b, c)

  for (let round = 1; round <= ROUNDS; round++) {
    const reservoir = `Hồ Thử ${round}`
    const s = a.t.addDevice('water_sensor', { name: `Trạm ${reservoir}`, village: 'Thôn Đập', reservoir: { name: reservoir, alarmLevels: LEVELS, downstreamVillages: ['Thôn Đập'] } })
    await setBasinStation(stack.service.pool, {
      commune: 'xa-a', stationId: s.id, name: `Trạm ${round}`, reservoir,
      downstream: [{ commune: 'xa-a', villages: ['Thôn Đập'] }, { commune: 'xa-b', villages: ['Thôn Một'] }, { commune: 'xa-c', villages: ['Thôn Bến', 'Thôn Chợ'] }]
    })
    const station = await a.t.connect(s.id, s.secret)
    const t0 = Date.now()
    await station.publishAsync(topics.telemetry(s.id), JSON.stringify({ levelM: 12.4 }), { qos: 1 })
    const acked = Date.now()
    let warning: { id: string; created_at: string; sent_at: string | null } | undefined
    await until(async () => {
      warning = (await stack.sql<{ id: string; created_at: string; sent_at: string | null }>("SELECT id, created_at, sent_at FROM province_bulletins WHERE origin = 'flood' AND details->>'stationId' = $1", [s.id]))[0]
      return warning?.sent_at != null
    }, 60_000, `round ${round}: the province's warning`)
    const started = (): number[] => {
      const copy = c.t.gw.broadcasts.store.byProvinceId(warning!.id)
      return copy ? c.t.gw.broadcasts.store.deliveries(copy.id).map((d) => d.startedAt).filter((x): x is number => x !== null).sort((p, q) => p - q) : []
    }
    await until(() => started().length === CLUSTERS, 120_000, `round ${round}: every cluster of C playing`)
    const alarm = (await stack.sql<{ received_at: string }>("SELECT received_at FROM alarms WHERE commune = 'xa-a' AND device_id = $1 ORDER BY received_at LIMIT 1", [s.id]))[0]!
    const copy = c.t.gw.broadcasts.store.byProvinceId(warning!.id)!
    const at = started()
    const r: Round = {
      acked: acked - t0,
      alarmAtProvince: Number(alarm.received_at) - t0,
      sent: Number(warning!.sent_at) - t0,
      spokenAtC: c.t.gw.broadcasts.audio.require(copy.clipId).createdAt - t0,
      first: at[0]! - t0,
      last: at.at(-1)! - t0
    }
    rounds.push(r)
    console.error(`round ${round}`, r)
    // The next round must not queue behind this one's warnings (3 plays, 5 s apart, on every box).
    for (const x of communes) {
      for (const bc of x.t.gw.broadcasts.store.list({ limit: 50 })) {
        if (bc.status === 'sent' || bc.status === 'scheduled') await x.t.gw.broadcasts.service.cancel(bc.id, BENCH, 'bench: the next round').catch(() => {})
      }
    }
    await station.endAsync()
    await sleep(2000)
  }
  // In the rounds the three boxes speak at once (A its own warning, B and C the province's) on
  // the same cores; alone, the same text takes this long.
  const last = c.t.gw.broadcasts.audio.require(c.t.gw.broadcasts.store.byProvinceId((await stack.sql<{ id: string }>("SELECT id FROM province_bulletins WHERE origin = 'flood' ORDER BY created_at DESC LIMIT 1"))[0]!.id)!.clipId)
  alone.words = last.text!.split(/\s+/).length
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    await c.t.gw.broadcasts.audio.speak(last.text!, last.voice as Parameters<typeof c.t.gw.broadcasts.audio.speak>[1], 'bench')
    alone.ms.push(performance.now() - t)
  }
} finally {
  for (const x of communes) await x.stop()
  await stack.stop()
  await influxd.destroy()
}

const s = (ms: number): string => (ms / 1000).toFixed(2)
const stat = (pick: (r: Round) => number): { min: number; p50: number; max: number } => {
  const v = rounds.map(pick).sort((p, q) => p - q)
  return { min: v[0]!, p50: v[Math.floor((v.length - 1) / 2)]!, max: v.at(-1)! }
}
const row = (what: string, pick: (r: Round) => number): string => {
  const x = stat(pick)
  return `| ${what} | ${s(x.min)} s | **${s(x.p50)} s** | ${s(x.max)} s |`
}
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, shared with other engineers' test runs (load average ${loadavg()[0]!.toFixed(1)} at the end; figures are upper bounds)`
const markdown = [
  `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}. Command: \`npm run bench:flood -- --rounds ${ROUNDS} --clusters ${CLUSTERS}\``,
  `(${ROUNDS} rounds; commune C has ${CLUSTERS} clusters in two villages, B 2, A 1; the three gateways and the province's workers in one process).`, '',
  '| from the level-III reading published at commune A to … | min | p50 | max |', '|---|---|---|---|',
  row('the **first** loudspeaker cluster of commune C playing', (r) => r.first),
  row('the **last** loudspeaker cluster of commune C playing', (r) => r.last),
  '', '| where the seconds go: each step, from the reading\'s publish | min | p50 | max |', '|---|---|---|---|',
  row('PUBACK to the station (the reading in A\'s journal)', (r) => r.acked),
  row('the alarm stored at the province (A\'s alarms lane → events worker → PostgreSQL)', (r) => r.alarmAtProvince),
  row('the warning sent by the province (basin map read, bulletin stored, one message per commune)', (r) => r.sent),
  row('C\'s box has spoken it (command pulled, espeak-ng + ffmpeg to MP3)', (r) => r.spokenAtC),
  row('first C cluster playing (play command over MQTT, audio fetched over HTTP)', (r) => r.first),
  '', `The same warning (${alone.words} words) spoken by C's box afterwards with no other warning being spoken, three times: ${alone.ms.map(s).join(', ')} s.`
].join('\n')
writeSection('flood', markdown)
// The stores and clients are closed; a socket of the cluster may still hold the loop for a while.
process.exit(0)
