// Every device kind is whole (issue #16): it has behaviour, a page, a simulator model whose
// readings and events the contract accepts, a role that watches it, and documented tables. A
// kind added to gateway/kinds/ and forgotten somewhere fails here, naming the place.
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { ALARM_TYPES } from '../../gateway/alarms/catalog.js'
import { SETTINGS } from '../../gateway/config/settings.js'
import { fieldTableMarkdown } from '../../gateway/contract/doc-table.js'
import { EVENTS, TELEMETRY } from '../../gateway/contract/index.js'
import { BEHAVIOURS } from '../../gateway/kinds/behaviour/index.js'
import { DEVICE_KINDS, KINDS } from '../../gateway/kinds/index.js'
import { ROLE_KINDS, ROLES, type Role } from '../../gateway/users/roles.js'
import { SIM_KINDS } from '../../simulators/kinds.js'
import { seededRandom } from '../../simulators/patterns.js'
import { physicsFor, ReservoirSim } from '../../simulators/reservoir.js'
import { rainfall } from '../../simulators/rain.js'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const T0 = Date.parse('2026-06-01T00:00:00Z')

test.each(DEVICE_KINDS)('the %s kind has behaviour, a page, a simulator model, a watcher and documented tables', (kind) => {
  const def = KINDS[kind]
  expect(BEHAVIOURS[kind], `gateway/kinds/behaviour/index.ts: no behaviour for ${kind}`).toBeDefined()
  if (BEHAVIOURS[kind].trendField !== null) expect(Object.keys(def.fields)).toContain(BEHAVIOURS[kind].trendField)
  for (const type of BEHAVIOURS[kind].keptOffline) expect(Object.keys(ALARM_TYPES)).toContain(type)

  // The page: its view is in dashboard/src/kind-pages.tsx (the dashboard's tsc checks it is a
  // component; its imports need a browser, so here the table is read as text).
  expect(read('dashboard/src/kind-pages.tsx').match(/KIND_VIEWS = \{([^}]*)\}/)?.[1], `dashboard/src/kind-pages.tsx: no page for ${kind}`).toMatch(new RegExp(`\\b${kind}:`))

  // A simulated device of the kind speaks the contract for two simulated days.
  const lake = new ReservoirSim(physicsFor({ referenceLevels: { normalM: 30 }, alarmLevels: {} }), rainfall('normal', T0), T0)
  const sim = SIM_KINDS[kind]
  const model = sim.model({ device: { id: `${def.idPrefix}-1`, kind, name: 'x', village: 'Thôn Đông' }, random: seededRandom(3), simNow: T0, faults: true, reservoir: () => lake })
  expect(model.kind).toBe(kind)
  for (let t = T0; t < T0 + 2 * 86_400_000; t += sim.intervalMs) {
    const reading = TELEMETRY[kind].safeParse(model.read(t))
    expect(reading.success, `simulators: a ${kind} reading the contract refuses: ${JSON.stringify(reading.error?.issues)}`).toBe(true)
    for (const event of model.drainEvents()) expect(EVENTS[kind].safeParse(event).success).toBe(true)
  }

  // Somebody besides the admin watches it, and is told first of its alarms.
  const watchers = ROLES.filter((role) => role !== 'admin' && ROLE_KINDS[role].includes(kind))
  expect(watchers, `gateway/kinds/${kind}: nobody watches it`).not.toEqual([])
  expect(ROLE_KINDS.admin).toContain(kind)
  for (const role of def.toldFirst as readonly Role[]) expect(role === 'admin' || watchers.includes(role), `${role} is told of ${kind} alarms but does not see them`).toBe(true)

  // Documented: its field table and events in the contract, its alarms, its heartbeat setting.
  const contract = read('docs/contract.md')
  expect(contract, `docs/contract.md lacks the ${kind} table:\n${fieldTableMarkdown(kind)}\n`).toContain(fieldTableMarkdown(kind))
  for (const type of Object.keys(def.events)) expect(contract, `docs/contract.md: event ${type}`).toContain(`\`${type}\``)
  const alarms = read('docs/alarms.md')
  for (const [type, spec] of Object.entries(def.alarms)) {
    if (!('retired' in spec)) expect(alarms, `docs/alarms.md: alarm type ${type} of ${kind}`).toContain(`\`${type}\``)
  }
  const heartbeat = Object.values(SETTINGS).find((s) => s.env === `GATEWAY_HEARTBEAT_${kind.toUpperCase()}_S`)
  expect(heartbeat, `no heartbeat setting for ${kind}`).toBeDefined()
})

test('no two kinds share an id prefix, a page, or an alarm type, and no kind takes a general alarm type', () => {
  const unique = (values: string[]) => expect(values.filter((v, i) => values.indexOf(v) !== i)).toEqual([])
  unique(DEVICE_KINDS.map((kind) => KINDS[kind].idPrefix))
  unique([...DEVICE_KINDS.map((kind) => KINDS[kind].page.path), 'overview', 'alarms', 'camera-grid', 'broadcasts', 'live', 'map', 'audit', 'devices', 'users', 'tokens', 'device'])
  unique([...DEVICE_KINDS.flatMap((kind) => Object.keys(KINDS[kind].alarms)), ...Object.entries(ALARM_TYPES).filter(([, spec]) => spec.kind === null).map(([type]) => type)])
  for (const kind of DEVICE_KINDS) for (const type of Object.keys(KINDS[kind].alarms)) expect(ALARM_TYPES[type as keyof typeof ALARM_TYPES].kind).toBe(kind)
})
