// The admin bearer token, for emergencies: the configured one, or one made at first start and
// kept in the data folder (0600).
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config/settings.js'

/** The configured admin token, or the one kept in the data folder (made on first start). */
export function adminTokenFor (config: Config): string {
  if (config.adminToken) return config.adminToken
  const file = join(config.dataDir, 'admin-token')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const token = randomBytes(24).toString('base64url')
  writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' })
  return token
}
