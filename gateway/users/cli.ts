// `npm run gateway -- user <command>`: accounts from a terminal, for the first admin of a
// new box and for the day someone forgets a password. A password made here is temporary:
// its owner chooses a new one at the first login.
//
//   user add --username NAME --role admin|police|official|operator --name "Full name" [--language vi|en]
//   user list
//   user reset-password NAME
//   user remove NAME
import type { Db } from '../db/database.js'
import { AuditLog, shellUser } from './audit.js'
import { generatePassword } from './passwords.js'
import { ROLE_NAMES } from './roles.js'
import { Sessions } from './sessions.js'
import { Users } from './users.js'

export const USER_USAGE = `  user add --username NAME --role admin|police|official|operator --name "FULL NAME" [--language vi|en]
  user list
  user reset-password NAME
  user remove NAME`

export interface UserArgs { verb: string; arg?: string; username?: string; role?: string; name?: string; language?: string }

export async function runUserCommand (db: Db, args: UserArgs): Promise<number> {
  const users = new Users(db)
  const audit = new AuditLog(db)
  const log = (action: string, target: string) => audit.record({ actor: shellUser(), role: 'admin', action, target, details: { via: 'shell' }, address: null })
  const announce = (username: string, password: string) => {
    console.log(`${username}\tmật khẩu tạm / one-time password: ${password}`)
    console.log('Đổi mật khẩu ở lần đăng nhập đầu. / It must be changed at the first login.')
  }
  switch (args.verb) {
    case 'add': {
      const password = generatePassword()
      const user = await users.create({ username: args.username, displayName: args.name, role: args.role, language: args.language, password }, { mustChangePassword: true })
      log('user.create', user.username)
      announce(user.username, password)
      return 0
    }
    case 'list':
      for (const u of users.list()) {
        console.log(`${u.username}\t${u.role}\t${ROLE_NAMES[u.role].vi}\t${u.displayName}\t${u.enabled ? '' : 'disabled'}`)
      }
      return 0
    case 'reset-password': {
      const user = args.arg ? users.byUsername(args.arg) : null
      if (!user) { console.error(`no user ${args.arg ?? ''}`); return 1 }
      const password = generatePassword()
      await users.update(user.id, { password })
      new Sessions(db, { idleMs: 0, absoluteMs: 0 }).endAllOf(user.id)
      log('user.reset_password', user.username)
      announce(user.username, password)
      return 0
    }
    case 'remove': {
      const user = args.arg ? users.byUsername(args.arg) : null
      if (!user) { console.error(`no user ${args.arg ?? ''}`); return 1 }
      users.remove(user.id)
      log('user.remove', user.username)
      console.log(`removed ${user.username}`)
      return 0
    }
    default:
      return 2
  }
}
