// One account per role for the demo, with fresh passwords printed at every start (the demo
// data folder outlives a run; a fixed password in the README would outlive the demo).
// Made before the gateway starts, so it does not make its own one-time "admin".
import { openState } from '../gateway/app.js'
import type { Config } from '../gateway/config/settings.js'
import { generatePassword } from '../gateway/users/passwords.js'
import type { Role } from '../gateway/users/roles.js'
import { Users } from '../gateway/users/users.js'

// Two officials: the commune's clerk drafts bulletins, its chairwoman approves them (and may
// send an emergency one at once).
export const DEMO_USERS: ReadonlyArray<{ username: string; role: Role; displayName: string; mayApprove?: boolean }> = [
  { username: 'quantri', role: 'admin', displayName: 'Quản trị viên' },
  { username: 'congan', role: 'police', displayName: 'Trung úy Nguyễn Văn An' },
  { username: 'canbo', role: 'official', displayName: 'Chủ tịch UBND xã Lê Thị Bình', mayApprove: true },
  { username: 'vanthu', role: 'official', displayName: 'Văn thư UBND xã Phạm Thu Hà' },
  { username: 'vanhanh', role: 'operator', displayName: 'Kỹ thuật viên Trần Văn Cường' }
]

export async function prepareDemoUsers (config: Config): Promise<Array<{ username: string; role: Role; password: string }>> {
  const db = openState(config)
  try {
    const users = new Users(db)
    const logins = []
    for (const demo of DEMO_USERS) {
      const password = generatePassword()
      const existing = users.byUsername(demo.username)
      if (existing) await users.setOwnPassword(existing.id, password)
      else await users.create({ ...demo, password })
      logins.push({ username: demo.username, role: demo.role, password })
    }
    return logins
  } finally {
    db.close()
  }
}
