// Every HTTP route and every live channel, for every role and for nobody: allowed or refused
// exactly as gateway/users/roles.ts says. The route list comes from the running app, so a
// new route without a declared permission fails here.
import { io as connectSocket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { AlarmType } from '../../gateway/alarms/catalog.js'
import { DEVICE_KINDS, type DeviceKind } from '../../gateway/kinds/index.js'
import type { Channel, SubscribeReply } from '../../gateway/realtime/protocol.js'
import { rolesFor } from '../../gateway/notify/routing.js'
import { scopeOfToken, type Grant } from '../../gateway/users/api-tokens.js'
import { PERMISSIONS, ROLES, roleMay, roleSees, scopeMay, scopeSees, type Permission, type Role } from '../../gateway/users/roles.js'
import { Scenes } from '../../simulators/rtsp-camera/scene.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'
import { addUser, signIn, signInAs, type SignedIn } from '../support/people.js'

let t: TestGateway
const as = {} as Record<Role, SignedIn>
const devices = {} as Record<DeviceKind, string>
const commandOf = {} as Record<DeviceKind, string>
const alarmOf = {} as Record<DeviceKind, number>
const ALARM_TYPE: Record<DeviceKind, AlarmType> = { speaker: 'power_fault', camera: 'tamper', water_sensor: 'no_data', air_quality: 'air_quality' }
const KINDS: DeviceKind[] = DEVICE_KINDS
const KEPT_AT = Date.now() - 60_000

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
  // A real kept snapshot and reference (issue #20): the picture routes answer pictures to those who may see them.
  const jpeg = await new Scenes().picture('day', 0)
  t.gw.snapshots.keep(devices.camera, KEPT_AT, jpeg, jpeg)
  t.gw.snapshots.markReference(devices.camera, KEPT_AT, 'test')
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
  filled = filled.replace('/snapshots/:at', `/snapshots/${KEPT_AT}`)
  return filled.replace('/{*path}', '/some/page').replace(':id', '00000000-0000-4000-8000-000000000000').replace(':name', 'Nhóm thử').replace(':token', 'no-such-token')
}

const deviceScoped = (path: string) => path.includes('/devices/:id') || path.includes('/commands/:id') || path.includes('/alarms/:id')

test('every route declares who may call it', () => {
  expect(t.gw.routes.length).toBeGreaterThan(20)
  expect(t.gw.routes.filter((r) => r.access === null)).toEqual([])
  for (const r of t.gw.routes) if (r.access !== 'public') expect(Object.keys(PERMISSIONS)).toContain(r.access)
})

test('the admin pages\' routes (issue #15) are walked below, and only the admin may call them', () => {
  const adminPages = [['GET', '/api/villages'], ['POST', '/api/devices'], ['PATCH', '/api/devices/:id'], ['DELETE', '/api/devices/:id'],
    ['POST', '/api/devices/:id/credentials'], ['POST', '/api/users/:id/password'], ['PATCH', '/api/users/:id'], ['DELETE', '/api/users/:id']]
  for (const [method, path] of adminPages) {
    const route = t.gw.routes.find((r) => r.method === method && r.path === path)
    expect(route, `${method} ${path}`).toBeDefined()
    expect(ROLES.filter((role) => roleMay(role, route!.access as Permission)), `${method} ${path}`).toEqual(['admin'])
  }
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

/** Integration tokens (issue #22): each grant alone, a kind-limited reader, and all grants together. */
const TOKENS: Array<{ name: string; grants: Grant[]; kinds: DeviceKind[] }> = [
  { name: 'doc-muc-nuoc', grants: ['devices.read'], kinds: ['water_sensor'] },
  { name: 'doc-canh-bao', grants: ['alarms.read'], kinds: ['camera'] },
  { name: 'xac-nhan', grants: ['alarms.acknowledge'], kinds: KINDS },
  { name: 'phat-thanh', grants: ['broadcasts.send'], kinds: [] },
  { name: 'lgsp', grants: ['devices.read', 'alarms.read', 'alarms.acknowledge', 'broadcasts.send'], kinds: ['speaker', 'water_sensor'] }
]

describe('each integration token on each route', () => {
  for (const spec of TOKENS) {
    test(`token ${spec.name} (${spec.grants.join(', ')}; ${spec.kinds.join(', ') || 'no kinds'}): allowed where its grants say, 403 elsewhere`, async () => {
      const { token, secret } = t.gw.tokens.create({ ...spec, expiresInDays: 30 }, 'test')
      const scope = scopeOfToken(token)
      const results: string[] = []
      for (const route of t.gw.routes) {
        for (const kind of deviceScoped(route.path) ? KINDS : [KINDS[0]!]) {
          const path = await concrete(route.method, route.path, kind)
          const headers: Record<string, string> = { authorization: `Bearer ${secret}`, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { 'content-type': 'application/json' }) }
          const res = await fetch(`${t.httpUrl}${path}`, { method: route.method, headers, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: '{}' }) })
          await res.arrayBuffer()
          const access = route.access as Permission | 'public'
          const allowed = access === 'public' || (scopeMay(scope, access) && (!deviceScoped(route.path) || scopeSees(scope, kind)))
          const got = res.status === 401 || res.status === 403 ? res.status : 'allowed'
          if (got !== (allowed ? 'allowed' : 403)) results.push(`${route.method} ${path} (${kind}): expected ${allowed ? 'allowed' : 403}, got ${res.status}`)
        }
      }
      expect(results).toEqual([])
    })
  }

  test('a revoked token and an unknown one are refused (401) on every route that is not public', async () => {
    const { token, secret } = t.gw.tokens.create({ name: 'thu-hoi', grants: ['devices.read', 'alarms.read'], kinds: KINDS, expiresInDays: 30 }, 'test')
    t.gw.tokens.revoke(token.id, 'test')
    const results: string[] = []
    for (const bearer of [secret, 'gwt_' + 'x'.repeat(43)]) {
      for (const route of t.gw.routes.filter((r) => r.access !== 'public')) {
        const res = await fetch(`${t.httpUrl}${await concrete(route.method, route.path, 'water_sensor')}`, { method: route.method, headers: { authorization: `Bearer ${bearer}` } })
        await res.arrayBuffer()
        if (res.status !== 401) results.push(`${route.method} ${route.path}: ${res.status}`)
      }
    }
    expect(results).toEqual([])
  })
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

describe('bulletin alarms and bulletin approval (issue #14)', () => {
  const OFFICIALS_AND_ADMINS: Role[] = ['admin', 'official']

  test('only officials and admins see, read, acknowledge and clear a broadcast_unconfirmed alarm, and only they are told of it', async () => {
    // Raised the way the bulletin service raises it, through the engine (the live channel's source).
    t.gw.alarms.reportVillage('Thôn Bắc', { type: 'broadcast_unconfirmed', active: true, details: { devices: [] } })
    const alarm = t.gw.alarmStore.list({ state: 'active', limit: 1000 }).find((a) => a.type === 'broadcast_unconfirmed')!
    for (const role of ROLES) {
      const sees = OFFICIALS_AND_ADMINS.includes(role)
      const listed = await (await as[role].fetch('/api/alarms')).json() as Array<{ id: number }>
      expect(listed.some((a) => a.id === alarm.id), `${role} lists it`).toBe(sees)
      expect((await as[role].fetch(`/api/alarms/${alarm.id}`)).status, `${role} reads it`).toBe(sees ? 200 : 403)
      const socket = connectSocket(t.httpUrl, { transports: ['websocket'], extraHeaders: { cookie: as[role].cookie }, reconnection: false })
      try {
        const reply = await socket.emitWithAck('subscribe', 'alarms') as SubscribeReply
        const live = reply.ok && reply.channel === 'alarms' ? reply.alarms : []
        expect(live.some((a) => a.id === alarm.id), `${role} on the live channel`).toBe(sees)
      } finally {
        socket.disconnect()
      }
    }
    // Still active: every escalation level names only roles that see it.
    for (const level of [0, 1, 2]) expect(rolesFor(alarm, level).every((r) => OFFICIALS_AND_ADMINS.includes(r))).toBe(true)
    expect(rolesFor(alarm, 0)).toContain('official')
    // Those who may not handle it are refused first; then an official acknowledges and clears it.
    for (const role of ['police', 'operator', 'official'] as const) {
      for (const action of ['acknowledge', 'clear']) {
        const res = await as[role].fetch(`/api/alarms/${alarm.id}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
        expect(res.status, `${role} ${action}s it`).toBe(role === 'official' ? 200 : 403)
      }
    }
  })

  test('approval is an official\'s who may approve: not the admin by account or token, in the API as in what the dashboard is told', async () => {
    const author = await signInAs(t.gw, t.httpUrl, 'official')
    const approver = await signInAs(t.gw, t.httpUrl, 'official')
    await t.gw.users.update(t.gw.users.byUsername(approver.username)!.id, { mayApprove: true })
    const speaker = t.addDevice('speaker').id
    const clip = await t.gw.broadcasts.audio.speak('Thông báo thử', 'north', author.username)
    const compose = await author.fetch('/api/broadcasts', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Thông báo', priority: 'routine', clipId: clip.id, targets: { devices: [speaker] } }) })
    const b = await compose.json() as { id: string; status: string }
    expect(b.status).toBe('pending')

    const adminAccount = as.admin
    const me = async (who: SignedIn) => (await (await who.fetch('/api/session')).json() as { mayApprove: boolean }).mayApprove
    expect(await me(adminAccount)).toBe(false)
    expect(await me(author)).toBe(false)
    expect(await me(approver)).toBe(true)
    expect((await (await t.api('/api/session')).json() as { mayApprove: boolean }).mayApprove).toBe(false)

    const approve = (fetcher: (path: string, init: RequestInit) => Promise<Response>) => fetcher(`/api/broadcasts/${b.id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect((await approve((p, i) => adminAccount.fetch(p, i))).status).toBe(403)
    expect((await approve((p, i) => t.api(p, i))).status).toBe(403)
    // An admin account flagged "may approve" is still not an approver: the flag is an official's.
    await t.gw.users.update(t.gw.users.byUsername(adminAccount.username)!.id, { mayApprove: true })
    expect((await approve((p, i) => adminAccount.fetch(p, i))).status).toBe(403)
    expect(await me(adminAccount)).toBe(false)
    expect((await approve((p, i) => approver.fetch(p, i))).status).toBe(200)
  })
})

test('camera pictures (issue #20): police and the admin get the JPEG of every picture route, audited; officials, operators and nobody get none', async () => {
  const cam = devices.camera
  const paths = [`/api/devices/${cam}/snapshot`, `/api/devices/${cam}/snapshot?size=thumb`, `/api/devices/${cam}/snapshots/${KEPT_AT}`, `/api/devices/${cam}/reference`]
  const viewsOf = (role: Role | 'nobody') => t.gw.audit.list({ action: 'picture.view', limit: 10_000 }).filter((e) => e.actor === (role === 'nobody' ? '' : as[role].username)).length
  for (const role of [...ROLES, 'nobody'] as const) {
    const viewedBefore = viewsOf(role)
    for (const path of paths) {
      const res = role === 'nobody' ? await fetch(`${t.httpUrl}${path}`) : await as[role].fetch(path)
      const may = role !== 'nobody' && roleMay(role, 'pictures.view')
      expect(res.status, `${role} ${path}`).toBe(may ? 200 : role === 'nobody' ? 401 : 403)
      const body = Buffer.from(await res.arrayBuffer())
      expect(body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff, `${role} ${path} is a JPEG`).toBe(may)
    }
    expect(viewsOf(role) - viewedBefore, role).toBe(role !== 'nobody' && roleMay(role, 'pictures.view') ? paths.length : 0)
  }
})
