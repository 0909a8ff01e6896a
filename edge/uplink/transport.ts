// What the uplink needs from the engine under it, and nothing more: publish one message with
// a stable id and learn whether it is stored (or was a duplicate), and receive this commune's
// commands. NATS JetStream is the engine (nats-transport.ts); RabbitMQ quorum queues would fit
// the same shape (shared/PROVINCE.md), so the choice stays open.

export interface Stored {
  /** The engine had this message id already (a retry after a lost acknowledgement or a restart). */
  duplicate: boolean
}

export interface Command {
  subject: string
  data: Uint8Array
  /** Tells the engine the command was handled; unacknowledged ones come back. */
  ack (): void
  /** Not handled now (the province did not answer a fetch, say): the engine offers it again after the delay. */
  nak (delayMs: number): void
}

/** An answer to a request: its bytes and headers (an error the province gives is a header, not an exception). */
export interface Reply { data: Uint8Array; headers: Record<string, string> }

export interface UplinkTransport {
  /** Resolves once the province stored the message; rejects when it did not say so in time. */
  publish (subject: string, payload: Uint8Array, msgId: string): Promise<Stored>
  /** Up to `max` commands addressed to this commune; resolves empty when none came in time. */
  pullCommands (max: number, waitMs: number): Promise<Command[]>
  /** Asks the province and waits for its one answer (not stored: the audio of a bulletin, a picture it asked for). */
  request (subject: string, payload: Uint8Array, timeoutMs: number, headers?: Record<string, string>): Promise<Reply>
  readonly connected: boolean
  close (): Promise<void>
}
