// Grafana-ready (issue #22): the dashboard the gateway makes runs its queries on a real
// InfluxDB holding real readings, with each station's own alarm lines; the example in docs/
// names only measurements and fields the contract has.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { DEVICE_KINDS, fieldsOf, type DeviceKind } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

const influxUrl = inject('influxUrl')
const database = `grafana_${process.pid}`
let t: TestGateway
interface Panel { title: string; targets: Array<{ query: string }>; fieldConfig: { defaults: { thresholds?: { steps: Array<{ color: string; value: number | null }> } } } }

beforeAll(async () => {
  t = await startTestGateway({ influxUrl, influxDatabase: database })
})
afterAll(async () => {
  await t.stop()
  await fetch(`${influxUrl}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) })
})

/** Runs a panel's InfluxQL as Grafana would, over the last hour. */
async function run (query: string): Promise<{ series?: Array<{ tags?: Record<string, string>; values: unknown[][] }>; error?: string }> {
  const q = query.replaceAll('$timeFilter', 'time > now() - 1h').replaceAll('$__interval', '1m')
  const res = await fetch(`${influxUrl}/query?${new URLSearchParams({ db: database, q, epoch: 'ms' }).toString()}`)
  return ((await res.json()) as { results: Array<{ series?: Array<{ tags?: Record<string, string>; values: unknown[][] }>; error?: string }> }).results[0]!
}

test('the dashboard shows each station\'s level against its own alarm lines, and cameras online per village, from real InfluxDB data', async () => {
  const station = t.addDevice('water_sensor', { name: "Hồ Khe Ngang 'Đập chính'", reservoir: { name: 'Hồ Khe Ngang', alarmLevels: { level1M: 40, level2M: 41, level3M: 42 }, referenceLevels: { designFloodM: 43.5 } } })
  const camera = t.addDevice('camera', { village: 'Thôn Bắc' })
  const s = await t.connect(station.id, station.secret)
  const c = await t.connect(camera.id, camera.secret)
  await s.publishAsync(`commune/v1/${station.id}/telemetry`, JSON.stringify({ levelM: 41.2 }), { qos: 1 })
  await c.publishAsync(`commune/v1/${camera.id}/telemetry`, JSON.stringify({ streamAlive: true, fps: 12 }), { qos: 1 })
  await expect.poll(() => t.gw.journal.depth, { timeout: 20_000 }).toBe(0)

  const dashboard = await (await t.api('/api/grafana/dashboard.json')).json() as { panels: Panel[] }
  const level = dashboard.panels.find((p) => p.title.includes(station.id) || p.title.includes('Khe Ngang'))!
  expect(level.fieldConfig.defaults.thresholds!.steps.map((x) => x.value)).toEqual([null, 40, 41, 42, 43.5])
  const levels = await run(level.targets[0]!.query)
  expect(levels.error).toBeUndefined()
  expect(levels.series![0]!.values.map((v) => v[1])).toContain(41.2)

  const cameras = dashboard.panels.find((p) => p.title.startsWith('Camera'))!
  const online = await run(cameras.targets[0]!.query)
  expect(online.error).toBeUndefined()
  const village = online.series!.find((x) => x.tags?.village === 'Thôn Bắc')!
  expect(Math.max(...village.values.map((v) => Number(v[1])))).toBe(1)
})

test('an operator\'s dashboard has the water stations only', async () => {
  const { signInAs } = await import('../support/people.js')
  const operator = await signInAs(t.gw, t.httpUrl, 'operator')
  const dashboard = await (await operator.fetch('/api/grafana/dashboard.json')).json() as { panels: Panel[] }
  expect(dashboard.panels.length).toBeGreaterThan(0)
  expect(dashboard.panels.every((p) => p.targets.every((x) => x.query.includes('"water_sensor"')))).toBe(true)
})

test('the example dashboard in docs/ queries only measurements and fields of the contract', () => {
  const example = JSON.parse(readFileSync('docs/grafana/commune-dashboard.json', 'utf8')) as { panels: Panel[] }
  const queries = example.panels.flatMap((p) => p.targets.map((x) => x.query))
  expect(queries.length).toBeGreaterThan(1)
  const wrong: string[] = []
  for (const query of queries) {
    const measurements = [...query.matchAll(/FROM "(\w+)"/g)].map((m) => m[1]!)
    for (const m of measurements) {
      if (!(DEVICE_KINDS as readonly string[]).includes(m)) { wrong.push(`${m}: no such measurement`); continue }
      const fields = [...query.matchAll(/\w+\("(\w+)"\)/g)].map((f) => f[1]!).filter((f) => f !== 'last')
      for (const f of fields) if (!(f in fieldsOf(m as DeviceKind))) wrong.push(`${m}.${f}: no such field`)
    }
  }
  expect(wrong).toEqual([])
})

test('docs/grafana.md names a measurement for every kind, with every field the kind sends', () => {
  const docText = readFileSync(new URL('../../docs/grafana.md', import.meta.url), 'utf8')
  const measurements = /^\| measurements \| (.*) \|$/m.exec(docText)?.[1] ?? ''
  const missing: string[] = []
  for (const kind of DEVICE_KINDS) {
    if (!measurements.includes(`\`${kind}\``)) missing.push(`${kind}: not in the measurements row`)
    const row = new RegExp(`^\\| \`${kind}\` \\| (.*) \\|$`, 'm').exec(docText)?.[1]
    if (!row) { missing.push(`${kind}: no row in Fields`); continue }
    for (const field of Object.keys(fieldsOf(kind))) if (!row.includes(`\`${field}\``)) missing.push(`${kind}.${field}`)
  }
  expect(missing).toEqual([])
})
