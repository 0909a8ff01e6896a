// Bulletins in tests: officials who may or may not approve, audio made by the real ffmpeg,
// and waiting on a bulletin's deliveries through the API.
import { execFileSync } from 'node:child_process'
import { expect } from 'vitest'
import type { Delivery } from '../../gateway/broadcasts/store.js'
import type { TestGateway } from './gateway.js'
import { addUser, signIn, type SignedIn } from './people.js'

/** An official, signed in; with `mayApprove`, one who releases others' bulletins. */
export async function official (t: TestGateway, mayApprove = false): Promise<SignedIn> {
  const username = await addUser(t.gw, 'official')
  if (mayApprove) await t.gw.users.update(t.gw.users.byUsername(username)!.id, { mayApprove: true })
  return signIn(t.httpUrl, username)
}

/** A WAV tone of this many seconds, made by ffmpeg. */
export function tone (seconds: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-ac', '1', '-f', 'wav', '-'], { maxBuffer: 64 * 1024 * 1024 })
}

export async function upload (who: SignedIn, audio: Buffer, type = 'audio/wav'): Promise<{ id: string; durationMs: number }> {
  const res = await who.fetch('/api/audio', { method: 'POST', headers: { 'content-type': type }, body: audio })
  expect(res.status, await res.clone().text()).toBe(201)
  return await res.json() as { id: string; durationMs: number }
}

export async function post (who: SignedIn, path: string, body: unknown): Promise<Response> {
  return who.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

export async function json<T> (res: Response, status: number): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return JSON.parse(text) as T
}

/** The deliveries of a bulletin, by cluster id. */
export function deliveries (t: TestGateway, broadcastId: string): Record<string, Delivery> {
  return Object.fromEntries(t.gw.broadcasts.store.deliveries(broadcastId).map((d) => [d.deviceId, d]))
}
