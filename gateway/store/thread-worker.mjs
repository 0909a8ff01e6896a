// The thread behind ThreadCalls (thread.ts). Plain JavaScript, so it starts the same way under
// `npm start`, tsx and vitest: it registers tsx, then loads the TypeScript module it is given
// and answers each call in the order it came.
import { parentPort, workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { module, exportName, args } = workerData
const target = new (await import(module))[exportName](...args)

parentPort.on('message', async ({ id, method, args }) => {
  try {
    parentPort.postMessage({ id, result: await target[method](...args) })
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err instanceof Error ? err.message : String(err), name: err?.name, code: err?.code } })
  }
})
parentPort.postMessage({ ready: true })
