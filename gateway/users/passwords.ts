// Password hashing with scrypt (node:crypto, RFC 7914). Asynchronous: it runs on libuv's
// thread pool, so a login never stalls ingest on the event loop; through gates for the whole
// process (the pool is the process's too), so a login flood cannot take every thread from
// file reads (hash-gate.ts). Two lanes: checks against a real account's hash, and the dummy
// hash of a name nobody has (kept so the answer takes as long). A flood of invented names
// fills only its own lane; a real person's login waits behind real logins only. The stored form carries its parameters, so they can be
// raised later without invalidating existing hashes.
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { defaultGateLimits, HashGate } from './hash-gate.js'

// N=2^15, r=8: 32 MiB and about 50-100 ms per hash on a small box, OWASP's floor for scrypt.
const COST = { N: 2 ** 15, r: 8, p: 1 }
const KEY_BYTES = 32
// Half the pool hashes at most (defaultGateLimits), shared by the two lanes.
const budget = defaultGateLimits().running
const unknownRunning = Math.max(1, Math.floor(budget / 2))
export const hashGates = {
  /** Real accounts: logins, password changes, new hashes. */
  known: new HashGate({ running: Math.max(1, budget - unknownRunning), waiting: 8 }),
  /** Names nobody has: the dummy hash. */
  unknown: new HashGate({ running: unknownRunning, waiting: 4 })
} as const
export type HashLane = keyof typeof hashGates

function derive (password: string, salt: Buffer, options: { N: number; r: number; p: number }, lane: HashLane = 'known'): Promise<Buffer> {
  const params: ScryptOptions = { ...options, maxmem: 128 * options.N * options.r * 2 }
  return hashGates[lane].run(() => new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, params, (err, key) => err ? reject(err) : resolve(key))
  }))
}

export async function hashPassword (password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, COST)
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function passwordMatches (password: string, stored: string, lane: HashLane = 'known'): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) }, lane)
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A password people can type from a printout: 4 groups of 4 letters and digits, no look-alikes. */
export function generatePassword (): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  const chars = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)])
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-')
}
