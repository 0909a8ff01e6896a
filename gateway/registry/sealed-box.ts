// Secrets the gateway must be able to read back (a camera's password: the probe has to
// send it) are sealed with AES-256-GCM under a key kept apart from the database, in
// DATA_DIR/secret.key (mode 0600, made at first start). A copy of state.db alone, a backup
// or a file sent for support, does not give away the police's camera passwords.
// The device id is the additional authenticated data: a sealed value copied onto another
// camera's row does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const VERSION = 'v1'
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16

export class SealedBox {
  private constructor (private readonly key: Buffer) {}

  /** The key of this data folder, made (random, 0600) when there is none yet. */
  static forDataDir (dataDir: string): SealedBox {
    const file = join(dataDir, 'secret.key')
    if (!existsSync(file)) writeFileSync(file, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
    if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte base64 key`)
    return new SealedBox(key)
  }

  seal (plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(context, 'utf8'))
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`
  }

  /** Throws when the value was not sealed by this key for this context. */
  open (sealed: string, context: string): string {
    const [version, data] = sealed.split(':')
    if (version !== VERSION || !data) throw new Error('unknown sealed format')
    const raw = Buffer.from(data, 'base64')
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES))
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
  }
}
