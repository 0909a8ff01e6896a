// The journal's checkpoints off the commit path (issue #18). In WAL mode SQLite copies the log
// back into the database file every 1,000 pages, inside whichever commit crosses that line:
// that commit, and every PUBACK waiting on it, paid for copying megabytes and a sync of the
// database file (the slowest commits measured, up to 100 ms where the median is 1 ms). The
// journal's own connection never checkpoints now (journal-file.ts); a second connection on a
// thread of its own does, every second, without waiting for the writer or making it wait.
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'

export interface Checkpoints { stop (): Promise<void> }

export async function startCheckpoints (file: string, everyMs = 1000): Promise<Checkpoints> {
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { file, everyMs } })
  await once(worker, 'message')
  return {
    async stop () {
      worker.postMessage('stop')
      await once(worker, 'message')
      await worker.terminate()
    }
  }
}
