import { useEffect, useState } from 'preact/hooks'

// Calls to the gateway's REST API: JSON both ways, the session cookie sent by the browser,
// the CSRF token in a header on every change. Errors come back as ApiError with the
// gateway's code, so a view can say what went wrong in the reader's language.
export class ApiError extends Error {
  /** `details`: what the gateway adds to some refusals (a village's close matches, say). */
  constructor (readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message)
  }
}

let csrfToken: string | null = null
export const setCsrfToken = (token: string | null): void => { csrfToken = token }

/** Called when the session is gone (expired, logged out elsewhere): the app shows the login. */
let onSignedOut: () => void = () => undefined
export const whenSignedOut = (fn: () => void): void => { onSignedOut = fn }

/** `timeoutMs`: gives up (an ApiError with code TIMEOUT) when no answer came by then. */
export async function api<T> (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, timeoutMs?: number): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  // A file (bulletin audio) goes as it is, with its own type; anything else as JSON.
  const raw = body instanceof Blob
  if (body !== undefined) headers['content-type'] = raw ? body.type : 'application/json'
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken
  const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : raw ? body : JSON.stringify(body), credentials: 'same-origin', signal }).catch((err: Error) => {
    throw err.name === 'TimeoutError' ? new ApiError(0, 'TIMEOUT', `no answer from the gateway within ${timeoutMs} ms`) : err
  })
  if (res.status === 204) return undefined as T
  const data = await res.json().catch(() => null) as (T & { code?: string; message?: string; details?: unknown }) | null
  if (!res.ok) {
    if (res.status === 401 && path !== '/api/session') onSignedOut()
    throw new ApiError(res.status, data?.code ?? `HTTP_${res.status}`, data?.message ?? res.statusText, data?.details)
  }
  return data as T
}

export const get = <T>(path: string, timeoutMs?: number): Promise<T> => api<T>('GET', path, undefined, timeoutMs)

/** A list fetched when the path changes (none while it is null): null while loading, empty on failure. */
export function useList<T> (path: string | null): T[] | null {
  const [list, setList] = useState<T[] | null>(null)
  useEffect(() => {
    setList(null)
    if (path) get<T[]>(path).then(setList, () => setList([]))
  }, [path])
  return list
}
