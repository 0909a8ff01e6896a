// Accounts of the people who use the dashboard, in state.db. Passwords are scrypt hashes;
// a password given out by someone else (first admin, reset by an admin) must be changed at
// the next login.
import { z } from 'zod'
import type { Db } from '../db/database.js'
import { conflict, notFound, validationError } from '../errors.js'
import { describeIssues } from '../contract/index.js'
import { hashPassword, passwordMatches } from './passwords.js'
import { passwordWeakness } from './strength.js'
import { ROLES, type Role } from './roles.js'

export const LANGUAGES = ['vi', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

export interface User {
  id: number
  username: string
  displayName: string
  role: Role
  language: Language
  mustChangePassword: boolean
  enabled: boolean
  /** May release other people's bulletins, and send an emergency one without waiting (officials). */
  mayApprove: boolean
  createdAt: number
  updatedAt: number
}

interface Row {
  id: number
  username: string
  display_name: string
  role: Role
  password_hash: string
  must_change_password: number
  enabled: number
  language: Language
  may_approve: number
  created_at: number
  updated_at: number
}

export const Password = z.string().max(256).superRefine((password, ctx) => {
  const weakness = passwordWeakness(password)
  if (weakness) ctx.addIssue({ code: 'custom', message: weakness })
})
export const UserInput = z.strictObject({
  username: z.string().trim().regex(/^[a-zA-Z0-9._-]{2,40}$/, '2-40 letters, digits, ".", "_" or "-"'),
  displayName: z.string().trim().min(1).max(120),
  role: z.enum(ROLES),
  language: z.enum(LANGUAGES).default('vi'),
  mayApprove: z.boolean().default(false),
  password: Password
})
export type UserInput = z.input<typeof UserInput>
export const UserPatch = z.strictObject({
  displayName: z.string().trim().min(1).max(120).optional(),
  role: z.enum(ROLES).optional(),
  language: z.enum(LANGUAGES).optional(),
  enabled: z.boolean().optional(),
  mayApprove: z.boolean().optional(),
  /** Set by an admin: the user must change it at the next login. */
  password: Password.optional()
})
export type UserPatch = z.input<typeof UserPatch>

const toUser = (r: Row): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  language: r.language,
  mustChangePassword: r.must_change_password === 1,
  enabled: r.enabled === 1,
  mayApprove: r.may_approve === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at
})

function parsed<T extends z.ZodType> (schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw validationError(`invalid ${what}`, describeIssues(result.error))
  return result.data
}

export class Users {
  constructor (private readonly db: Db, private readonly now: () => number = Date.now) {}

  count (): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users').get()!.n
  }

  list (): User[] {
    return this.db.prepare<[], Row>('SELECT * FROM users ORDER BY role, username').all().map(toUser)
  }

  get (id: number): User | null {
    const row = this.db.prepare<[number], Row>('SELECT * FROM users WHERE id = ?').get(id)
    return row ? toUser(row) : null
  }

  require (id: number): User {
    const user = this.get(id)
    if (!user) throw notFound(`no user ${id}`)
    return user
  }

  byUsername (username: string): User | null {
    const row = this.db.prepare<[string], Row>('SELECT * FROM users WHERE username = ?').get(username)
    return row ? toUser(row) : null
  }

  async create (input: unknown, options: { mustChangePassword?: boolean } = {}): Promise<User> {
    const u = parsed(UserInput, input, 'user')
    if (this.byUsername(u.username)) throw conflict(`user ${u.username} already exists`)
    const hash = await hashPassword(u.password)
    const at = this.now()
    const { lastInsertRowid } = this.db.prepare(`
      INSERT INTO users (username, display_name, role, password_hash, must_change_password, language, may_approve, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(u.username, u.displayName, u.role, hash, options.mustChangePassword ? 1 : 0, u.language, Number(u.mayApprove), at, at)
    return this.require(Number(lastInsertRowid))
  }

  async update (id: number, patch: unknown): Promise<User> {
    const p = parsed(UserPatch, patch, 'user change')
    const user = this.require(id)
    if (user.role === 'admin' && ((p.role && p.role !== 'admin') || p.enabled === false) && this.activeAdmins() <= 1) {
      throw conflict('Quản trị viên cuối cùng không thể bị đổi vai trò hay bị tắt. / the last enabled admin cannot lose the role or be disabled')
    }
    const hash = p.password === undefined ? null : await hashPassword(p.password)
    this.db.prepare(`
      UPDATE users SET display_name = coalesce(?, display_name), role = coalesce(?, role), language = coalesce(?, language),
        enabled = coalesce(?, enabled), may_approve = coalesce(?, may_approve), password_hash = coalesce(?, password_hash),
        must_change_password = CASE WHEN ? IS NULL THEN must_change_password ELSE 1 END, updated_at = ?
      WHERE id = ?`).run(p.displayName ?? null, p.role ?? null, p.language ?? null,
      p.enabled === undefined ? null : Number(p.enabled), p.mayApprove === undefined ? null : Number(p.mayApprove), hash, hash, this.now(), id)
    return this.require(id)
  }

  /** Refuses to remove the last enabled admin: nobody could manage accounts any more. */
  requireRemovable (user: User): void {
    if (user.role === 'admin' && user.enabled && this.activeAdmins() <= 1) {
      throw conflict('Không thể xóa quản trị viên cuối cùng. / the last enabled admin cannot be removed')
    }
  }

  remove (id: number): void {
    this.requireRemovable(this.require(id))
    this.db.prepare('DELETE FROM users WHERE id = ?').run(id)
  }

  /** The user whose password this is, or null; a disabled account never matches. */
  async verify (username: string, password: string): Promise<User | null> {
    const row = this.db.prepare<[string], Row>('SELECT * FROM users WHERE username = ?').get(username)
    // Hash even for an unknown name, so the answer takes as long and does not reveal who exists.
    const ok = await passwordMatches(password, row?.password_hash ?? DUMMY_HASH, row ? 'known' : 'unknown')
    return row && ok && row.enabled === 1 ? toUser(row) : null
  }

  /** A user's own change: clears the must-change flag. */
  async setOwnPassword (id: number, password: string): Promise<void> {
    const weakness = passwordWeakness(password, this.require(id).username)
    if (weakness) throw validationError(`Mật khẩu mới quá yếu / the new password is too weak: ${weakness}`, [weakness])
    const hash = await hashPassword(parsed(Password, password, 'password'))
    this.db.prepare('UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?').run(hash, this.now(), id)
  }

  private activeAdmins (): number {
    return this.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND enabled = 1").get()!.n
  }
}

// scrypt of a random password nobody knows, with the same cost as real hashes.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
