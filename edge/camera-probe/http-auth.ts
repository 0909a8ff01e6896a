// HTTP-style authentication as RTSP (RFC 2326 §D.2) and HTTP cameras use it: Basic, and
// Digest with MD5 (RFC 2617, kept by RFC 7616). Cameras answer the first request with 401
// and a WWW-Authenticate challenge; the client computes the answer and repeats the request.
// Hikvision, Dahua and KBVision firmware offer Digest (often only Digest) on RTSP and on
// their HTTP snapshot URLs. Used by the probe and by the simulated cameras that check it.
import { createHash, randomBytes } from 'node:crypto'

export interface Credentials {
  username: string
  password: string
}

export interface Challenge {
  scheme: 'basic' | 'digest'
  realm: string
  nonce?: string
  opaque?: string
  qop?: string
  algorithm?: string
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex')

/** Reads `key=value` and `key="value"` pairs of an auth header (quoted values may hold commas). */
export function authParams (text: string): Record<string, string> {
  const params: Record<string, string> = {}
  for (const m of text.matchAll(/([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!
  }
  return params
}

/**
 * The strongest challenge we can answer among the WWW-Authenticate headers of a 401
 * (a camera may offer Digest and Basic): Digest MD5 first, since Basic sends the password
 * readable by anyone on the village network.
 */
export function pickChallenge (headers: readonly string[]): Challenge | null {
  let basic: Challenge | null = null
  for (const header of headers) {
    const space = header.indexOf(' ')
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase()
    const params = authParams(space < 0 ? '' : header.slice(space + 1))
    if (scheme === 'digest') {
      const algorithm = params.algorithm
      if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') continue // SHA-256 digest: not offered by these cameras
      return { scheme, realm: params.realm ?? '', nonce: params.nonce, opaque: params.opaque, qop: params.qop, algorithm }
    }
    if (scheme === 'basic') basic = { scheme, realm: params.realm ?? '' }
  }
  return basic
}

/** A Digest response value: MD5(HA1:nonce[:nc:cnonce:qop]:HA2) per RFC 2617 §3.2.2.1. */
export function digestResponse (o: {
  username: string; password: string; realm: string; method: string; uri: string; nonce: string
  qop?: string; nc?: string; cnonce?: string
}): string {
  const ha1 = md5(`${o.username}:${o.realm}:${o.password}`)
  const ha2 = md5(`${o.method}:${o.uri}`)
  return o.qop ? md5(`${ha1}:${o.nonce}:${o.nc}:${o.cnonce}:${o.qop}:${ha2}`) : md5(`${ha1}:${o.nonce}:${ha2}`)
}

/** The Authorization header answering a challenge for one request. */
export function authorization (challenge: Challenge, creds: Credentials, method: string, uri: string, nc = 1): string {
  if (challenge.scheme === 'basic') return 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64')
  const nonce = challenge.nonce ?? ''
  // "auth" when offered; "auth-int" (a hash of the body) is not used by cameras for these requests.
  const qop = challenge.qop?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined
  const ncHex = nc.toString(16).padStart(8, '0')
  const cnonce = randomBytes(8).toString('hex')
  const response = digestResponse({ ...creds, realm: challenge.realm, method, uri, nonce, qop, nc: ncHex, cnonce })
  const parts = [`username="${creds.username}"`, `realm="${challenge.realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, `response="${response}"`]
  if (challenge.algorithm) parts.push(`algorithm=${challenge.algorithm}`)
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`)
  if (qop) parts.push(`qop=${qop}`, `nc=${ncHex}`, `cnonce="${cnonce}"`)
  return 'Digest ' + parts.join(', ')
}

/**
 * The server side, for simulated cameras: does an Authorization header carry these
 * credentials? Basic is accepted only when `allowBasic` (many cameras turn it off).
 */
export function checkAuthorization (header: string | undefined, creds: Credentials, method: string, o: { realm: string; nonce: string; allowBasic: boolean }): boolean {
  if (!header) return false
  const space = header.indexOf(' ')
  const scheme = header.slice(0, space).toLowerCase()
  const rest = header.slice(space + 1)
  if (scheme === 'basic') {
    return o.allowBasic && Buffer.from(rest, 'base64').toString('utf8') === `${creds.username}:${creds.password}`
  }
  if (scheme !== 'digest') return false
  const p = authParams(rest)
  if (p.username !== creds.username || p.realm !== o.realm || p.nonce !== o.nonce || p.uri === undefined) return false
  const expected = digestResponse({ ...creds, realm: o.realm, method, uri: p.uri, nonce: o.nonce, qop: p.qop, nc: p.nc, cnonce: p.cnonce })
  return p.response === expected
}
