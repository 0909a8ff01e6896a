// The cameras' snapshots on the box's disk (issue #20): DATA_DIR/snapshots/<camera>/<ms>.jpg
// with a <ms>.thumb.jpg beside it, and the reference picture (reference.jpg, reference.json:
// which snapshot, who marked it and when). Folders 0700, files 0600, like the rest of the data
// folder (db/private-files.ts): these are pictures of people in the street (Luật 91/2025/QH15).
//
// Kept within a disk budget and a retention: older than `retentionDays` goes, a camera's latest
// picture too (the law's retention has no exception; checked at each new snapshot, at start and
// at the gateway's maintenance round, so a camera that stopped sending is covered); over
// budget, the oldest go first, but never a camera's latest picture nor any reference. Pictures never
// leave the box through this store: only the HTTP routes read them, and every read is audited.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../db/private-files.js'
import { notFound } from '../errors.js'

export interface SnapshotLimits {
  budgetBytes: number
  retentionDays: number
}

export interface ReferenceInfo {
  /** The snapshot that became the reference. */
  takenAt: number
  markedBy: string
  markedAt: number
}

interface Kept { at: number; bytes: number }

const NAME = /^(\d{1,15})\.jpg$/
const file = (at: number, thumb: boolean): string => `${at}${thumb ? '.thumb' : ''}.jpg`

export class SnapshotStore {
  /** Per camera, its snapshots oldest first. */
  private readonly kept = new Map<string, Kept[]>()
  private total = 0

  constructor (private readonly dir: string, private readonly limits: SnapshotLimits, private readonly now: () => number = Date.now) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
    this.scan()
    this.prune()
  }

  /** Bytes on disk (snapshots and thumbnails, not references). */
  get usedBytes (): number { return this.total }

  cameraCount (): number { return this.kept.size }

  keep (deviceId: string, at: number, jpeg: Buffer, thumbnail: Buffer): void {
    const folder = this.folder(deviceId, true)
    writeFileSync(join(folder, file(at, false)), jpeg, { mode: PRIVATE_FILE_MODE })
    writeFileSync(join(folder, file(at, true)), thumbnail, { mode: PRIVATE_FILE_MODE })
    const list = (this.kept.get(deviceId) ?? []).filter((k) => k.at !== at || ((this.total -= k.bytes), false)) // kept again: replaced
    list.push({ at, bytes: jpeg.length + thumbnail.length })
    list.sort((a, b) => a.at - b.at)
    this.kept.set(deviceId, list)
    this.total += jpeg.length + thumbnail.length
    this.prune()
  }

  /** The time of a camera's latest snapshot, or null. */
  latestAt (deviceId: string): number | null {
    return this.kept.get(deviceId)?.at(-1)?.at ?? null
  }

  times (deviceId: string): number[] {
    return (this.kept.get(deviceId) ?? []).map((k) => k.at)
  }

  /** One snapshot (or its thumbnail); NOT_FOUND when it was never kept or was pruned. */
  read (deviceId: string, at: number, thumb: boolean): Buffer {
    if (!this.kept.get(deviceId)?.some((k) => k.at === at)) throw notFound(`no snapshot of ${deviceId} at ${at}`)
    return readFileSync(join(this.folder(deviceId, false), file(at, thumb)))
  }

  /** Makes a kept snapshot the camera's reference picture, recording who and when. */
  markReference (deviceId: string, at: number, actor: string): ReferenceInfo {
    const folder = this.folder(deviceId, false)
    if (!this.kept.get(deviceId)?.some((k) => k.at === at)) throw notFound(`no snapshot of ${deviceId} at ${at}`)
    const info: ReferenceInfo = { takenAt: at, markedBy: actor, markedAt: this.now() }
    // Copied, not linked: pruning the snapshot must not take the reference with it.
    copyFileSync(join(folder, file(at, false)), join(folder, 'reference.jpg'))
    copyFileSync(join(folder, file(at, true)), join(folder, 'reference.thumb.jpg'))
    writeFileSync(join(folder, 'reference.json'), JSON.stringify(info), { mode: PRIVATE_FILE_MODE })
    return info
  }

  reference (deviceId: string): ReferenceInfo | null {
    try {
      return JSON.parse(readFileSync(join(this.folder(deviceId, false), 'reference.json'), 'utf8')) as ReferenceInfo
    } catch {
      return null
    }
  }

  /** The reference picture's file, for the comparison; null without one. */
  referencePath (deviceId: string): string | null {
    return this.reference(deviceId) ? join(this.folder(deviceId, false), 'reference.jpg') : null
  }

  readReference (deviceId: string, thumb: boolean): Buffer {
    if (!this.reference(deviceId)) throw notFound(`${deviceId} has no reference picture`)
    return readFileSync(join(this.folder(deviceId, false), thumb ? 'reference.thumb.jpg' : 'reference.jpg'))
  }

  remembers (deviceId: string): boolean {
    return this.kept.has(deviceId) || existsSync(this.folder(deviceId, false))
  }

  /** Drops a removed camera's pictures, reference included. */
  forget (deviceId: string): void {
    for (const k of this.kept.get(deviceId) ?? []) this.total -= k.bytes
    this.kept.delete(deviceId)
    rmSync(this.folder(deviceId, false), { recursive: true, force: true })
  }

  /** Everything past the retention, then oldest first while over budget, where a camera's latest stays. */
  prune (): void {
    const cutoff = this.now() - this.limits.retentionDays * 86_400_000
    const candidates: Array<{ deviceId: string; k: Kept; latest: boolean }> = []
    for (const [deviceId, list] of this.kept) {
      list.forEach((k, i) => candidates.push({ deviceId, k, latest: i === list.length - 1 }))
    }
    candidates.sort((a, b) => a.k.at - b.k.at)
    for (const { deviceId, k, latest } of candidates) {
      if (k.at >= cutoff && this.total <= this.limits.budgetBytes) break
      if (k.at < cutoff || !latest) this.remove(deviceId, k)
    }
  }

  private remove (deviceId: string, k: Kept): void {
    const folder = this.folder(deviceId, false)
    rmSync(join(folder, file(k.at, false)), { force: true })
    rmSync(join(folder, file(k.at, true)), { force: true })
    const list = this.kept.get(deviceId)!
    list.splice(list.indexOf(k), 1)
    if (list.length === 0) this.kept.delete(deviceId)
    this.total -= k.bytes
  }

  private folder (deviceId: string, create: boolean): string {
    // Device ids are checked by the registry ([a-z0-9_-]); this keeps any other from leaving the folder.
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(deviceId)) throw notFound(`no camera ${deviceId}`)
    const folder = join(this.dir, deviceId)
    if (create) mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR_MODE })
    return folder
  }

  private scan (): void {
    for (const entry of readdirSync(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      const list: Kept[] = []
      for (const name of readdirSync(join(this.dir, entry.name))) {
        const m = NAME.exec(name)
        if (!m) continue
        const at = Number(m[1])
        const size = (f: string) => { try { return statSync(join(this.dir, entry.name, f)).size } catch { return 0 } }
        list.push({ at, bytes: size(name) + size(file(at, true)) })
      }
      if (list.length === 0) continue
      list.sort((a, b) => a.at - b.at)
      this.kept.set(entry.name, list)
      for (const k of list) this.total += k.bytes
    }
  }
}
