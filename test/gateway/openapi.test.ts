// The OpenAPI document (/api/openapi.json) against the app express really runs: every route
// registered is in it, every $ref resolves, every GET route answers as the document says
// (answers are checked against their schemas by the test gateway itself: describe.ts), and
// the page that shows it works in Chromium with no network.
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import express from 'express'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { z } from 'zod'
import { doc, type AnswerMismatch } from '../../gateway/http/describe.js'
import { openApiPath } from '../../gateway/http/openapi.js'
import { launchChromium } from '../support/browser.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { tone, upload } from '../support/broadcasting.js'
import { signInAs } from '../support/people.js'

let t: TestGateway
let spec: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>; components: { schemas: Record<string, unknown> } }
const ids: Record<string, string> = {}

beforeAll(async () => {
  t = await startTestGateway()
  const water = t.addDevice('water_sensor', { reservoir: { name: 'Hồ Khe Ngang', alarmLevels: { level1M: 40 } } })
  const camera = t.addDevice('camera')
  ids.device = water.id
  ids.camera = camera.id
  const client = await t.connect(water.id, water.secret)
  await client.publishAsync(`commune/v1/${water.id}/telemetry`, JSON.stringify({ levelM: 41.2, rainMm: 3.5, batteryPct: 88 }), { qos: 1 })
  ids.command = (await t.gw.commands.send(water.id, { name: 'reboot', params: {} })).id
  ids.alarm = String(t.gw.alarmStore.raise({
    subject: water.id, deviceId: water.id, village: 'Thôn Đông', kind: 'water_sensor', type: 'no_data', severity: 'major', details: {}, startedAt: Date.now(), nextEscalationAt: null
  }, Date.now()).id)
  const official = await signInAs(t.gw, t.httpUrl, 'official')
  ids.clip = (await upload(official, tone(1))).id
  const speaker = t.addDevice('speaker').id
  const res = await official.fetch('/api/broadcasts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Thông báo', priority: 'routine', clipId: ids.clip, targets: { devices: [speaker] } }) })
  expect(res.status).toBe(201)
  ids.broadcast = ((await res.json()) as { id: string }).id
  spec = await (await fetch(`${t.httpUrl}/api/openapi.json`)).json() as typeof spec
})
afterAll(async () => { await t.stop() })

interface Layer { route?: { methods: Record<string, boolean> }; handle?: { stack?: Layer[] } }
/** Every method of every route express has, however it was mounted. */
const countRoutes = (stack: Layer[]): number =>
  stack.reduce((n, layer) => n + (layer.route ? Object.keys(layer.route.methods).length : layer.handle?.stack ? countRoutes(layer.handle.stack) : 0), 0)

test('every route express has registered is described and in the document', () => {
  expect(countRoutes((t.gw.httpApp as unknown as { router: { stack: Layer[] } }).router.stack)).toBe(t.gw.routes.length)
  const missing = t.gw.routes.filter((r) => !r.doc || !spec.paths[openApiPath(r.path)]?.[r.method.toLowerCase()])
  const advice = missing.map((r) => `${r.method} ${r.path}: add doc({ summary: '...', query?, body?, answer: <schema from gateway/http/answers.ts> }) right after its allow()/open() guard`)
  expect(advice).toEqual([])
  expect(spec.openapi).toBe('3.1.0')
})

test('every $ref in the document names a schema it holds', () => {
  const refs = [...JSON.stringify(spec).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!)
  expect(refs.length).toBeGreaterThan(50)
  expect([...new Set(refs)].filter((name) => !(name in spec.components.schemas))).toEqual([])
})

test('the document is one a client generator accepts: no schema carries an $id with a fragment or a $schema of its own', () => {
  // JSON Schema 2020-12 forbids a non-empty fragment in $id ("#/components/schemas/Alarm"); an
  // OpenAPI 3.1 validator (openapi-spec-validator) refused the whole document for it. The
  // component's name is its id, and the dialect is said once (jsonSchemaDialect).
  const offending: string[] = []
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => { walk(n, `${where}/${i}`) })
    if (!node || typeof node !== 'object') return
    const o = node as Record<string, unknown>
    if (typeof o.$id === 'string' && o.$id.includes('#')) offending.push(`${where}: $id ${o.$id}`)
    if ('$schema' in o) offending.push(`${where}: $schema`)
    for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`)
  }
  walk(spec.components.schemas, '#/components/schemas')
  walk(spec.paths, '#/paths')
  expect(offending).toEqual([])
})

test('every stable route says the fields of its JSON answer: none is an object of anything', () => {
  // Documents in their own right (OpenAPI, JSON Schema, a Grafana dashboard) are the exception.
  const DOCUMENTS = new Set(['/api/openapi.json', '/api/webhook-events.json', '/api/grafana/dashboard.json'])
  const untyped: string[] = []
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods) as Array<[string, { 'x-stable'?: boolean; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }]>) {
      if (!op['x-stable'] || DOCUMENTS.has(path)) continue
      for (const [status, answer] of Object.entries(op.responses)) {
        const ref = answer.content?.['application/json']?.schema?.$ref
        if (ref === '#/components/schemas/AnyObject' || ref === '#/components/schemas/AnyList') untyped.push(`${method} ${path} ${status}`)
      }
    }
  }
  expect(untyped).toEqual([])
})

/** A GET path with its parameters filled with things that exist. */
const filled = (path: string): string => path
  .replace('/devices/:id/snapshots/:at', `/devices/${ids.camera}/snapshots/1`)
  .replace(/\/devices\/:id\/(snapshot|snapshots|reference|endpoint)$/, `/devices/${ids.camera}/$1`)
  .replace('/devices/:id', `/devices/${ids.device}`).replace('/commands/:id', `/commands/${ids.command}`).replace('/alarms/:id', `/alarms/${ids.alarm}`)
  .replace('/broadcasts/:id', `/broadcasts/${ids.broadcast}`).replace('/audio/:id', `/audio/${ids.clip}`).replace('/{*path}', '/some/page')
  .replace(/:\w+/, 'none')

/** Routes that need a query to answer, or answer in several formats. */
const QUERIES: Record<string, string[]> = {
  '/api/devices/:id/history': ['?field=levelM', '?field=levelM&format=csv'],
  '/api/broadcast-log': ['', '?format=csv', '?format=html']
}

test('every GET route answers with what its documentation says, as the admin', async () => {
  const answered: string[] = []
  const wrongType: string[] = []
  for (const route of t.gw.routes.filter((r) => r.method === 'GET' && r.path !== '/media/live/:token')) {
    for (const query of QUERIES[route.path] ?? ['']) {
      const res = await t.api(filled(route.path) + query)
      await res.arrayBuffer()
      if (res.status >= 300) continue
      answered.push(route.path + query)
      const documented = Object.keys(spec.paths[openApiPath(route.path)]!.get!.responses[String(res.status)]?.content ?? {})
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!
      if (!documented.includes(type)) wrongType.push(`${route.path}${query}: ${type}, documented ${documented.join(', ')}`)
    }
  }
  expect(wrongType).toEqual([])
  expect(t.answerMismatches).toEqual([])
  // The stable API answered, not just errors: the schemas were really exercised.
  for (const path of ['/api/devices', '/api/devices/:id', '/api/devices/:id/history?field=levelM', '/api/devices/:id/history?field=levelM&format=csv', '/api/live', '/api/alarms', '/api/alarms/:id', '/api/broadcasts/:id', '/api/audit', '/health']) {
    expect(answered).toContain(path)
  }
})

test('an answer that lacks a promised field is reported, and still sent', async () => {
  const app = express()
  const reported: AnswerMismatch[] = []
  app.locals.checkAnswers = (m: AnswerMismatch) => reported.push(m)
  app.get('/thing', doc({ summary: 'a thing', answer: z.object({ unit: z.string().nullable(), value: z.number() }) }), (_req, res) => { res.json({ value: 1 }) })
  const server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/thing`)
    expect(await res.json()).toEqual({ value: 1 })
    expect(reported).toEqual([{ method: 'GET', url: '/thing', status: 200, problems: [expect.stringContaining('unit')] }])
  } finally {
    server.close()
  }
})

let browser: Browser | null = null
afterAll(async () => { await browser?.close() })

test('the documentation page lists the routes in Chromium with every other host unreachable', async () => {
  browser = await launchChromium()
  const page = await browser.newPage()
  const elsewhere: string[] = []
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith(t.httpUrl)) return route.continue()
    elsewhere.push(route.request().url())
    return route.abort()
  })
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(`${t.httpUrl}/api/docs`)
  await page.getByText('/api/devices/{id}/history').first().waitFor({ timeout: 30_000 })
  await page.fill('#filter', 'alarms/acknowledge')
  expect(await page.locator('details:not([hidden])').count()).toBe(1)
  expect(errors).toEqual([])
  expect(elsewhere).toEqual([])
})
