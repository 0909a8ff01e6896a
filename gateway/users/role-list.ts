// The roles people have, and their names. A leaf of plain data: the kinds' definitions say
// which roles watch each kind, and roles.ts builds the permissions on it.
export const ROLES = ['admin', 'police', 'official', 'operator'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_NAMES: Record<Role, { vi: string; en: string }> = {
  admin: { vi: 'Quản trị', en: 'Administrator' },
  police: { vi: 'Công an xã', en: 'Commune police' },
  official: { vi: 'Cán bộ UBND xã', en: 'Commune official' },
  operator: { vi: 'Vận hành', en: 'Operator' }
}
