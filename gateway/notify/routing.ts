// Who is told of an alarm. First notice: whoever the device's kind names (gateway/kinds/:
// the police for cameras, the operators for the water stations, the officials for
// loudspeakers), the officials and the police for whole villages, and the officials for every
// critical alarm. Unacknowledged, it goes to the officials (UBND) at the first escalation and
// to the admins at the second. Never to a role that may not see the alarm (roles.ts).
import type { Alarm } from '../alarms/catalog.js'
import { KINDS } from '../kinds/index.js'
import { roleSeesAlarm, type Role } from '../users/roles.js'

const VILLAGE_TOLD_FIRST: readonly Role[] = ['official', 'police']

export function rolesFor (alarm: Alarm, escalationLevel: number): Role[] {
  if (escalationLevel >= 2) return ['admin']
  if (escalationLevel === 1) return ['official']
  const roles = new Set<Role>(alarm.kind === null ? VILLAGE_TOLD_FIRST : KINDS[alarm.kind].toldFirst)
  if (alarm.severity === 'critical') roles.add('official')
  return [...roles].filter((role) => roleSeesAlarm(role, alarm))
}
