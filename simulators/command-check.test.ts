import { describe, expect, it } from 'vitest'
import { checkCommand } from './command-check.js'

const now = 1_760_000_000_000
const request = (fields: Record<string, unknown>): string =>
  JSON.stringify({ id: 'c1', name: 'set_volume', params: { volume: 50 }, ts: now, expiresAt: now + 60_000, ...fields })

describe('what a device makes of a command', () => {
  it('runs a valid command for its kind', () => {
    expect(checkCommand('speaker', request({}), now)).toEqual({ verdict: 'run', id: 'c1', command: { name: 'set_volume', params: { volume: 50 } }, expiresAt: now + 60_000 })
  })

  it('rejects a command its kind does not take, naming it', () => {
    expect(checkCommand('camera', request({}), now)).toMatchObject({ verdict: 'reject', id: 'c1', reason: 'unknown command "set_volume" for a camera' })
  })

  it('rejects bad params, a stale command and a malformed envelope', () => {
    expect(checkCommand('speaker', request({ params: { volume: -1 } }), now)).toMatchObject({ verdict: 'reject', reason: expect.stringMatching(/^invalid params: params.volume/) as string })
    expect(checkCommand('speaker', request({ expiresAt: now - 1 }), now)).toMatchObject({ verdict: 'reject', reason: 'expired' })
    expect(checkCommand('speaker', request({ ts: 'yesterday' }), now)).toMatchObject({ verdict: 'reject', reason: expect.stringMatching(/^invalid request: ts/) as string })
  })

  it('cannot answer what has no id', () => {
    expect(checkCommand('speaker', 'not json', now).verdict).toBe('ignore')
    expect(checkCommand('speaker', JSON.stringify({ name: 'stop' }), now).verdict).toBe('ignore')
  })
})
