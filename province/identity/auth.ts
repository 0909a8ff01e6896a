// Who may do what on the provincial cluster. Each commune box is one nkey user that may
// publish only on its own subjects, read replies only under its own inbox prefix, and pull
// and acknowledge only its own command consumer. The province's services are one user with
// the whole subject space. The result is a nats-server "authorization" block, written to the
// file every node includes and reloaded (SIGHUP) when a commune is added.
import { createUser, fromSeed } from 'nkeys.js'
import { COMMUNE_CODE } from '../../edge/uplink/lanes.js'
import { COMMANDS_STREAM, commandConsumer, inboxPrefix } from '../../edge/uplink/nats-transport.js'

export interface CommuneIdentity {
  code: string
  /** The public nkey (U...); the seed is shown once and kept only on the box. */
  publicKey: string
}

export interface NewKey { publicKey: string; seed: string }

export function newUserKey (): NewKey {
  const kp = createUser()
  return { publicKey: kp.getPublicKey(), seed: new TextDecoder().decode(kp.getSeed()) }
}

export function checkCommuneCode (code: string): string {
  if (!COMMUNE_CODE.test(code)) throw new Error(`commune code "${code}": use lowercase letters, digits and dashes (one NATS subject token), e.g. "phong-thanh"`)
  return code
}

/** What one commune's box may publish and subscribe to. */
export function communePermissions (code: string): { publish: string[]; subscribe: string[] } {
  checkCommuneCode(code)
  const consumer = commandConsumer(code)
  return {
    publish: [
      `up.${code}.>`,
      `$JS.API.CONSUMER.MSG.NEXT.${COMMANDS_STREAM}.${consumer}`,
      `$JS.ACK.${COMMANDS_STREAM}.${consumer}.>`
    ],
    subscribe: [`${inboxPrefix(code)}.>`]
  }
}

const list = (items: string[]): string => `[${items.map((s) => JSON.stringify(s)).join(', ')}]`

export function authConfig (serviceKey: string, communes: readonly CommuneIdentity[]): string {
  const users = [`    { nkey: ${serviceKey} }`]
  for (const c of communes) {
    const p = communePermissions(c.code)
    users.push(`    { nkey: ${c.publicKey}, permissions: { publish: { allow: ${list(p.publish)} }, subscribe: { allow: ${list(p.subscribe)} } } }`)
  }
  return `# Written by the province's "commune add"; do not edit by hand.\nauthorization {\n  users: [\n${users.join(',\n')}\n  ]\n}\n`
}

/** The public key (U...) of a user seed (SU...), e.g. the province service's. */
export function publicKeyOf (seed: string): string {
  return fromSeed(new TextEncoder().encode(seed.trim())).getPublicKey()
}
