// Forgetting follows the registry (issue #16): every part that keeps state per device is
// listed once, and a removed device (through the API, the dashboard or the shell's
// `device remove`, seen by registry/shell-changes.ts) is forgotten by each of them on the
// registry's change event. A device added again under the same id then starts clean.
import type { Logger } from '../log.js'
import type { Registry } from './registry.js'

/** A part that remembers things per device id. */
export interface DeviceMemory {
  remembers (deviceId: string): boolean
  forget (deviceId: string): void
}

/** Forgets a removed device in every part; one part failing (a file that will not go) does not stop the others. */
export function forgetRemovedDevices (registry: Registry, parts: Readonly<Record<string, DeviceMemory>>, log: Logger): () => void {
  return registry.onChange((change) => {
    if (change.type !== 'removed') return
    for (const [part, memory] of Object.entries(parts)) {
      try {
        memory.forget(change.id)
      } catch (err) {
        log.warn({ err, deviceId: change.id, part }, 'a removed device was not wholly forgotten')
      }
    }
  })
}
