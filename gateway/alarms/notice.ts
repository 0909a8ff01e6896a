// An alarm's change, as the event bus carries it: a leaf of types, so the event vocabulary
// (events/events.ts) imports it without importing the engine.
import type { Alarm } from './catalog.js'

/** `worsened`: a level alarm moved up a stage; people hear of it as of a new alarm (issue #15). */
export type AlarmChange = 'raised' | 'updated' | 'worsened' | 'acknowledged' | 'cleared' | 'escalated'
export interface AlarmNotice { alarm: Alarm; change: AlarmChange }
