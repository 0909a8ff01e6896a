// Tiếp sóng: a station's stream (HTTP or Icecast, MP3 or AAC) relayed to the clusters at set
// hours. The box fetches it once (one download over the rural uplink, whatever the number of
// clusters) and serves it as a live session (live.ts), so the clusters play it with the same
// command, priority and proof as a live voice. A source silent or dead for longer than the
// programme allows raises a village alarm and falls back to a chosen clip, or stops, as the
// official chose. Made by an official who may approve: its airings need no other approval.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { AlarmEngine } from '../alarms/engine.js'
import { PRIORITIES } from '../contract/index.js'
import type { Db } from '../db/database.js'
import { conflict, GatewayError, notFound, validationError } from '../errors.js'
import type { Logger } from '../log.js'
import type { Registry } from '../registry/registry.js'
import type { AudioLibrary } from './audio.js'
import type { LiveSessions } from './live.js'
import { isRecurring, nextAiring, Schedule } from './schedule.js'
import type { Actor, BroadcastService } from './service.js'
import type { BroadcastStore } from './store.js'
import { checkTargets, resolveTargets, Targets, type SpeakerGroups } from './targets.js'

export const RelaySpec = z.strictObject({
  title: z.string().trim().min(1).max(128),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  priority: z.enum(PRIORITIES).default('routine'),
  targets: Targets,
  schedule: Schedule,
  /** How long each airing lasts. */
  durationMin: z.number().int().min(1).max(12 * 60),
  /** Silence or a dead source this long is a lost source. */
  silenceS: z.number().int().min(2).max(600).default(30),
  /** Then: stop, or play this clip instead. */
  fallback: z.union([z.literal('stop'), z.strictObject({ clipId: z.string().uuid() })]).default('stop')
})
export type RelaySpec = z.infer<typeof RelaySpec>

export interface Relay { id: string; spec: RelaySpec; status: 'scheduled' | 'done' | 'cancelled'; nextAt: number | null; createdBy: string; createdAt: number }

interface Row { id: string; spec: string; status: Relay['status']; next_at: number | null; created_by: string; created_at: number }
const toRelay = (r: Row): Relay => ({ id: r.id, spec: JSON.parse(r.spec) as RelaySpec, status: r.status, nextAt: r.next_at, createdBy: r.created_by, createdAt: r.created_at })

export interface RelayParts {
  db: Db
  live: LiveSessions
  service: BroadcastService
  store: BroadcastStore
  audio: AudioLibrary
  registry: Registry
  groups: SpeakerGroups
  alarms: AlarmEngine
  log: Logger
  now?: () => number
}

export class Relays {
  private readonly now: () => number
  private ticking = false

  constructor (private readonly parts: RelayParts) {
    this.now = parts.now ?? Date.now
  }

  create (input: unknown, who: Actor): Relay {
    const parsed = RelaySpec.safeParse(input)
    if (!parsed.success) throw validationError('invalid relay', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
    if (!who.mayApprove) throw new GatewayError('FORBIDDEN', `${who.actor} may not set up a relay: only officials who may approve bulletins`)
    const spec = parsed.data
    checkTargets(spec.targets, this.parts.registry, this.parts.groups)
    if (spec.fallback !== 'stop') this.parts.audio.require(spec.fallback.clipId)
    const next = nextAiring(spec.schedule, this.now())
    if (next === null) throw validationError('this schedule has no airing left')
    const id = randomUUID()
    this.parts.db.prepare('INSERT INTO relays (id, spec, status, next_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, JSON.stringify(spec), 'scheduled', next, who.actor, this.now())
    return this.require(id)
  }

  list (): Relay[] {
    return this.parts.db.prepare<[], Row>('SELECT * FROM relays ORDER BY created_at DESC').all().map(toRelay)
  }

  require (id: string): Relay {
    const row = this.parts.db.prepare<[string], Row>('SELECT * FROM relays WHERE id = ?').get(id)
    if (!row) throw notFound(`no relay ${id}`)
    return toRelay(row)
  }

  cancel (id: string, who: Actor): Relay {
    const r = this.require(id)
    if (!who.mayApprove) throw new GatewayError('FORBIDDEN', `${who.actor} may not cancel a relay`)
    if (r.status !== 'scheduled') throw conflict(`the relay is already ${r.status}`)
    this.parts.db.prepare("UPDATE relays SET status = 'cancelled', next_at = NULL WHERE id = ?").run(id)
    return this.require(id)
  }

  /** Starts the airings that are due (the broadcast service's round calls this too often to matter). */
  async tick (): Promise<void> {
    if (this.ticking) return
    this.ticking = true
    try {
      const now = this.now()
      const due = this.parts.db.prepare<[number], Row>("SELECT * FROM relays WHERE status = 'scheduled' AND next_at <= ?").all(now).map(toRelay)
      for (const r of due) {
        const next = isRecurring(r.spec.schedule) ? nextAiring(r.spec.schedule, now + 60_000) : null
        this.parts.db.prepare('UPDATE relays SET status = ?, next_at = ? WHERE id = ?').run(next === null ? 'done' : 'scheduled', next, r.id)
        await this.air(r).catch((err: unknown) => this.parts.log.error({ err, relayId: r.id }, 'relay airing could not start'))
      }
    } finally {
      this.ticking = false
    }
  }

  private async air (r: Relay): Promise<void> {
    const { spec } = r
    const b = await this.parts.live.relay({ title: spec.title, priority: spec.priority, targets: spec.targets, limitMs: spec.durationMin * 60_000 }, {
      kind: 'url', url: spec.url, silenceS: spec.silenceS, lost: (why, broadcastId) => { this.lost(r, broadcastId, why).catch((err: unknown) => this.parts.log.error({ err, relayId: r.id }, 'relay fallback failed')) }
    }, r.createdBy)
    this.parts.log.info({ relayId: r.id, broadcastId: b.id, url: spec.url }, 'relay airing')
    this.villageAlarms(r, b.id, false, null)
  }

  /** The source went silent or died: the villages' alarm, then the fallback the official chose. */
  private async lost (r: Relay, broadcastId: string, why: 'silence' | 'source ended'): Promise<void> {
    const { spec } = r
    this.parts.log.warn({ relayId: r.id, broadcastId, url: spec.url, why, fallback: spec.fallback }, 'relayed station lost')
    this.villageAlarms(r, broadcastId, true, why)
    await this.parts.live.stop(broadcastId, null).catch(() => undefined)
    if (spec.fallback === 'stop') return
    const fallback = this.parts.store.insert({
      id: randomUUID(), title: spec.title, priority: spec.priority, clipId: spec.fallback.clipId, repeat: 1, gapS: 0, targets: spec.targets,
      schedule: { kind: 'now' }, ttlMs: spec.durationMin * 60_000, status: 'pending', token: randomUUID(), createdBy: r.createdBy, alarmId: null
    }, this.now())
    await this.parts.service.airLive(fallback.id, r.createdBy, `tiếp sóng mất nguồn, phát bản dự phòng / relay lost, fallback clip (${why})`)
  }

  private villageAlarms (r: Relay, broadcastId: string, active: boolean, why: string | null): void {
    const villages = new Set(resolveTargets(r.spec.targets, this.parts.registry, this.parts.groups).map((d) => d.village))
    for (const village of villages) {
      this.parts.alarms.reportVillage(village, { type: 'relay_source_lost', active, details: { relayId: r.id, broadcastId, title: r.spec.title, url: r.spec.url, why } })
    }
  }
}
