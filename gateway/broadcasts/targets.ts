// Who hears a bulletin: the whole commune, villages, named groups of clusters, or single
// clusters, in any mix. Resolved to clusters when it airs, so a cluster added to a village
// since the bulletin was approved hears the next airing of a programme too.
import { z } from 'zod'
import type { Db } from '../db/database.js'
import { notFound, validationError } from '../errors.js'
import type { Device } from '../registry/device.js'
import type { Registry } from '../registry/registry.js'

const Name = z.string().trim().min(1).max(100)

export const Targets = z.strictObject({
  all: z.boolean().default(false),
  villages: z.array(Name).max(200).default([]),
  groups: z.array(Name).max(100).default([]),
  devices: z.array(z.string().min(1).max(64)).max(5000).default([])
}).refine((t) => t.all || t.villages.length + t.groups.length + t.devices.length > 0, 'choose the whole commune, villages, groups or clusters')
export type Targets = z.infer<typeof Targets>

export const GroupBody = z.strictObject({ devices: z.array(z.string().min(1).max(64)).min(1).max(5000) })

export interface SpeakerGroup { name: string; devices: string[]; updatedAt: number }

/** Named groups of clusters ("loa dọc quốc lộ", "loa chợ"), kept by officials. */
export class SpeakerGroups {
  constructor (private readonly db: Db, private readonly registry: Registry, private readonly now: () => number = Date.now) {}

  list (): SpeakerGroup[] {
    return this.db.prepare<[], { name: string; devices: string; updated_at: number }>('SELECT * FROM speaker_groups ORDER BY name').all()
      .map((r) => ({ name: r.name, devices: JSON.parse(r.devices) as string[], updatedAt: r.updated_at }))
  }

  get (name: string): SpeakerGroup | null {
    return this.list().find((g) => g.name === name) ?? null
  }

  set (name: string, devices: readonly string[]): SpeakerGroup {
    const clean = Name.parse(name)
    for (const id of devices) {
      if (this.registry.get(id)?.kind !== 'speaker') throw validationError(`${id} is not a registered loudspeaker cluster`)
    }
    this.db.prepare('INSERT OR REPLACE INTO speaker_groups (name, devices, updated_at) VALUES (?, ?, ?)')
      .run(clean, JSON.stringify([...new Set(devices)]), this.now())
    return this.get(clean)!
  }

  remove (name: string): void {
    if (this.db.prepare('DELETE FROM speaker_groups WHERE name = ?').run(name).changes === 0) throw notFound(`no group ${name}`)
  }
}

/** The enabled loudspeaker clusters a bulletin's targets name, each once. */
export function resolveTargets (targets: Targets, registry: Registry, groups: SpeakerGroups): Device[] {
  const speakers = registry.list({ kind: 'speaker' }).filter((d) => d.enabled)
  if (targets.all) return speakers
  const wanted = new Set(targets.devices)
  for (const name of targets.groups) {
    const group = groups.get(name)
    if (!group) throw validationError(`no group named ${name}`)
    for (const id of group.devices) wanted.add(id)
  }
  const villages = new Set(targets.villages)
  return speakers.filter((d) => wanted.has(d.id) || villages.has(d.village))
}

/** Refuses targets that name nothing that exists, before anyone approves them. */
export function checkTargets (targets: Targets, registry: Registry, groups: SpeakerGroups): void {
  const known = new Set(registry.list({ kind: 'speaker' }).map((d) => d.village))
  for (const v of targets.villages) if (!known.has(v)) throw validationError(`no loudspeaker cluster in village ${v}`)
  for (const id of targets.devices) if (registry.get(id)?.kind !== 'speaker') throw validationError(`${id} is not a registered loudspeaker cluster`)
  if (resolveTargets(targets, registry, groups).length === 0) throw validationError('these targets name no enabled loudspeaker cluster')
}
