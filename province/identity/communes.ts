// Adding a commune: a new nkey user, its public key in PostgreSQL, the cluster's authorization
// file rewritten from every commune there. The seed leaves this function once, to be printed
// once and put on the box; the province keeps only the public key.
import { renameSync, writeFileSync } from 'node:fs'
import type pg from 'pg'
import { authConfig, checkCommuneCode, newUserKey, type NewKey } from './auth.js'

export interface NewCommune { code: string; name: string; basin?: string | null; lat?: number | null; lon?: number | null }

export class CommuneExistsError extends Error {
  constructor (code: string) {
    super(`commune "${code}" already exists; its seed was shown when it was added (to replace it, remove the commune and add it again)`)
    this.name = 'CommuneExistsError'
  }
}

export async function addCommune (pool: pg.Pool, c: NewCommune): Promise<NewKey> {
  checkCommuneCode(c.code)
  if (!c.name.trim()) throw new Error('a commune needs a name, e.g. "Xã Phong Thạnh"')
  const key = newUserKey()
  const res = await pool.query(`INSERT INTO communes (code, name, public_key, basin, lat, lon) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (code) DO NOTHING`, [c.code, c.name.trim(), key.publicKey, c.basin ?? null, c.lat ?? null, c.lon ?? null])
  if (res.rowCount === 0) throw new CommuneExistsError(c.code)
  return key
}

/** Rewrites the file every nats-server node includes (atomically: a node reloading mid-write reads the old one). */
export async function writeAuthFile (pool: pg.Pool, servicePublicKey: string, file: string): Promise<number> {
  const rows = (await pool.query<{ code: string; public_key: string }>('SELECT code, public_key FROM communes ORDER BY code')).rows
  writeFileSync(`${file}.tmp`, authConfig(servicePublicKey, rows.map((r) => ({ code: r.code, publicKey: r.public_key }))), { mode: 0o640 })
  renameSync(`${file}.tmp`, file)
  return rows.length
}
