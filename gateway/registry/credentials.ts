// Device secrets are generated here, 192 random bits, and shown once. Only a salted
// SHA-256 is stored. A slow KDF (scrypt, argon2) protects guessable human passwords; a
// random 192-bit secret cannot be guessed, and a slow hash would cost a second of CPU per
// hundred reconnecting devices after every power cut.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export interface StoredSecret {
  salt: string
  hash: string
}

export function generateSecret (): string {
  return randomBytes(24).toString('base64url')
}

function digest (salt: string, secret: string): Buffer {
  return createHash('sha256').update(salt).update('\0').update(secret).digest()
}

export function hashSecret (secret: string): StoredSecret {
  const salt = randomBytes(16).toString('base64url')
  return { salt, hash: digest(salt, secret).toString('base64url') }
}

export function secretMatches (stored: StoredSecret, secret: string): boolean {
  const expected = Buffer.from(stored.hash, 'base64url')
  const actual = digest(stored.salt, secret)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
