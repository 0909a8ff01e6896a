// Where the journal's file is worked on: its own thread (the default), or the caller's when the
// uplink's tap must write its outbox rows inside the same commits (edge/uplink keeps its own
// statements on that connection). Both answer in the order asked, as promises.
import type { TelemetryPoint } from '../store/telemetry-store.js'
import type { ThreadCalls } from '../store/thread.js'
import type { JournalFile, JournalRow, JournalTotals } from './journal-file.js'

export interface JournalBackend {
  totals (): Promise<JournalTotals>
  commit (jsons: readonly string[], announced: number, points: readonly TelemetryPoint[]): Promise<number>
  read (after: number, upTo: number, limit: number): Promise<JournalRow[]>
  remove (upTo: number): Promise<void>
  quarantine (upTo: number, reason: string, at: number): Promise<void>
  close (announced: number): Promise<void>
}

type Method = 'totals' | 'commit' | 'read' | 'remove' | 'quarantine' | 'close'

export function onThread (thread: ThreadCalls<Method>): JournalBackend {
  return {
    totals: () => thread.call('totals'),
    // The texts as they are (issue #18, re-measured idle): posting an array of 1,000 JSON texts
    // costs this thread about 1 µs a text; joining them first 1.5 µs, into a transferred
    // Buffer 1.1-1.7 µs; cloning the point objects cost more.
    commit: (jsons, announced) => thread.call('commit', jsons, announced),
    read: (after, upTo, limit) => thread.call('read', after, upTo, limit),
    remove: (upTo) => thread.call('remove', upTo),
    quarantine: (upTo, reason, at) => thread.call('quarantine', upTo, reason, at),
    close: async (announced) => {
      try { await thread.call('close', announced) } finally { await thread.terminate() }
    }
  }
}

export function inThread (file: JournalFile): JournalBackend {
  // Promise.try is Node 22: a throw becomes a rejection, as it would across the thread.
  const later = <T>(work: () => T): Promise<T> => new Promise((resolve) => { resolve(work()) })
  return {
    totals: () => later(() => file.totals()),
    commit: (jsons, announced, points) => later(() => file.commit(jsons, announced, points)),
    read: (after, upTo, limit) => later(() => file.read(after, upTo, limit)),
    remove: (upTo) => later(() => { file.remove(upTo) }),
    quarantine: (upTo, reason, at) => later(() => { file.quarantine(upTo, reason, at) }),
    close: (announced) => later(() => { file.close(announced) })
  }
}
