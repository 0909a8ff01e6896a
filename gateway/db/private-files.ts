// The data folder holds password hashes, sessions' CSRF tokens, the audit log, the key that
// opens camera passwords, the admin token and bulletin audio: only the gateway's own user
// may read it (issue #14 found state.db world-readable). The folder is 0700 and every file
// 0600, set when each is made; at start, a folder from an older version is tightened too.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/** Makes the folder (0700) if needed, and tightens it and everything in it. */
export function securePrivateFolder (dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  tighten(dir)
}

function tighten (dir: string): void {
  chmodSync(dir, PRIVATE_DIR_MODE)
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) tighten(path)
    else if (entry.isFile()) chmodSync(path, PRIVATE_FILE_MODE)
  }
}

/**
 * Makes an empty file 0600 before SQLite opens it, so the database starts private; SQLite
 * gives its -wal and -shm files the mode of the database file. An existing one is tightened.
 */
export function privateFile (path: string): void {
  if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE)
  else closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE))
}
