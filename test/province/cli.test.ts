// "npm run province -- commune add": a new commune's key is made, its seed printed once and
// never stored, the cluster's authorization file rewritten and reloaded, and the box can then
// publish on its own subjects. Real PostgreSQL and a real 3-node cluster.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, nkeyAuthenticator } from 'nats'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { run } from '../../province/cli.js'
import { startPostgres, type LocalPostgres } from '../../province/dev/postgres.js'
import { READINGS_STREAM } from '../../province/nats/streams.js'
import { startTestProvince, type TestProvince } from '../support/province.js'

let province: TestProvince
let pgServer: LocalPostgres
let env: NodeJS.ProcessEnv
const dir = mkdtempSync(join(tmpdir(), 'province-cli-'))

beforeAll(async () => {
  [province, pgServer] = await Promise.all([startTestProvince([]), startPostgres()])
  writeFileSync(join(dir, 'service.seed'), province.serviceSeed, { mode: 0o600 })
  env = {
    PROVINCE_PG_URL: pgServer.url, PROVINCE_SERVICE_SEED_FILE: join(dir, 'service.seed'),
    PROVINCE_AUTH_FILE: province.cluster.authFile, PROVINCE_NATS_PID_FILES: province.cluster.pidFiles.join(',')
  }
}, 60_000)

afterAll(async () => {
  await province.stop()
  await pgServer.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function cli (...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  const error = vi.spyOn(console, 'error').mockImplementation(() => {})
  try {
    const code = await run(args, env)
    return { code, out: log.mock.calls.map((c) => c.join(' ')).join('\n'), err: error.mock.calls.map((c) => c.join(' ')).join('\n') }
  } finally {
    log.mockRestore()
    error.mockRestore()
  }
}

test('adding a commune prints its seed once, stores only its public key, and the box may then publish as itself', async () => {
  const added = await cli('commune', 'add', '--code', 'phong-thanh', '--name', 'Xã Phong Thạnh', '--basin', 'song-huong')
  expect(added.code).toBe(0)
  const seed = /seed: (SU[A-Z2-7]+)/.exec(added.out)?.[1]
  expect(seed).toBeDefined()
  const auth = readFileSync(province.cluster.authFile, 'utf8')
  expect(auth).not.toContain(seed)
  expect(auth).toContain('"up.phong-thanh.>"')
  const listed = await cli('commune', 'list')
  expect(listed.out).toMatch(/^phong-thanh\tXã Phong Thạnh\tsong-huong\tU[A-Z2-7]+$/m)
  expect(listed.out).not.toContain(seed)

  await expect.poll(async () => {
    const nc = await connect({ servers: province.cluster.urls, authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)), maxReconnectAttempts: 0, reconnect: false, inboxPrefix: '_INBOX_phong-thanh' }).catch(() => null)
    if (!nc) return false
    try {
      await nc.jetstream().publish('up.phong-thanh.readings', new TextEncoder().encode('{"rows":[]}'))
      return true
    } finally {
      await nc.close()
    }
  }, { timeout: 10_000 }).toBe(true)
  const info = await province.jsm.streams.info(READINGS_STREAM, { subjects_filter: 'up.phong-thanh.>' })
  expect(info.state.subjects?.['up.phong-thanh.readings']).toBe(1)
})

test('a commune added twice, a code that is not one subject token, or a missing setting get clear errors', async () => {
  const again = await cli('commune', 'add', '--code', 'phong-thanh', '--name', 'Xã khác')
  expect(again).toMatchObject({ code: 1 })
  expect(again.err).toMatch(/already exists/)
  expect(again.out).not.toMatch(/seed:/)
  for (const code of ['Phong Thanh', 'a.b', '*', '>', '']) {
    const bad = await cli('commune', 'add', '--code', code, '--name', 'Xã X')
    expect(bad.code).not.toBe(0)
    expect(bad.out).not.toMatch(/seed:/)
  }
  const saved = env
  env = { PROVINCE_PG_URL: pgServer.url }
  try {
    const missing = await cli('commune', 'add', '--code', 'xa-moi', '--name', 'Xã Mới')
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/PROVINCE_SERVICE_SEED_FILE is not set/)
  } finally {
    env = saved
  }
  expect((await cli('commune', 'fly')).code).toBe(2)
})
