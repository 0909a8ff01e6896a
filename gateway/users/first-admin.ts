// A new box has nobody who can sign in. At the first start the gateway makes the account
// "admin" with a one-time password, printed once in the log; its first login must choose a
// new one. `npm run gateway -- user add` makes accounts from the shell instead.
import type { Logger } from '../log.js'
import type { AuditLog } from './audit.js'
import { generatePassword } from './passwords.js'
import type { Users } from './users.js'

export async function ensureFirstAdmin (users: Users, audit: AuditLog, log: Logger): Promise<void> {
  if (users.count() > 0) return
  const password = generatePassword()
  await users.create({ username: 'admin', displayName: 'Quản trị viên', role: 'admin', password }, { mustChangePassword: true })
  audit.record({ actor: 'system', role: null, action: 'user.create', target: 'admin', details: { firstStart: true }, address: null })
  log.warn({ username: 'admin', oneTimePassword: password }, 'first start: account "admin" created with a one-time password (shown only now); sign in and choose a new one')
}
