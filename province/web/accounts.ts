// The province's own accounts, apart from any commune's: provincial staff (see everything,
// acknowledge province-wide alarms) and read-only viewers of one department (water: water
// levels; police: cameras; culture: loudspeakers and the broadcast log). Passwords are hashed
// as the gateway hashes its people's (scrypt); sessions are random tokens of which the
// database keeps only the SHA-256, with a CSRF token for writes.
import { createHash, randomBytes } from 'node:crypto'
import type pg from 'pg'
import { generatePassword, hashPassword, passwordMatches } from '../../gateway/users/passwords.js'

export const ROLES = ['staff', 'viewer'] as const
export type ProvinceRole = (typeof ROLES)[number]
export const DEPARTMENTS = { water: ['water_sensor'], police: ['camera'], culture: ['speaker'] } as const
export type Department = keyof typeof DEPARTMENTS
const ALL_KINDS = ['water_sensor', 'camera', 'speaker'] as const

/**
 * mayApprove: staff who release others' bulletins and send an emergency at once (issue #19).
 * mayRequestPictures: staff who may ask a commune for one camera's picture (issue #20; off by default).
 */
export interface ProvinceUser { username: string; name: string; role: ProvinceRole; department: Department | null; mayApprove: boolean; mayRequestPictures: boolean }

const SESSION_MS = 12 * 3_600_000
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/** Device kinds a person may see. */
export function kindsFor (user: ProvinceUser): readonly string[] {
  return user.role === 'staff' || !user.department ? ALL_KINDS : DEPARTMENTS[user.department]
}

export async function addUser (pool: pg.Pool, u: { username: string; name: string; role: string; department?: string | null; mayApprove?: boolean; mayRequestPictures?: boolean }): Promise<string> {
  if (!/^[a-z0-9._-]{3,32}$/.test(u.username)) throw new Error('username: 3-32 lowercase letters, digits, dots, dashes or underscores')
  if (!(ROLES as readonly string[]).includes(u.role)) throw new Error(`role must be one of ${ROLES.join(', ')}`)
  const department = u.department ?? null
  if (u.role === 'viewer' && (!department || !(department in DEPARTMENTS))) throw new Error(`a viewer needs --department ${Object.keys(DEPARTMENTS).join('|')}`)
  if (u.mayApprove === true && u.role !== 'staff') throw new Error('only staff may approve bulletins')
  if (u.mayRequestPictures === true && u.role !== 'staff') throw new Error('only staff may ask for camera pictures')
  const password = generatePassword()
  const res = await pool.query(`INSERT INTO province_users (username, name, role, department, password_hash, must_change, created_at, may_approve, may_request_pictures)
    VALUES ($1, $2, $3, $4, $5, false, $6, $7, $8) ON CONFLICT DO NOTHING`, [u.username, u.name, u.role, u.role === 'viewer' ? department : null, await hashPassword(password), Date.now(), u.mayApprove === true, u.mayRequestPictures === true])
  if (res.rowCount === 0) throw new Error(`user ${u.username} already exists`)
  return password
}

export async function login (pool: pg.Pool, username: string, password: string): Promise<{ token: string; csrf: string; user: ProvinceUser } | null> {
  const row = (await pool.query<ProvinceUser & { password_hash: string }>(
    'SELECT username, name, role, department, may_approve AS "mayApprove", may_request_pictures AS "mayRequestPictures", password_hash FROM province_users WHERE username = $1', [username])).rows[0]
  // Hash even for an unknown name, so the answer's timing does not tell which names exist.
  const ok = await passwordMatches(password, row?.password_hash ?? await hashPassword('x'.repeat(12)))
  if (!row || !ok) return null
  const token = randomBytes(32).toString('base64url')
  const csrf = randomBytes(24).toString('base64url')
  await pool.query('INSERT INTO province_sessions (token_hash, username, csrf, expires_at) VALUES ($1, $2, $3, $4)', [sha256(token), row.username, csrf, Date.now() + SESSION_MS])
  return { token, csrf, user: { username: row.username, name: row.name, role: row.role, department: row.department, mayApprove: row.mayApprove, mayRequestPictures: row.mayRequestPictures } }
}

export async function sessionUser (pool: pg.Pool, token: string | undefined): Promise<(ProvinceUser & { csrf: string }) | null> {
  if (!token) return null
  const row = (await pool.query<ProvinceUser & { csrf: string }>(
    `SELECT u.username, u.name, u.role, u.department, u.may_approve AS "mayApprove", u.may_request_pictures AS "mayRequestPictures", s.csrf FROM province_sessions s JOIN province_users u USING (username)
     WHERE s.token_hash = $1 AND s.expires_at > $2`, [sha256(token), Date.now()])).rows[0]
  return row ?? null
}

export async function logout (pool: pg.Pool, token: string): Promise<void> {
  await pool.query('DELETE FROM province_sessions WHERE token_hash = $1', [sha256(token)])
}
