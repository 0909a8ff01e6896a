// A command and where it stands, as the dispatcher stores it and the event bus carries it: a
// leaf, so the event vocabulary (events/events.ts) imports it without importing the dispatcher.
export const COMMAND_STATUSES = ['queued', 'sent', 'accepted', 'in_progress', 'done', 'failed', 'rejected', 'expired', 'timed_out'] as const
export type CommandStatus = (typeof COMMAND_STATUSES)[number]

export interface CommandRecord {
  id: string
  deviceId: string
  name: string
  params: Record<string, unknown>
  status: CommandStatus
  reason: string | null
  createdAt: number
  updatedAt: number
  expiresAt: number
  /** How long it may run after it started, before it counts as timed out. */
  runMs: number
}
