// The device registry: who may connect, what each device is and where it stands.
// Backed by state.db. Ingest looks a device up on every message, so `get` answers from a
// cache, which is dropped whenever this registry writes and whenever another connection (the
// CLI, writing to the same file) has committed: SQLite's data_version tells, looked at
// at most four times a second.
import { randomBytes } from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import { ID_PREFIX, type DeviceKind } from '../contract/index.js'
import type { Db } from '../db/database.js'
import { conflict, notFound, validationError } from '../errors.js'
import { generateSecret, hashSecret, secretMatches } from './credentials.js'
import type { RegistryChange } from './change.js'
import { DeviceInput, DevicePatch, type Device, type DeviceWithSecret, type Reservoir } from './device.js'
import { describeIssues } from '../contract/index.js'

interface Row {
  id: string
  kind: DeviceKind
  name: string
  commune: string
  village: string
  site: string | null
  legacy_district: string | null
  lat: number | null
  lon: number | null
  reservoir: string | null
  secret_salt: string
  secret_hash: string
  enabled: number
  firmware: string | null
  model: string | null
  firmware_changed_at: number | null
  created_at: number
  updated_at: number
}

export interface DeviceFilter {
  kind?: DeviceKind
  village?: string
  commune?: string
}

export type { RegistryChange } from './change.js'

export interface ImportResult {
  created: DeviceWithSecret[]
  /** Ids already registered: left exactly as they were, secrets unchanged. */
  skipped: string[]
}

function toDevice (r: Row): Device {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    commune: r.commune,
    village: r.village,
    site: r.site,
    legacyDistrict: r.legacy_district,
    lat: r.lat,
    lon: r.lon,
    reservoir: r.reservoir === null ? null : JSON.parse(r.reservoir) as Reservoir,
    enabled: r.enabled === 1,
    firmware: r.firmware,
    model: r.model,
    firmwareChangedAt: r.firmware_changed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at
  }
}

export class Registry {
  private readonly byId: Statement<[string], Row>
  private readonly insert: Statement<Record<string, unknown>>
  private readonly listeners = new Set<(change: RegistryChange) => void>()
  private readonly dataVersion: Statement<[], number>
  private readonly cache = new Map<string, Device | null>()
  private everyDevice: readonly Device[] | null = null
  private seenVersion = -1
  private versionCheckedAt = 0

  constructor (private readonly db: Db, private readonly defaultCommune: string, private readonly now: () => number = Date.now) {
    this.byId = db.prepare('SELECT * FROM devices WHERE id = ?')
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
    this.insert = db.prepare(`INSERT INTO devices
      (id, kind, name, commune, village, site, legacy_district, lat, lon, reservoir, secret_salt, secret_hash, created_at, updated_at)
      VALUES (@id, @kind, @name, @commune, @village, @site, @legacyDistrict, @lat, @lon, @reservoir, @salt, @hash, @now, @now)`)
  }

  onChange (listener: (change: RegistryChange) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  private changed (change: RegistryChange): void {
    this.clearCached()
    for (const listener of this.listeners) listener(change)
  }

  /** A change another process made (the CLI), found by `ShellChanges`: told to the listeners like one made here. */
  announce (change: RegistryChange): void {
    this.changed(change)
  }

  /** Drops the cached devices at once (another process has written). */
  forgetCached (): void {
    this.clearCached()
  }

  /** Drops what is cached when another process (the CLI) wrote; asking SQLite costs a statement, so a quarter second at most. */
  private checkVersion (): void {
    const now = Date.now()
    if (now - this.versionCheckedAt < 250) return
    this.versionCheckedAt = now
    const version = this.dataVersion.get()!
    if (version !== this.seenVersion) {
      this.clearCached()
      this.seenVersion = version
    }
  }

  private clearCached (): void {
    this.cache.clear()
    this.everyDevice = null
  }

  get (id: string): Device | null {
    this.checkVersion()
    let device = this.cache.get(id)
    if (device === undefined) {
      const row = this.byId.get(id)
      device = row ? Object.freeze(toDevice(row)) : null
      this.cache.set(id, device)
    }
    return device
  }

  require (id: string): Device {
    const device = this.get(id)
    if (!device) throw notFound(`no device ${id}`)
    return device
  }

  /** Ordered by village, kind and id. From memory: reading 10,000 rows from SQLite cost 50 ms, and the live overview lists every device each second. */
  list (filter: DeviceFilter = {}): Device[] {
    this.checkVersion()
    this.everyDevice ??= this.db.prepare<[], Row>('SELECT * FROM devices ORDER BY village, kind, id').all().map((row) => Object.freeze(toDevice(row)))
    const { kind, village, commune } = filter
    return this.everyDevice.filter((d) => (!kind || d.kind === kind) && (!village || d.village === village) && (!commune || d.commune === commune))
  }

  /** Every village a device stands in: the known list the admin picks from (issue #15). */
  villages (): string[] {
    return this.db.prepare<[], string>('SELECT DISTINCT village FROM devices').pluck().all().sort((a, b) => a.localeCompare(b, 'vi'))
  }

  count (): number {
    return (this.db.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n
  }

  /** Checks a device's credentials: the device when they match, else null (the broker checks `enabled`). */
  authenticate (id: string, secret: string): Device | null {
    const row = this.byId.get(id)
    if (!row || !secretMatches({ salt: row.secret_salt, hash: row.secret_hash }, secret)) return null
    return toDevice(row)
  }

  create (input: unknown): DeviceWithSecret {
    const parsed = DeviceInput.safeParse(input)
    if (!parsed.success) throw validationError('invalid device', describeIssues(parsed.error))
    const result = this.insertOne(parsed.data)
    this.changed({ type: 'created', device: result.device })
    return result
  }

  /**
   * Bulk import: every entry is checked first and nothing is written unless all are valid.
   * Devices already registered are skipped untouched, so the same inventory can be
   * imported again after rows are added to it.
   */
  importMany (inputs: readonly unknown[]): ImportResult {
    const problems: string[] = []
    const parsed: DeviceInput[] = []
    const seen = new Set<string>()
    inputs.forEach((input, i) => {
      const result = DeviceInput.safeParse(input)
      if (!result.success) {
        const id = (input as { id?: unknown } | null)?.id
        for (const issue of describeIssues(result.error)) problems.push(`entry ${i + 1}${typeof id === 'string' ? ` (${id})` : ''}: ${issue}`)
        return
      }
      if (result.data.id !== undefined) {
        if (seen.has(result.data.id)) problems.push(`entry ${i + 1}: id ${result.data.id} appears twice`)
        seen.add(result.data.id)
      }
      parsed.push(result.data)
    })
    if (problems.length > 0) throw validationError(`inventory has ${problems.length} problem(s); nothing was imported`, problems)

    const result: ImportResult = { created: [], skipped: [] }
    this.db.transaction(() => {
      for (const input of parsed) {
        if (input.id !== undefined && this.byId.get(input.id)) result.skipped.push(input.id)
        else result.created.push(this.insertOne(input))
      }
    })()
    for (const { device } of result.created) this.changed({ type: 'created', device })
    return result
  }

  private insertOne (input: DeviceInput): DeviceWithSecret {
    const id = input.id ?? freshId(ID_PREFIX[input.kind], (candidate) => this.byId.get(candidate) !== undefined)
    if (this.byId.get(id)) throw conflict(`device ${id} already exists`)
    const secret = generateSecret()
    const { salt, hash } = hashSecret(secret)
    this.insert.run({
      id,
      kind: input.kind,
      name: input.name,
      commune: input.commune ?? this.defaultCommune,
      village: input.village,
      site: input.site ?? null,
      legacyDistrict: input.legacyDistrict ?? null,
      lat: input.lat ?? null,
      lon: input.lon ?? null,
      reservoir: input.reservoir ? JSON.stringify(input.reservoir) : null,
      salt,
      hash,
      now: this.now()
    })
    this.cache.delete(id)
    return { device: this.require(id), secret }
  }

  update (id: string, patch: unknown): Device {
    const current = this.require(id)
    const parsed = DevicePatch.safeParse(patch)
    if (!parsed.success) throw validationError('invalid change', describeIssues(parsed.error))
    const p = parsed.data
    if (p.reservoir && current.kind !== 'water_sensor') throw validationError('only water sensors have a reservoir')
    const next = {
      name: p.name ?? current.name,
      commune: p.commune ?? current.commune,
      village: p.village ?? current.village,
      site: p.site === undefined ? current.site : p.site,
      legacyDistrict: p.legacyDistrict === undefined ? current.legacyDistrict : p.legacyDistrict,
      lat: p.lat === undefined ? current.lat : p.lat,
      lon: p.lon === undefined ? current.lon : p.lon,
      reservoir: p.reservoir === undefined ? current.reservoir : p.reservoir,
      enabled: p.enabled ?? current.enabled
    }
    if ((next.lat === null) !== (next.lon === null)) throw validationError('lat and lon go together')
    this.db.prepare(`UPDATE devices SET name = ?, commune = ?, village = ?, site = ?, legacy_district = ?, lat = ?, lon = ?,
      reservoir = ?, enabled = ?, updated_at = ? WHERE id = ?`).run(
      next.name, next.commune, next.village, next.site, next.legacyDistrict, next.lat, next.lon,
      next.reservoir ? JSON.stringify(next.reservoir) : null, next.enabled ? 1 : 0, this.now(), id)
    this.cache.delete(id)
    const device = this.require(id)
    this.changed({ type: 'updated', device })
    return device
  }

  /** Records what a device says it runs; the time of a change is kept (QCVN 135: update management). */
  noteFirmware (id: string, firmware: string | undefined, model: string | undefined): void {
    const current = this.get(id)
    if (!current) return
    const fw = firmware ?? current.firmware
    const md = model ?? current.model
    if (fw === current.firmware && md === current.model) return
    const changedAt = fw !== current.firmware ? this.now() : current.firmwareChangedAt
    this.db.prepare('UPDATE devices SET firmware = ?, model = ?, firmware_changed_at = ?, updated_at = ? WHERE id = ?')
      .run(fw, md, changedAt, this.now(), id)
    this.cache.delete(id)
    this.changed({ type: 'updated', device: this.require(id) })
  }

  rotateSecret (id: string): DeviceWithSecret {
    this.require(id)
    const secret = generateSecret()
    const { salt, hash } = hashSecret(secret)
    this.db.prepare('UPDATE devices SET secret_salt = ?, secret_hash = ?, updated_at = ? WHERE id = ?').run(salt, hash, this.now(), id)
    this.changed({ type: 'secret-rotated', id })
    return { device: this.require(id), secret }
  }

  remove (id: string): void {
    const { changes } = this.db.prepare('DELETE FROM devices WHERE id = ?').run(id)
    if (changes === 0) throw notFound(`no device ${id}`)
    this.changed({ type: 'removed', id })
  }
}

/** A new device id: the kind's prefix and 32 random bits, drawn again while taken (registering
 *  10,000 devices meets a taken one in about one inventory of a hundred: a benchmark did). */
export function freshId (prefix: string, taken: (id: string) => boolean, random: () => Buffer = () => randomBytes(4)): string {
  for (;;) {
    const id = `${prefix}-${random().toString('hex')}`
    if (!taken(id)) return id
  }
}
