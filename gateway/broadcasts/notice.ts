// A bulletin's news, as the event bus carries it: a leaf of types, so the event vocabulary
// (events/events.ts) imports it without importing the service.
import type { Broadcast, Summary } from './store.js'

export interface BroadcastNotice { broadcast: Broadcast; summary: Summary }
