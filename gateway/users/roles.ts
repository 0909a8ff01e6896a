// Who may do what. Every REST route and every socket channel names one permission from this
// table; test/gateway/access-matrix.test.ts walks every route and channel for every role.
import type { AlarmType } from '../alarms/catalog.js'
import { DEVICE_KINDS, KINDS, type DeviceKind } from '../kinds/index.js'
import { ROLES, type Role } from './role-list.js'

export { ROLES, ROLE_NAMES, type Role } from './role-list.js'

/**
 * The device kinds each role watches (and may command): the admin every kind, the others the
 * kinds whose definition names them (`watchers`, gateway/kinds/). Police see the security
 * cameras, and only they (and the admin) do; officials run the loudspeakers and, because a
 * flood warning is theirs to broadcast, see the reservoirs too; operators watch the reservoirs.
 */
export const ROLE_KINDS: Record<Role, readonly DeviceKind[]> = Object.fromEntries(ROLES.map((role) =>
  [role, DEVICE_KINDS.filter((kind) => role === 'admin' || (KINDS[kind].watchers as readonly Role[]).includes(role))])) as unknown as Record<Role, readonly DeviceKind[]>

const EVERYONE = ROLES
const ADMIN = ['admin'] as const

export const PERMISSIONS = {
  /** The overview, device lists and details, history: filtered to the role's kinds. */
  'devices.read': EVERYONE,
  /** Commands to a device of one of the role's kinds. */
  'devices.command': EVERYONE,
  /** Registering, changing, removing devices and their credentials. */
  'devices.manage': ADMIN,
  'users.manage': ADMIN,
  /** Integration tokens: create, list, revoke (users/api-tokens.ts). */
  'tokens.manage': ADMIN,
  'audit.read': ADMIN,
  /** Alarms of the kinds the role watches, and village alarms. */
  'alarms.read': EVERYONE,
  /** Acknowledge them, with a comment (an integration token's "acknowledge alarms" grant). */
  'alarms.acknowledge': EVERYONE,
  /** Clear them, or comment on them. */
  'alarms.handle': EVERYONE,
  /** Thresholds and their overrides; the notification deliveries. */
  'alarms.configure': ADMIN,
  /** Bulletins, their deliveries and the broadcast log; groups of clusters. */
  'broadcasts.read': ['admin', 'official'],
  /** Compose (audio, speech), submit, cancel one's own; approving is mayApproveBulletins. */
  'broadcasts.compose': ['admin', 'official'],
  /**
   * Cameras' snapshots and reference pictures: pictures of people in the street, for the
   * police and the admin only, every view audited (issue #20; Luật 91/2025/QH15).
   */
  'pictures.view': ['admin', 'police'],
  /**
   * Marking a snapshot as what a camera should see: the police's judgement, not the admin's
   * (issue #20: "marking a reference (police only; other roles refused)").
   */
  'pictures.reference': ['police'],
  /** One's own session: who am I, log out, change my password. */
  'session.own': EVERYONE
} as const satisfies Record<string, readonly Role[]>

export type Permission = keyof typeof PERMISSIONS

export function roleMay (role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role)
}

export function roleSees (role: Role, kind: DeviceKind): boolean {
  return ROLE_KINDS[role].includes(kind)
}

/**
 * What a caller may do and which device kinds they see: a person's comes from their role, an
 * integration token's from its grants (users/api-tokens.ts). Routes ask the scope, never the
 * role, so a token is checked by the same code as a person.
 */
export interface Scope { permissions: ReadonlySet<Permission>; kinds: readonly DeviceKind[] }

const roleScope = (role: Role): Scope => ({ permissions: new Set((Object.keys(PERMISSIONS) as Permission[]).filter((p) => roleMay(role, p))), kinds: ROLE_KINDS[role] })
const ROLE_SCOPES = Object.fromEntries(ROLES.map((role) => [role, roleScope(role)])) as Record<Role, Scope>
export const scopeOfRole = (role: Role): Scope => ROLE_SCOPES[role]
export const scopeMay = (scope: Scope, permission: Permission): boolean => scope.permissions.has(permission)
export const scopeSees = (scope: Scope, kind: DeviceKind): boolean => scope.kinds.includes(kind)

/**
 * Who approves bulletins (releases, rejects or cancels other people's, sends an emergency one
 * without waiting): an official whose account says "may approve", and nobody else. Not the
 * admin, by account or token: what the commune's loudspeakers say is the People's
 * Committee's decision, and an admin holding both an account and the token would otherwise
 * be two people and approve their own bulletin. API, live channel and dashboard all ask this.
 */
export function mayApproveBulletins (role: Role | null, accountMayApprove: boolean): boolean {
  return role === 'official' && accountMayApprove
}

/**
 * Alarm types that only some roles see and handle, whatever their device kind. A bulletin's
 * clusters that did not confirm an emergency (broadcast_unconfirmed) are the officials'
 * business: acknowledging or clearing it stops its escalation, which police and operators
 * must not do (issue #14). A relayed station lost (relay_source_lost) is theirs too.
 */
const ALARM_TYPE_PERMISSION: Partial<Record<AlarmType, Permission>> = { broadcast_unconfirmed: 'broadcasts.read', relay_source_lost: 'broadcasts.read' }

/** Alarm types hidden from a caller (for queries). */
export function alarmTypesHiddenFrom (scope: Scope): AlarmType[] {
  return (Object.keys(ALARM_TYPE_PERMISSION) as AlarmType[]).filter((type) => !scopeMay(scope, ALARM_TYPE_PERMISSION[type]!))
}

/** Alarms of a device kind go to the callers that watch it; a village's alarms concern everyone, except the types above. */
export function scopeSeesAlarm (scope: Scope, alarm: { kind: DeviceKind | null; type: AlarmType }): boolean {
  const needs = ALARM_TYPE_PERMISSION[alarm.type]
  if (needs && !scopeMay(scope, needs)) return false
  return alarm.kind === null || scopeSees(scope, alarm.kind)
}
export const roleSeesAlarm = (role: Role, alarm: { kind: DeviceKind | null; type: AlarmType }): boolean => scopeSeesAlarm(scopeOfRole(role), alarm)
