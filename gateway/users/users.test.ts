// Accounts, passwords and sessions on a real SQLite file, with a clock the test moves.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { openDatabase, type Db } from '../db/database.js'
import { STATE_MIGRATIONS } from '../db/state-schema.js'
import { generatePassword, hashPassword, passwordMatches } from './passwords.js'
import { Sessions } from './sessions.js'
import { Users } from './users.js'

let dir: string
let db: Db
let now = 1_800_000_000_000
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gw-users-'))
  db = openDatabase(join(dir, 'state.db'), { synchronous: 'NORMAL', migrations: STATE_MIGRATIONS })
})
afterEach(() => { db.close(); rmSync(dir, { recursive: true, force: true }) })

test('scrypt hashes are salted, carry their parameters and match only their password', async () => {
  const a = await hashPassword('một mật khẩu dài')
  const b = await hashPassword('một mật khẩu dài')
  expect(a).not.toBe(b)
  expect(a).toMatch(/^scrypt\$32768\$8\$1\$/)
  expect(await passwordMatches('một mật khẩu dài', a)).toBe(true)
  expect(await passwordMatches('một mật khẩu dài ', a)).toBe(false)
  expect(await passwordMatches('anything', 'md5$abc')).toBe(false)
  // Unicode normalisation: the same word typed as composed or decomposed characters.
  expect(await passwordMatches('mật khẩu dài lắm'.normalize('NFD'), await hashPassword('mật khẩu dài lắm'))).toBe(true)
  expect(generatePassword()).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)
})

test('usernames are unique regardless of case; bad input lists every problem', async () => {
  const users = new Users(db)
  await users.create({ username: 'CongAn', displayName: 'Công an', role: 'police', password: 'mật-khẩu-dài-1' })
  await expect(users.create({ username: 'congan', displayName: 'x', role: 'police', password: 'mật-khẩu-dài-1' })).rejects.toMatchObject({ code: 'GW_ERR_CONFLICT' })
  const err = await users.create({ username: 'a b', displayName: '', role: 'mayor', password: 'short' }).catch((e: unknown) => e) as { details: string[] }
  expect(err.details).toHaveLength(4)
  expect(users.byUsername('CONGAN')?.role).toBe('police')
})

test('a session ends when idle too long, and in any case after its maximum age', async () => {
  const users = new Users(db, () => now)
  const user = await users.create({ username: 'vanhanh', displayName: 'Vận hành', role: 'operator', password: 'mật-khẩu-dài-1' })
  const sessions = new Sessions(db, { idleMs: 60 * 60_000, absoluteMs: 24 * 60 * 60_000 }, () => now)
  const { token } = sessions.create(user, '::1')
  // Used every 50 minutes: kept alive by use...
  for (let i = 0; i < 20; i++) {
    now += 50 * 60_000
    expect(sessions.resume(token), `after ${(i + 1) * 50} min`).not.toBeNull()
  }
  // ...until a day after login, used or not.
  now += 5 * 60 * 60_000
  expect(sessions.resume(token)).toBeNull()
  const second = sessions.create(user, '::1')
  now += 61 * 60_000
  expect(sessions.resume(second.token)).toBeNull()
  expect(sessions.resume('never-issued')).toBeNull()
})

test('the database keeps only a hash of the session token', async () => {
  const user = await new Users(db).create({ username: 'canbo', displayName: 'Cán bộ', role: 'official', password: 'mật-khẩu-dài-1' })
  const { token } = new Sessions(db, { idleMs: 60_000, absoluteMs: 60_000 }).create(user, null)
  const rows = db.prepare('SELECT token_hash FROM sessions').all() as Array<{ token_hash: string }>
  expect(rows).toHaveLength(1)
  expect(rows[0]!.token_hash).not.toContain(token)
})

test('npm run gateway -- user add: a temporary password is printed and works once', async () => {
  const env = { ...process.env, GATEWAY_DATA_DIR: dir }
  const run = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'gateway/cli.ts', 'user', ...args], { env })
  const { stdout } = await run('add', '--username', 'truongcongan', '--role', 'police', '--name', 'Trưởng Công an xã')
  const password = /one-time password: (\S+)/.exec(stdout)?.[1]
  expect(password).toBeDefined()
  const user = await new Users(db).verify('truongcongan', password!)
  expect(user).toMatchObject({ role: 'police', mustChangePassword: true })
  expect((await run('list')).stdout).toContain('truongcongan\tpolice')
  const refused = await run('add', '--username', 'x', '--role', 'mayor', '--name', 'X').catch((e: { code: number; stderr: string }) => e)
  expect(refused).toMatchObject({ code: 1 })
  expect((refused as { stderr: string }).stderr).toContain('role')
}, 30_000)
