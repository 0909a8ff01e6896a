// One object of ours living on its own thread (node:worker_threads), called by message.
// better-sqlite3 is synchronous: what runs on the main thread stops the event loop that reads
// the devices' sockets and writes their PUBACKs, and a disk sync can take tens of milliseconds.
// The embedded store and the journal each own their SQLite connection on such a thread; the
// main thread only posts messages and gets promises back, answered in the order sent.
import { Worker } from 'node:worker_threads'

interface Reply { id: number; result?: unknown; error?: { message: string; name?: string; code?: string } }

export class ThreadCalls<Method extends string> {
  private readonly worker: Worker
  private readonly ready: Promise<void>
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private next = 0
  private failure: Error | null = null

  /** Builds `new module[exportName](...args)` on a new thread. */
  constructor (module: URL, exportName: string, args: unknown[]) {
    this.worker = new Worker(new URL('./thread-worker.mjs', import.meta.url), { workerData: { module: module.href, exportName, args } })
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve())
      this.worker.once('error', reject)
    })
    // A failed start is reported by the first call; until then nobody waits on it.
    this.ready.catch(() => undefined)
    this.worker.on('message', (reply: Reply) => {
      const call = this.pending.get(reply.id)
      if (!call) return
      this.pending.delete(reply.id)
      // The code tells a full disk (SQLITE_FULL) from a bug, across the thread boundary too.
      if (reply.error) call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name ?? 'Error', code: reply.error.code }))
      else call.resolve(reply.result)
    })
    this.worker.on('error', (err) => {
      this.failure = err
      for (const call of this.pending.values()) call.reject(err)
      this.pending.clear()
    })
  }

  /** Resolves once the object exists on its thread; rejects with what stopped it. */
  started (): Promise<void> { return this.ready }

  async call<T> (method: Method, ...args: unknown[]): Promise<T> {
    await this.ready
    if (this.failure) throw this.failure
    const id = ++this.next
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage({ id, method, args })
    })
  }

  async terminate (): Promise<void> {
    await this.worker.terminate()
  }
}
