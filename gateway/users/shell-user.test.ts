import { userInfo } from 'node:os'
import { expect, test } from 'vitest'
import { shellUser } from './audit.js'

test('a shell change is recorded under the system account, or under the person behind sudo', () => {
  const me = userInfo().username
  expect(shellUser({})).toBe(me)
  expect(shellUser({ SUDO_USER: 'lan.nguyen' })).toBe(`lan.nguyen (sudo ${me})`)
  // sudo to oneself names one person once.
  expect(shellUser({ SUDO_USER: me })).toBe(me)
})
