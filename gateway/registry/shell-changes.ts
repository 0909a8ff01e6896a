// Changes another process made to the registry (the `device` CLI on the box, writing to
// state.db while the gateway runs) reach the running gateway within a second, as the same
// change events its own API makes: a removed, disabled or re-keyed device loses its MQTT
// session, an imported one appears on the live dashboard.
//
// How it notices: SQLite's PRAGMA data_version changes on this connection when any *other*
// connection has committed to the file, and costs no I/O to ask; only then are the devices'
// signatures (a few hundred short rows) read and compared with the last ones. Chosen over a
// change-log table written by the CLI because nothing has to remember to write it: an
// older CLI, a restore script or a sqlite3 shell are noticed the same way, and the schema
// does not change.
import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/database.js'
import type { Registry, RegistryChange } from './registry.js'

const POLL_MS = 500

interface Signature { updatedAt: number; secretHash: string; enabled: number }
interface Row { id: string; updated_at: number; secret_hash: string; enabled: number }

/** What changed between two sets of signatures, as registry change events. */
export function diffDevices (
  before: ReadonlyMap<string, Signature>, after: ReadonlyMap<string, Signature>, device: (id: string) => ReturnType<Registry['get']>
): RegistryChange[] {
  const changes: RegistryChange[] = []
  for (const [id, now] of after) {
    const was = before.get(id)
    const current = device(id)
    if (!current) continue
    if (!was) changes.push({ type: 'created', device: current })
    else {
      if (was.secretHash !== now.secretHash) changes.push({ type: 'secret-rotated', id })
      if (was.enabled !== now.enabled || (was.updatedAt !== now.updatedAt && was.secretHash === now.secretHash)) changes.push({ type: 'updated', device: current })
    }
  }
  for (const id of before.keys()) if (!after.has(id)) changes.push({ type: 'removed', id })
  return changes
}

export class ShellChanges {
  private readonly dataVersion: Statement<[], number>
  private readonly signatures: Statement<[], Row>
  private readonly one: Statement<[string], Row>
  private known = new Map<string, Signature>()
  private seenVersion = -1
  private timer: NodeJS.Timeout | null = null
  private off: () => void = () => undefined

  constructor (db: Db, private readonly registry: Registry, private readonly pollMs = POLL_MS) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
    this.signatures = db.prepare('SELECT id, updated_at, secret_hash, enabled FROM devices')
    this.one = db.prepare('SELECT id, updated_at, secret_hash, enabled FROM devices WHERE id = ?')
  }

  start (): void {
    this.seenVersion = this.dataVersion.get()!
    this.known = this.read()
    // The gateway's own changes are announced where they are made: keep their signatures so
    // they are not announced a second time.
    this.off = this.registry.onChange((change) => {
      const id = change.type === 'removed' || change.type === 'secret-rotated' ? change.id : change.device.id
      const row = this.one.get(id)
      if (row) this.known.set(id, signature(row))
      else this.known.delete(id)
    })
    this.timer = setInterval(() => this.poll(), this.pollMs)
    this.timer.unref()
  }

  stop (): void {
    if (this.timer) clearInterval(this.timer)
    this.off()
  }

  /** Announces what another process changed since the last look; the changes, for tests. */
  poll (): RegistryChange[] {
    const version = this.dataVersion.get()!
    if (version === this.seenVersion) return []
    this.seenVersion = version
    const after = this.read()
    this.registry.forgetCached()
    const changes = diffDevices(this.known, after, (id) => this.registry.get(id))
    this.known = after
    for (const change of changes) this.registry.announce(change)
    return changes
  }

  private read (): Map<string, Signature> {
    return new Map(this.signatures.all().map((row) => [row.id, signature(row)]))
  }
}

const signature = (row: Row): Signature => ({ updatedAt: row.updated_at, secretHash: row.secret_hash, enabled: row.enabled })
