// Two promises of MQTT 3.1.1 that aedes 1.2 leaves to its persistence, kept here through the
// persistence's own interface (no fork of aedes):
// - QoS 2 is exactly once [MQTT-4.3.3]: a PUBLISH re-sent with DUP before the device's PUBREL
//   must not be ingested twice. aedes checks for duplicates only after authorizePublish, where
//   the gateway has already journaled the reading, so the gateway keeps its own list of the
//   packet ids it is receiving, released by the PUBREL (incomingDelPacket).
// - A message re-sent to a device on a resumed session carries DUP=1 [MQTT-3.3.1-1,
//   MQTT-4.4.0-1]: aedes re-sends the queued packets it had already given a packet id to, as
//   they were stored, with DUP=0.
import type { Readable } from 'node:stream'

/** The packet ids of QoS 2 messages received from each client and not yet released by PUBREL. */
export class InboundQos2 {
  private readonly pending = new Map<string, Set<number>>()

  /** False when this id is already being received from this client: a re-send to ignore. */
  begin (clientId: string, messageId: number): boolean {
    let ids = this.pending.get(clientId)
    if (!ids) this.pending.set(clientId, ids = new Set())
    if (ids.has(messageId)) return false
    ids.add(messageId)
    return true
  }

  /** PUBREL received, or the message was refused without a PUBREC: the id may be used again. */
  end (clientId: string, messageId: number): void {
    const ids = this.pending.get(clientId)
    ids?.delete(messageId)
    if (ids?.size === 0) this.pending.delete(clientId)
  }

  /** A clean session starts or ends: nothing of the old one is pending. */
  forget (clientId: string): void {
    this.pending.delete(clientId)
  }

  get size (): number {
    let n = 0
    for (const ids of this.pending.values()) n += ids.size
    return n
  }
}

interface ClientRef { id: string }
interface PacketRef { messageId?: number; dup?: boolean }
type Callback = (...args: unknown[]) => void
/** The part of an aedes persistence this module hooks into (it has both callback and promise forms). */
interface Persistence {
  incomingDelPacket (client: ClientRef, packet: PacketRef, cb?: Callback): unknown
  cleanIncoming?: (client: ClientRef, cb?: Callback) => unknown
  outgoingStream (client: ClientRef): Readable
}

/** Hooks the QoS 2 list and the DUP flag into aedes' persistence (broker.persistence). */
export function hookPersistence (persistence: Persistence, inbound: InboundQos2): void {
  const del = persistence.incomingDelPacket.bind(persistence)
  persistence.incomingDelPacket = (client, packet, cb) => {
    if (packet.messageId !== undefined) inbound.end(client.id, packet.messageId)
    return del(client, packet, cb)
  }
  const clean = persistence.cleanIncoming?.bind(persistence)
  if (clean) {
    persistence.cleanIncoming = (client, cb) => {
      inbound.forget(client.id)
      return clean(client, cb)
    }
  }
  const outgoing = persistence.outgoingStream.bind(persistence)
  persistence.outgoingStream = (client) => outgoing(client).map((packet: PacketRef) => {
    // A packet id is given when a message is first sent: a queued message that has one was
    // sent before and not acknowledged.
    if (packet.messageId) packet.dup = true
    return packet
  })
}
