// The journal's checkpoints, on their own connection and thread (checkpoints.ts says why).
// Plain JavaScript and no tsx: five lines of SQLite do not need a TypeScript loader in memory.
import { setInterval, clearInterval } from 'node:timers'
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const { file, everyMs } = workerData
const db = new Database(file)
// A checkpoint syncs the log before it copies it and the database file after: both survive a power cut.
db.pragma('synchronous = FULL')
const timer = setInterval(() => {
  // PASSIVE: copies what it can without waiting for the writer or making it wait. A failure
  // (a full disk) leaves the log to grow until the next round succeeds.
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch { /* tried again next round */ }
}, everyMs)

parentPort.once('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.postMessage('closed')
})
parentPort.postMessage('ready')
