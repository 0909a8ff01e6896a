// Opening an SQLite file the way every part of the gateway needs it: WAL (readers never
// block the writer), a busy timeout (the CLI may hold the lock for a moment), and
// migrations in code, numbered by PRAGMA user_version.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { PRIVATE_DIR_MODE, privateFile } from './private-files.js'

export type Db = Database.Database

export interface OpenOptions {
  /**
   * FULL makes every commit survive a power cut (the journal needs that: its commit is
   * what a device's PUBACK promises). NORMAL survives a crash of the process.
   */
  synchronous: 'FULL' | 'NORMAL'
  migrations: readonly string[]
}

export function openDatabase (file: string, options: OpenOptions): Db {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE })
    privateFile(file)
  }
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.synchronous}`)
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  migrate(db, options.migrations)
  return db
}

function migrate (db: Db, migrations: readonly string[]): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    throw new Error(`database ${db.name} is at schema version ${current}, newer than this gateway (${migrations.length}); refusing to touch it`)
  }
  if (current === migrations.length) return
  // Foreign keys off while migrating, as SQLite's way of changing a table asks
  // (sqlite.org/lang_altertable.html#otheralter): rebuilding a table others reference would
  // otherwise delete their rows through ON DELETE CASCADE. The keys are checked before each
  // commit instead, and a migration that breaks one is rolled back. The pragma does nothing
  // inside a transaction, hence out here.
  db.pragma('foreign_keys = OFF')
  try {
    for (let version = current; version < migrations.length; version++) {
      db.transaction(() => {
        db.exec(migrations[version]!)
        const broken = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>
        if (broken.length > 0) throw new Error(`migration ${version + 1} of ${db.name} breaks ${broken.length} foreign key(s), e.g. ${broken[0]!.table} → ${broken[0]!.parent}`)
        db.pragma(`user_version = ${version + 1}`)
      })()
    }
  } finally {
    db.pragma('foreign_keys = ON')
  }
}
