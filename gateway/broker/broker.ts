// The MQTT broker: aedes with the gateway's rules for who may connect, publish and
// subscribe. Every device publish goes through Ingest inside authorizePublish, because in
// aedes 1.x that is the last hook before the PUBACK: `published` runs after the PUBACK is
// already written. So the acknowledgement waits for the journal commit here.
import { Aedes, type AedesPublishPacket, type AuthenticateError, type Client, type PublishPacket, type Subscription } from 'aedes'
import { topics } from '../contract/index.js'
import type { CommandRequest } from '../contract/index.js'
import type { Ingest } from '../ingest/ingest.js'
import type { Logger } from '../log.js'
import { clip, LogLimiter, warnLimited } from '../log-limit.js'
import { isDiskFull } from '../disk-full.js'
import { JournalFullError } from '../journal/journal.js'
import type { Presence } from '../presence/presence.js'
import type { Registry } from '../registry/registry.js'
import { scopeOfToken, type ApiToken, type ApiTokens } from '../users/api-tokens.js'
import type { Scope } from '../users/roles.js'
import { INTEGRATION_PREFIX, isIntegration, mayMirror, mirrorFilterAllowed, mirrorForwardAllowed } from './mirror.js'
import { InboundQos2, hookPersistence } from './session-state.js'

/** CONNACK return codes of MQTT 3.1.1 (MQTT 5 clients get the matching reason codes). */
const REFUSED = { IDENTIFIER: 2, BAD_CREDENTIALS: 4, NOT_AUTHORIZED: 5 } as const

export interface BrokerParts {
  registry: Registry
  ingest: Ingest
  presence: Presence
  log: Logger
  /** The device subscribed to its command topic. */
  onCommandSubscribe?: (deviceId: string) => void
  /** Integration tokens, for the read-only mirror's logins (mirror.ts); none: devices only. */
  tokens?: ApiTokens
  /** An integration logged in to the mirror (for the audit log). */
  onIntegrationLogin?: (token: ApiToken, address: string | null) => void
}

function refusal (returnCode: number, message: string): AuthenticateError {
  const err = new Error(message) as AuthenticateError
  err.returnCode = returnCode
  return err
}

/**
 * Where a device's message goes once ingest has it. In aedes, letting a PUBLISH through
 * authorizePublish means "forward it to subscribers and retain it as asked", whatever ingest
 * decided (a device could command another; an unknown topic could be retained for ever). The
 * gateway consumes every message itself, so none is forwarded: each goes to a topic nobody can
 * subscribe to, and only a device's own accepted status stays retained, as the contract asks.
 */
function confine (packet: PublishPacket, deviceId: string, accepted: boolean): void {
  if (accepted && packet.topic === topics.status(deviceId)) return
  packet.topic = CONSUMED_TOPIC
  packet.retain = false
}

/** Where consumed messages go: a `$` topic matches no wildcard [MQTT-4.7.2-1] and no device may subscribe to it. */
const CONSUMED_TOPIC = '$gateway/consumed'

export async function createBroker ({ registry, ingest, presence, log, onCommandSubscribe, tokens, onIntegrationLogin }: BrokerParts): Promise<Aedes> {
  const inboundQos2 = new InboundQos2()
  /** Logged-in integrations (client id "token:<name>") and what each may see. */
  const integrations = new Map<string, { scope: Scope; tokenId: number }>()
  // Client ids, topics and filters are the client's to size: clipped, and rate-limited per client and reason.
  const logLimit = new LogLimiter()
  const broker = await Aedes.createBroker({
    // Device ids are up to 64 characters (contract DeviceId).
    maxClientsIdLength: 64,
    // $SYS heartbeats are noise on a small box; nobody subscribes to them.
    heartbeatInterval: 10 * 60_000,

    authenticate (client: Client, username: string | undefined, password: Buffer | undefined, done) {
      if (!username || !password) return done(refusal(REFUSED.BAD_CREDENTIALS, 'username and password required'), false)
      // The client id must be the device id, so a session cannot be taken over by another device.
      if (client.id !== username) return done(refusal(REFUSED.IDENTIFIER, 'client id must equal the device id (username)'), false)
      if (isIntegration(username)) return integrationLogin(client, username, password.toString('utf8'), done)
      const device = registry.authenticate(username, password.toString('utf8'))
      if (!device) {
        warnLimited(log, logLimit, 'bad_credentials', client.id, { clientId: clip(client.id) }, 'refused connection: unknown device or wrong secret')
        return done(refusal(REFUSED.BAD_CREDENTIALS, 'unknown device or wrong secret'), false)
      }
      if (!device.enabled) return done(refusal(REFUSED.NOT_AUTHORIZED, 'device disabled'), false)
      // A last will is published by the gateway on the device's behalf: only its own status may be one.
      const will = (client as Client & { _will?: { topic: string } | null })._will
      if (will && will.topic !== topics.status(device.id)) {
        warnLimited(log, logLimit, 'will_refused', client.id, { clientId: clip(client.id) }, 'refused connection: last will outside the device\'s own status topic')
        return done(refusal(REFUSED.NOT_AUTHORIZED, 'the last will must be the device\'s own status topic'), false)
      }
      done(null, true)
    },

    authorizePublish (client: Client | null, packet: PublishPacket, done) {
      // A null client is a will left by another broker instance; this gateway runs one.
      if (!client) return done(new Error('no client'))
      // The mirror is read-only: an integration that publishes is disconnected.
      if (integrations.has(client.id)) return done(new Error('integrations publish nothing'))
      if (packet.topic.startsWith('$')) return done(new Error('$ topics are reserved'))
      // aedes keeps the pending will on the client (untyped) until it has been published.
      const origin = packet === (client as Client & { will?: unknown }).will ? 'will' : 'device'
      // [MQTT-4.3.3-2] A QoS 2 message re-sent before its PUBREL was ingested already.
      const qos2 = packet.qos === 2 && origin === 'device' ? packet.messageId ?? 0 : null
      if (qos2 !== null && !inboundQos2.begin(client.id, qos2)) {
        confine(packet, client.id, false)
        return done(null)
      }
      ingest.handle(client.id, packet.topic, packet.payload as Buffer, origin).then((verdict) => {
        // Accepted, the journal commit is done: acknowledge. Rejected: acknowledge too and
        // drop, so the device does not resend a bad message forever.
        confine(packet, client.id, verdict.accepted)
        done(null)
      }, (err: unknown) => {
        if (qos2 !== null) inboundQos2.end(client.id, qos2)
        // Journal or disk full, or failing: no PUBACK; closing the connection makes the device
        // keep the message and send it again after reconnecting. One line a minute per cause,
        // not one per message (a full disk wrote 166 MB of stack traces a minute).
        const cause = err instanceof JournalFullError ? 'journal_full' : isDiskFull(err) ? 'disk_full' : 'journal_failed'
        warnLimited(log, logLimit, cause, undefined, { clientId: clip(client.id), err: cause === 'journal_failed' ? err : (err as Error).message },
          'could not journal a message; closing the connection without acknowledging', 'error')
        done(err as Error)
      })
    },

    // Devices may subscribe only to their own command topic, where only the gateway publishes
    // (confine() sends any device's message elsewhere); this holds it for every delivery,
    // retained and queued ones included.
    authorizeForward (client: Client, packet: AedesPublishPacket) {
      const integration = integrations.get(client.id)
      if (integration) return mirrorForwardAllowed(integration.scope, packet.topic) ? packet : null
      return packet.topic === topics.command(client.id) ? packet : null
    },

    authorizeSubscribe (client: Client | null, subscription: Subscription, done) {
      if (client && integrations.has(client.id) ? mirrorFilterAllowed(subscription.topic) : client && subscription.topic === topics.command(client.id)) return done(null, subscription)
      warnLimited(log, logLimit, 'subscription_refused', client?.id, { clientId: clip(client?.id), topic: clip(subscription.topic) }, 'refused subscription outside the device\'s own command topic')
      done(null, null)
    }
  })

  // aedes keeps its persistence on the instance, untyped.
  hookPersistence((broker as Aedes & { persistence: Parameters<typeof hookPersistence>[0] }).persistence, inboundQos2)

  // A removed device, a replaced secret or a disabled device ends the session at once,
  // instead of at the next reconnect. (aedes keeps its clients in an untyped map.)
  registry.onChange((change) => {
    const id = change.type === 'removed' || change.type === 'secret-rotated' ? change.id : change.device.enabled ? null : change.device.id
    if (id) (broker as Aedes & { clients: Record<string, Client | undefined> }).clients[id]?.close()
  })
  broker.on('clientDisconnect', (client) => {
    if (integrations.delete(client.id)) return
    presence.lost(client.id, 'disconnected')
  })
  // A revoked token's mirror session ends at once, like a removed device's.
  tokens?.onRevoke((token) => (broker as Aedes & { clients: Record<string, Client | undefined> }).clients[`${INTEGRATION_PREFIX}${token.name}`]?.close())

  /** A token's login to the mirror: a live token that may read devices or alarms, no last will. */
  function integrationLogin (client: Client, username: string, password: string, done: (err: AuthenticateError | null, ok: boolean) => void): void {
    const address = (client.conn as { remoteAddress?: string } | undefined)?.remoteAddress ?? null
    const token = tokens?.use(password, address)
    if (!token || `${INTEGRATION_PREFIX}${token.name}` !== username) {
      warnLimited(log, logLimit, 'bad_credentials', client.id, { clientId: clip(client.id) }, 'refused integration login: unknown, expired or revoked token')
      return done(refusal(REFUSED.BAD_CREDENTIALS, 'unknown, expired or revoked token'), false)
    }
    const scope = scopeOfToken(token)
    if (!mayMirror(scope)) return done(refusal(REFUSED.NOT_AUTHORIZED, 'the token may read neither devices nor alarms'), false)
    if ((client as Client & { _will?: unknown })._will) return done(refusal(REFUSED.NOT_AUTHORIZED, 'integrations leave no last will'), false)
    integrations.set(client.id, { scope, tokenId: token.id })
    onIntegrationLogin?.(token, address)
    done(null, true)
  }
  // A device that announces itself before it subscribes would miss commands sent on its
  // "online": what waited for it is sent again once it listens.
  broker.on('subscribe', (subscriptions, client) => {
    if (client && subscriptions.some((s) => s.topic === topics.command(client.id))) onCommandSubscribe?.(client.id)
  })
  broker.on('clientError', (client, err) => warnLimited(log, logLimit, 'client_error', client.id, { clientId: clip(client.id), err: clip(err.message) }, 'client error'))
  broker.on('connectionError', (client, err) => warnLimited(log, logLimit, 'connection_error', client.id, { clientId: clip(client.id), err: clip(err.message) }, 'connection error'))
  return broker
}

/** Publishes a command to its device at QoS1 (not retained: a stale command must not wait in the broker). */
export function commandPublisher (broker: Aedes) {
  return (topic: string, request: CommandRequest): Promise<void> => new Promise((resolve, reject) => {
    broker.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(request)), qos: 1, retain: false, dup: false }, (err) => {
      if (err) reject(err)
      else resolve()
    })
  })
}
