// GATEWAY_TRUST_PROXY: which reverse proxies may tell the gateway a client's address. "true"
// (trust every hop) is refused: then the client itself writes X-Forwarded-For, picks its own
// address in the audit log and escapes the login limit (issue #14). The value becomes
// express's "trust proxy" setting: false, a hop count, or a list of addresses and CIDRs.
import { isIP } from 'node:net'
import { z } from 'zod'

/** proxy-addr's names for address ranges, which express accepts in the list. */
const NAMED = ['loopback', 'linklocal', 'uniquelocal']

export type TrustProxy = false | number | string[]

function problemOf (entry: string): string | null {
  if (NAMED.includes(entry)) return null
  const [address, bits, extra] = entry.split('/')
  const family = isIP(address ?? '')
  if (family === 0 || extra !== undefined) return `"${entry}" is not an IP address or CIDR`
  if (bits === undefined) return null
  const max = family === 4 ? 32 : 128
  return /^\d+$/.test(bits) && Number(bits) <= max ? null : `"${entry}": the prefix length must be 0 to ${max}`
}

export const trustProxy = z.union([z.boolean(), z.number(), z.string()]).transform((value, ctx): TrustProxy => {
  const text = String(value).trim().toLowerCase()
  if (value === false || ['false', 'no', 'off', '0', ''].includes(text)) return false
  if (value === true || ['true', 'yes', 'on'].includes(text)) {
    ctx.addIssue({ code: 'custom', message: '"true" would trust every hop, so any client could forge its address; give the proxy\'s address or CIDR (e.g. 127.0.0.1 or 10.0.0.0/8) or the number of proxies in front (e.g. 1)' })
    return z.NEVER
  }
  if (/^\d+$/.test(text)) return Number(text)
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '')
  const problems = entries.map(problemOf).filter((p): p is string => p !== null)
  for (const message of problems) ctx.addIssue({ code: 'custom', message })
  return problems.length > 0 ? z.NEVER : entries
})
