// The password hashing gate: a few at once, a bounded queue, refusal at once beyond it.
import { expect, test } from 'vitest'
import { HashGate } from './hash-gate.js'

test('runs at most `running` hashes at once, queues `waiting` more, refuses the rest at once', async () => {
  const gate = new HashGate({ running: 2, waiting: 3 })
  const releases: Array<() => void> = []
  let started = 0
  const hash = () => { started++; return new Promise<string>((resolve) => releases.push(() => resolve('done'))) }
  const accepted = Array.from({ length: 5 }, () => gate.run(hash))
  await Promise.resolve()
  expect(started).toBe(2)
  expect(gate.busy).toEqual({ running: 2, waiting: 3 })
  // The sixth is refused while all five are still pending: nothing had to finish first.
  await expect(gate.run(hash)).rejects.toMatchObject({ code: 'GW_ERR_TOO_MANY_REQUESTS' })
  while (releases.length > 0) { releases.shift()!(); await new Promise((resolve) => setImmediate(resolve)) }
  expect(await Promise.all(accepted)).toEqual(['done', 'done', 'done', 'done', 'done'])
  expect(started).toBe(5)
  expect(gate.busy).toEqual({ running: 0, waiting: 0 })
})

test('a failing hash frees its turn for the next in line', async () => {
  const gate = new HashGate({ running: 1, waiting: 1 })
  const failing = gate.run(() => Promise.reject(new Error('scrypt failed')))
  const next = gate.run(() => Promise.resolve(42))
  await expect(failing).rejects.toThrow('scrypt failed')
  expect(await next).toBe(42)
  expect(gate.busy).toEqual({ running: 0, waiting: 0 })
})
