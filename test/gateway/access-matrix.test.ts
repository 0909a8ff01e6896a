// Every HTTP route and every live channel, for every role and for nobody: allowed or refused
// exactly as gateway/users/roles.ts says. The route list comes from the running app, so a
// new route without a declared permission fails here.
import { io as connectSocket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { DeviceKind } from '../../gateway/contract/index.js'
import type { Channel, SubscribeReply } from '../../gateway/realtime/protocol.js'
import { PERMISSIONS, ROLES, roleMay, roleSees, type Permission, type Role } from '../../gateway/users/roles.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, signIn, signInAs, type SignedIn } from '../support/people.js'

let t: TestGateway
const as = {} as Record<Role, SignedIn>
const devices = {} as Record<DeviceKind, string>
const commandOf = {} as Record<DeviceKind, string>
const alarmOf = {} as Record<DeviceKind, number>
const ALARM_TYPE: Record<DeviceKind, 'power_fault' | 'tamper' | 'no_data'> = { speaker: 'power_fault', camera: 'tamper', water_sensor: 'no_data' }
const KINDS: DeviceKind[] = ['speaker', 'camera', 'water_sensor']

beforeAll(async () => {
  t = await startTestGateway()
  for (const role of ROLES) as[role] = await signInAs(t.gw, t.httpUrl, role)
  for (const kind of KINDS) {
    devices[kind] = t.addDevice(kind).id
    commandOf[kind] = (await t.gw.commands.send(devices[kind], { name: 'reboot', params: {} })).id
    alarmOf[kind] = t.gw.alarmStore.raise({
      subject: devices[kind], deviceId: devices[kind], village: 'Thôn Đông', kind, type: ALARM_TYPE[kind], severity: 'major', details: {}, startedAt: Date.now(), nextEscalationAt: null
    }, Date.now()).id
  }
})
afterAll(async () => { await t.stop() })

/** A request's path with its parameters filled: a fresh target where the request destroys it. */
async function concrete (method: string, path: string, kind: DeviceKind): Promise<string> {
  let id = devices[kind]
  if (method === 'DELETE' || path.endsWith('/credentials')) id = t.addDevice(kind).id
  let filled = path.replace('/devices/:id', `/devices/${id}`).replace('/commands/:id', `/commands/${commandOf[kind]}`).replace('/alarms/:id', `/alarms/${alarmOf[kind]}`)
  if (filled.includes('/users/:id')) {
    const user = t.gw.users.byUsername(await addUser(t.gw, 'operator'))!
    filled = filled.replace('/users/:id', `/users/${user.id}`)
  }
  // Bulletins, clips, groups and audio links that do not exist: the guard answers before the lookup.
  return filled.replace('/{*path}', '/some/page').replace(':id', '00000000-0000-4000-8000-000000000000').replace(':name', 'Nhóm thử').replace(':token', 'no-such-token')
}

const deviceScoped = (path: string) => path.includes('/devices/:id') || path.includes('/commands/:id') || path.includes('/alarms/:id')

test('every route declares who may call it', () => {
  expect(t.gw.routes.length).toBeGreaterThan(20)
  expect(t.gw.routes.filter((r) => r.access === null)).toEqual([])
  for (const r of t.gw.routes) if (r.access !== 'public') expect(Object.keys(PERMISSIONS)).toContain(r.access)
})

describe('each role on each route', () => {
  for (const role of [...ROLES, 'nobody'] as const) {
    test(`${role}: allowed where the role may, 401/403 elsewhere`, async () => {
      const results: string[] = []
      for (const route of t.gw.routes) {
        for (const kind of deviceScoped(route.path) ? KINDS : [KINDS[0]!]) {
          // Logging out ends the session: sign in afresh for that request.
          const who = route.method === 'DELETE' && route.path === '/api/session' && role !== 'nobody' ? await signInAs(t.gw, t.httpUrl, role) : role === 'nobody' ? null : as[role]
          const path = await concrete(route.method, route.path, kind)
          const init: RequestInit = { method: route.method, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) }
          const res = who ? await who.fetch(path, init) : await fetch(`${t.httpUrl}${path}`, init)
          const access = route.access as Permission | 'public'
          const allowed = access === 'public' || (role !== 'nobody' && roleMay(role, access) && (!deviceScoped(route.path) || roleSees(role, kind)))
          const expected = allowed ? 'allowed' : role === 'nobody' ? 401 : 403
          const got = res.status === 401 || res.status === 403 ? res.status : 'allowed'
          if (got !== expected) results.push(`${route.method} ${path} (${kind}): expected ${expected}, got ${res.status}`)
        }
      }
      expect(results).toEqual([])
    })
  }
})

test('a person with a temporary password may only change it', async () => {
  const user = await signIn(t.httpUrl, await addUser(t.gw, 'admin', { mustChangePassword: true }))
  const res = await user.fetch('/api/devices')
  expect(res.status).toBe(403)
  expect(await res.json()).toMatchObject({ code: 'GW_ERR_PASSWORD_CHANGE_REQUIRED' })
  expect((await user.fetch('/api/session')).status).toBe(200)
})

describe('each role on each live channel', () => {
  for (const role of ROLES) {
    test(`${role}: the overview, its alarms, its own kinds and (officials) the bulletins, nothing else`, async () => {
      const socket = connectSocket(t.httpUrl, { transports: ['websocket'], extraHeaders: { cookie: as[role].cookie }, reconnection: false })
      try {
        for (const channel of ['overview', 'alarms', 'broadcasts', ...KINDS] as Channel[]) {
          const reply = await socket.emitWithAck('subscribe', channel) as SubscribeReply
          const allowed = channel === 'overview' || channel === 'alarms' || (channel === 'broadcasts' ? roleMay(role, 'broadcasts.read') : roleSees(role, channel))
          expect(reply.ok, `${role} on ${channel}`).toBe(allowed)
          if (!allowed) expect(reply).toMatchObject({ code: 'FORBIDDEN' })
        }
      } finally {
        socket.disconnect()
      }
    })
  }

  test('nobody: the live link refuses to open', async () => {
    const socket = connectSocket(t.httpUrl, { transports: ['websocket'], reconnection: false })
    const error = await new Promise<Error & { data?: { code: string } }>((resolve) => socket.on('connect_error', resolve))
    expect(error.data?.code).toBe('UNAUTHORIZED')
    socket.disconnect()
  })
})
