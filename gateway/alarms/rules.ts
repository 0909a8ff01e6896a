// What a rule says, the vocabulary every kind's behaviour (gateway/kinds/behaviour/) speaks:
// per alarm type, "active" or not, with a severity and details. Rules are pure functions;
// the engine keeps the state and decides what to raise or clear, and the overview's
// "needs attention" reads the same conditions off a device's latest values (live/attention.ts).
import type { FieldValue } from '../kinds/index.js'
import type { AlarmType, Severity } from './catalog.js'

/** What a rule says of one alarm type now: raise or keep (active), or clear. */
export interface Condition {
  type: AlarmType
  active: boolean
  severity?: Severity
  details?: Record<string, unknown>
  /** When the condition began, if not now (an outage's start). */
  startedAt?: number
  /** The severity goes down as well as up with the condition (a level alarm follows the water). */
  followSeverity?: boolean
}

export type Fields = Readonly<Record<string, FieldValue>>
export const num = (v: FieldValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined)
