// People in tests: accounts of each role made directly in the gateway, and signed-in
// HTTP clients that carry the session cookie and the CSRF token as the dashboard does.
import type { Gateway } from '../../gateway/app.js'
import type { Role } from '../../gateway/users/roles.js'

export interface SignedIn {
  username: string
  cookie: string
  csrf: string
  /** fetch() with the session cookie, and the CSRF header on writes. */
  fetch (path: string, init?: RequestInit): Promise<Response>
}

export const PASSWORD = 'mật-khẩu-thử-1234'

let counter = 0

export async function addUser (gw: Gateway, role: Role, options: { mustChangePassword?: boolean } = {}): Promise<string> {
  const username = `${role}${++counter}`
  await gw.users.create({ username, displayName: `Người thử ${counter}`, role, password: PASSWORD }, options)
  return username
}

export async function signIn (httpUrl: string, username: string, password = PASSWORD): Promise<SignedIn> {
  const res = await fetch(`${httpUrl}/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password })
  })
  if (res.status !== 201) throw new Error(`login of ${username} answered ${res.status}: ${await res.text()}`)
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!
  const { csrfToken } = await res.json() as { csrfToken: string }
  return {
    username,
    cookie,
    csrf: csrfToken,
    fetch (path, init = {}) {
      const headers = new Headers(init.headers)
      headers.set('cookie', cookie)
      if (init.method && init.method !== 'GET') headers.set('x-csrf-token', csrfToken)
      return fetch(`${httpUrl}${path}`, { ...init, headers })
    }
  }
}

export async function signInAs (gw: Gateway, httpUrl: string, role: Role): Promise<SignedIn> {
  return signIn(httpUrl, await addUser(gw, role))
}
