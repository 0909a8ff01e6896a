// The embedded telemetry store's own thread (see worker-store.ts). Plain JavaScript, so it
// starts the same way under `npm start`, tsx and vitest: it registers tsx, then loads the
// TypeScript store.
import { parentPort, workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { SqliteTelemetryStore } = await import('./sqlite-store.ts')
const store = new SqliteTelemetryStore(workerData.file, workerData.retention)

parentPort.on('message', async ({ id, method, args }) => {
  try {
    parentPort.postMessage({ id, result: await store[method](...args) })
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err instanceof Error ? err.message : String(err), name: err?.name, code: err?.code } })
  }
})
parentPort.postMessage({ ready: true })
