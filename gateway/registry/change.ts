// What changed in the registry, as the event bus carries it: a leaf of types, so the event
// vocabulary (events/events.ts) imports it without importing the registry.
import type { Device } from './device.js'

export type RegistryChange =
  | { type: 'created' | 'updated'; device: Device }
  | { type: 'removed'; id: string }
  | { type: 'secret-rotated'; id: string }
