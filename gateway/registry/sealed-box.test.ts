import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { SealedBox } from './sealed-box.js'

const dirs: string[] = []
const dir = () => { const d = mkdtempSync(join(tmpdir(), 'sealed-')); dirs.push(d); return d }
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

test('a sealed value opens with the same key and context, and its text is not in the sealed form', () => {
  const d = dir()
  const sealed = SealedBox.forDataDir(d).seal('Mật khẩu 12345', 'cam-001')
  expect(sealed).not.toContain('12345')
  expect(SealedBox.forDataDir(d).open(sealed, 'cam-001')).toBe('Mật khẩu 12345')
  expect(statSync(join(d, 'secret.key')).mode & 0o777).toBe(0o600)
})

test('another camera\'s row, another key or a changed byte does not open', () => {
  const d = dir()
  const box = SealedBox.forDataDir(d)
  const sealed = box.seal('pw', 'cam-001')
  expect(() => box.open(sealed, 'cam-002')).toThrow()
  expect(() => SealedBox.forDataDir(dir()).open(sealed, 'cam-001')).toThrow()
  const raw = Buffer.from(sealed.slice(3), 'base64')
  raw[raw.length - 1]! ^= 1
  expect(() => box.open(`v1:${raw.toString('base64')}`, 'cam-001')).toThrow()
})

test('a key file that is not a 32-byte key stops the start instead of sealing with a weak key', () => {
  const d = dir()
  writeFileSync(join(d, 'secret.key'), 'short\n')
  expect(() => SealedBox.forDataDir(d)).toThrow(/32-byte/)
  expect(readFileSync(join(d, 'secret.key'), 'utf8')).toBe('short\n')
})
