// Integration tokens (issue #22): what a province's platform, Grafana or Node-RED uses instead
// of the admin token. Each is named, has separate grants (read devices and readings of chosen
// kinds, read alarms, acknowledge alarms, send bulletins), an expiry and a note. The token is
// shown once; state.db keeps its SHA-256 only (it is 32 random bytes: a salt or a slow hash adds
// nothing), its last use, and, once revoked, when and by whom (so audit entries under its name
// keep their meaning).
import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { describeIssues, DeviceKind } from '../contract/index.js'
import { DEVICE_KINDS } from '../kinds/index.js'
import type { Db } from '../db/database.js'
import { conflict, notFound, validationError } from '../errors.js'
import type { Permission, Scope } from './roles.js'

/** Each grant and the permissions it gives; approving bulletins is never one (roles.ts: mayApproveBulletins). */
export const GRANTS = {
  'devices.read': ['devices.read'],
  'alarms.read': ['alarms.read'],
  'alarms.acknowledge': ['alarms.read', 'alarms.acknowledge'],
  'broadcasts.send': ['broadcasts.read', 'broadcasts.compose']
} as const satisfies Record<string, readonly Permission[]>
export type Grant = keyof typeof GRANTS

/** Every token starts so: a leaked one is easy to find in a log or a repository. */
export const TOKEN_PREFIX = 'gwt_'
const MAX_DAYS = 2 * 365
const DAY_MS = 86_400_000
// Writing last use on every request would be a disk write per call; a minute is precise enough.
const TOUCH_EVERY_MS = 60_000

export const TokenInput = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, 'a name of 2-40 lowercase letters, digits, ".", "_" or "-"'),
  grants: z.array(z.enum(Object.keys(GRANTS) as [Grant])).min(1).max(4),
  /** The device kinds whose devices, readings and alarms the token sees. */
  kinds: z.array(DeviceKind).max(DEVICE_KINDS.length).default([]),
  expiresInDays: z.number().int().min(1).max(MAX_DAYS),
  note: z.string().trim().max(500).default('')
}).refine((t) => !t.grants.some((g) => g !== 'broadcasts.send') || t.kinds.length > 0, { path: ['kinds'], message: `say which device kinds the token sees (${DEVICE_KINDS.join(', ')})` })

export interface ApiToken {
  id: number
  name: string
  grants: Grant[]
  kinds: DeviceKind[]
  note: string
  createdBy: string
  createdAt: number
  expiresAt: number
  lastUsedAt: number | null
  lastUsedAddress: string | null
  revokedAt: number | null
  revokedBy: string | null
}

interface Row {
  id: number; name: string; token_hash: string; grants: string; kinds: string; note: string; created_by: string; created_at: number
  expires_at: number; last_used_at: number | null; last_used_address: string | null; revoked_at: number | null; revoked_by: string | null
}
const toToken = (r: Row): ApiToken => ({
  id: r.id, name: r.name, grants: JSON.parse(r.grants) as Grant[], kinds: JSON.parse(r.kinds) as DeviceKind[], note: r.note, createdBy: r.created_by,
  createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, lastUsedAddress: r.last_used_address, revokedAt: r.revoked_at, revokedBy: r.revoked_by
})
const digest = (token: string): string => createHash('sha256').update(token).digest('base64url')

/** What a token may do: its grants' permissions, over its kinds. */
export const scopeOfToken = (token: Pick<ApiToken, 'grants' | 'kinds'>): Scope =>
  ({ permissions: new Set(token.grants.flatMap((g) => GRANTS[g])), kinds: token.kinds })

export class ApiTokens {
  private readonly revokeListeners: Array<(token: ApiToken) => void> = []
  constructor (private readonly db: Db, private readonly now: () => number = Date.now) {}

  /** Called when a token is revoked (the MQTT mirror closes its session). */
  onRevoke (listener: (token: ApiToken) => void): void {
    this.revokeListeners.push(listener)
  }

  /** Makes a token; the secret is in this answer only. */
  create (input: unknown, createdBy: string): { token: ApiToken; secret: string } {
    const parsed = TokenInput.safeParse(input)
    if (!parsed.success) throw validationError('invalid token', describeIssues(parsed.error))
    const spec = parsed.data
    if (this.db.prepare('SELECT 1 FROM api_tokens WHERE name = ?').get(spec.name)) throw conflict(`a token named ${spec.name} exists (revoked ones keep their name)`)
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url')
    const at = this.now()
    const { lastInsertRowid } = this.db.prepare('INSERT INTO api_tokens (name, token_hash, grants, kinds, note, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(spec.name, digest(secret), JSON.stringify([...new Set(spec.grants)]), JSON.stringify([...new Set(spec.kinds)]), spec.note, createdBy, at, at + spec.expiresInDays * DAY_MS)
    return { token: this.require(Number(lastInsertRowid)), secret }
  }

  list (): ApiToken[] {
    return this.db.prepare<[], Row>('SELECT * FROM api_tokens ORDER BY revoked_at IS NOT NULL, name').all().map(toToken)
  }

  require (id: number): ApiToken {
    const row = this.db.prepare<[number], Row>('SELECT * FROM api_tokens WHERE id = ?').get(id)
    if (!row) throw notFound(`no token ${id}`)
    return toToken(row)
  }

  /** Stops a token at once; it stays listed. */
  revoke (id: number, by: string): ApiToken {
    const token = this.require(id)
    if (token.revokedAt !== null) return token
    this.db.prepare('UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?').run(this.now(), by, id)
    const revoked = this.require(id)
    for (const listener of this.revokeListeners) listener(revoked)
    return revoked
  }

  /** The live token this secret is, noting its use; null when unknown, expired or revoked. */
  use (secret: string, address: string | null): ApiToken | null {
    const row = this.db.prepare<[string], Row>('SELECT * FROM api_tokens WHERE token_hash = ?').get(digest(secret))
    const at = this.now()
    if (!row || row.revoked_at !== null || row.expires_at <= at) return null
    if (row.last_used_at === null || at - row.last_used_at >= TOUCH_EVERY_MS || row.last_used_address !== address) {
      this.db.prepare('UPDATE api_tokens SET last_used_at = ?, last_used_address = ? WHERE id = ?').run(at, address, row.id)
    }
    return toToken({ ...row, last_used_at: at, last_used_address: address })
  }
}
