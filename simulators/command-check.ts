// What a device makes of a message on its cmd topic, as one pure function: the request
// envelope (CommandRequest), its expiry, then the command itself against what the kind
// accepts (COMMANDS). Every refusal names its reason, as the reply's "reason" carries it.
import { COMMANDS, CommandRequest, describeIssues, type Command, type DeviceKind } from '../gateway/contract/index.js'

export type Verdict =
  | { verdict: 'ignore'; why: string }
  | { verdict: 'reject'; id: string; reason: string }
  | { verdict: 'run'; id: string; command: Command; expiresAt: number }

export function checkCommand (kind: DeviceKind, payload: Buffer | string, now: number): Verdict {
  let raw: unknown
  try {
    raw = JSON.parse(payload.toString())
  } catch {
    return { verdict: 'ignore', why: 'not JSON, so there is no id to answer to' }
  }
  const request = CommandRequest.safeParse(raw)
  if (!request.success) {
    const id = (raw as { id?: unknown } | null)?.id
    // A reply needs an id the contract accepts; without one the gateway could not match it.
    if (typeof id !== 'string' || id.length === 0 || id.length > 64) return { verdict: 'ignore', why: 'no usable id' }
    return { verdict: 'reject', id, reason: `invalid request: ${describeIssues(request.error).join('; ')}` }
  }
  const { id, name, params, expiresAt } = request.data
  // A stale command must not start (contract: expiresAt), whatever it is.
  if (expiresAt < now) return { verdict: 'reject', id, reason: 'expired' }
  const command = COMMANDS[kind].safeParse({ name, params })
  if (!command.success) {
    const unknown = command.error.issues.some((i) => i.path[0] === 'name')
    return {
      verdict: 'reject',
      id,
      reason: unknown ? `unknown command "${name}" for a ${kind}` : `invalid params: ${describeIssues(command.error).join('; ')}`
    }
  }
  return { verdict: 'run', id, command: command.data, expiresAt }
}
