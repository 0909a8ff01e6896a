// One gateway per data folder (issue #15): a second `npm run demo` or `npm start` on the same
// folder would run migrations, reset the demo's logins and drain one journal twice. The lock
// is an exclusive SQLite lock on DATA_DIR/gateway.lock, held by an open connection in
// EXCLUSIVE locking mode: the operating system drops it when the process ends, however it
// ends (SIGKILL, power cut), so there is no stale lock file to clear by hand. The `device`
// and `user` commands do not take it: they are meant to run beside a gateway.
import { resolve, join } from 'node:path'
import Database from 'better-sqlite3'
import { privateFile, securePrivateFolder } from './private-files.js'

export class DataFolderInUse extends Error {
  constructor (readonly dataDir: string) {
    super(`Thư mục dữ liệu ${dataDir} đang được một gateway hoặc demo khác dùng; hãy dừng nó trước, hoặc đặt GATEWAY_DATA_DIR sang thư mục khác. / ` +
      `the data folder ${dataDir} is in use by another gateway or demo: stop it first, or set GATEWAY_DATA_DIR to another folder`)
    this.name = 'DataFolderInUse'
  }
}

// Tests start gateways one after another (and the demo locks before its gateway does) in one
// process: the same folder locked twice here is counted, not refused.
const held = new Map<string, { db: Database.Database; count: number }>()

/** Takes the data folder for this process; returns the release. Throws DataFolderInUse. */
export function lockDataFolder (dataDir: string): () => void {
  const dir = resolve(dataDir)
  let entry = held.get(dir)
  if (!entry) {
    securePrivateFolder(dir)
    const path = join(dir, 'gateway.lock')
    privateFile(path)
    const db = new Database(path, { timeout: 0 })
    try {
      db.pragma('locking_mode = EXCLUSIVE')
      // Once written in EXCLUSIVE mode, the connection keeps the file's exclusive lock until it closes.
      db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder; COMMIT')
      db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid)
    } catch (err) {
      db.close()
      if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new DataFolderInUse(dataDir)
      throw err
    }
    entry = { db, count: 0 }
    held.set(dir, entry)
  }
  const mine = entry
  mine.count++
  let released = false
  return () => {
    if (released) return
    released = true
    if (--mine.count > 0) return
    mine.db.close()
    held.delete(dir)
  }
}
