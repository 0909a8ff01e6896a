// Who is told of an alarm. First notice: the police for cameras, the operators for the water
// stations, the officials for loudspeakers and whole villages, and the officials for every
// critical alarm. Unacknowledged, it goes to the officials (UBND) at the first escalation and
// to the admins at the second. Never to a role that may not see the alarm (roles.ts).
import type { Alarm } from '../alarms/catalog.js'
import { roleSeesAlarm, type Role } from '../users/roles.js'

export function rolesFor (alarm: Alarm, escalationLevel: number): Role[] {
  if (escalationLevel >= 2) return ['admin']
  if (escalationLevel === 1) return ['official']
  const roles = new Set<Role>()
  switch (alarm.kind) {
    case 'camera': roles.add('police'); break
    case 'water_sensor': roles.add('operator'); break
    case 'speaker': roles.add('official'); break
    case null: roles.add('official'); roles.add('police'); break
  }
  if (alarm.severity === 'critical') roles.add('official')
  return [...roles].filter((role) => roleSeesAlarm(role, alarm))
}
