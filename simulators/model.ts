// What a simulated device kind must provide to the MQTT side (device.ts): readings,
// events and command handling, all in simulated time and free of any networking, so each
// model is tested as plain functions and objects.
import type { z } from 'zod'
import type { CommandOf, DeviceKind, EVENTS, TelemetryOf } from '../gateway/contract/index.js'

/** An event payload of a kind, derived from the contract's schema. */
export type EventOf<K extends DeviceKind> = z.infer<(typeof EVENTS)[K]>
export type EventTypeOf<K extends DeviceKind> = EventOf<K>['type']

/** Reboot is the same for every kind and is carried out by the device itself; play by its player (player.ts); snapshot by the device with its model's picture. */
export type ModelCommandOf<K extends DeviceKind> = Exclude<CommandOf<K>, { name: 'reboot' | 'play' | 'snapshot' }>

export type CommandOutcome = { status: 'done' } | { status: 'failed'; reason: string }

export interface DeviceModel<K extends DeviceKind> {
  readonly kind: K
  readonly firmware: string
  readonly model: string
  /** Advances the model to simulated time `simNow` and returns the reading there. */
  read(simNow: number): TelemetryOf<K>
  /** Events that happened since the last call, oldest first; the queue is emptied. */
  drainEvents(): Array<Omit<EventOf<K>, 'ts'>>
  /** Carries out a command the contract accepts for this kind. */
  apply(command: ModelCommandOf<K>, simNow: number): CommandOutcome
  /** A camera's picture now, a real JPEG (issue #20: answers the snapshot command). */
  snapshot?(simNow: number): Promise<Buffer>
  /** The device (re)started at `simNow`: uptime restarts and transient state is lost. */
  boot(simNow: number): void
}

/** The event queue every model keeps. */
export class EventQueue<K extends DeviceKind> {
  private items: Array<Omit<EventOf<K>, 'ts'>> = []

  push (type: EventTypeOf<K>, message?: string): void {
    this.items.push((message === undefined ? { type } : { type, message }) as Omit<EventOf<K>, 'ts'>)
  }

  drain (): Array<Omit<EventOf<K>, 'ts'>> {
    const out = this.items
    this.items = []
    return out
  }
}
