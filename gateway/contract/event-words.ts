// What each device event means, in Vietnamese and English (issue #15: the device page said
// `stream_lost`): the words are the kind's definition's (gateway/kinds/), so a new event type
// comes with its words.
import { KINDS, type DeviceKind, type Words } from '../kinds/index.js'

/** The event's words, or its code when it is not known (a newer device firmware). */
export function eventName (kind: DeviceKind, type: string, lang: 'vi' | 'en'): string {
  return (KINDS[kind].events as Readonly<Record<string, Words | undefined>>)[type]?.[lang] ?? type
}
