// Bulletins from the province (issue #19), on the commune's box. The province publishes one on
// `down.<commune>.bulletin`; the box takes it only from its own command consumer (the uplink
// hands over nothing else), speaks its text here with espeak-ng or fetches its audio once
// over the uplink (checked by its SHA-256), and airs it through the broadcast engine as
// released, with its priority and preemption, marked as from the province. A box that was
// off gets it when it returns, while the time-to-live lasts; past it, the bulletin is not
// played and the province hears "expired". Every change of its deliveries goes up the proof
// lane as one snapshot (every cluster's state and reason), which the province keeps if newer.
import { z } from 'zod'
import { FetchError, fetchFromProvince, type Requester } from '../../edge/uplink/fetch.js'
import { PRIORITIES } from '../contract/index.js'
import type { Db } from '../db/database.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents } from '../events/events.js'
import type { Logger } from '../log.js'
import type { Registry } from '../registry/registry.js'
import { MAX_SPEECH_CHARS, MAX_UPLOAD_BYTES, VOICES, type AudioClip, type AudioLibrary } from './audio.js'
import type { BroadcastService } from './service.js'
import type { Broadcast, BroadcastStore } from './store.js'

/** Below this much time-to-live left, a bulletin is not worth starting: reported expired. */
const MIN_TTL_MS = 10_000
const Name = z.string().trim().min(1).max(100)

export const ProvincialBulletin = z.object({
  type: z.literal('bulletin'),
  id: z.string().uuid(),
  title: z.string().trim().min(1).max(128),
  priority: z.enum(PRIORITIES),
  /** Spoken here, as the commune's own bulletins are; or `audio`, fetched over the uplink. */
  text: z.string().trim().min(1).max(MAX_SPEECH_CHARS).optional(),
  voice: z.enum(Object.keys(VOICES) as [keyof typeof VOICES]).default('north'),
  audio: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().positive().max(MAX_UPLOAD_BYTES) }).optional(),
  /** The villages of this commune it is for; null: every cluster of the commune. */
  villages: z.array(Name).max(200).nullable(),
  repeat: z.number().int().min(1).max(5).default(1),
  gapS: z.number().min(0).max(60).default(0),
  ttlS: z.number().int().min(10).max(7 * 86_400),
  issuedAt: z.number().int().positive(),
  issuer: z.string().trim().min(1).max(200),
  createdBy: z.string().trim().min(1).max(100),
  approvedBy: z.string().trim().min(1).max(100).nullable()
}).refine((b) => (b.text === undefined) !== (b.audio === undefined), 'a bulletin carries either text or audio')
export type ProvincialBulletin = z.input<typeof ProvincialBulletin>

/** What goes up the proof lane for a bulletin from the province. */
export interface ProvincialProof {
  type: 'provincial'
  provincialId: string
  /** The commune's own broadcast; null when it never aired here. */
  broadcastId: string | null
  /** The broadcast's status, or why it never aired: expired on arrival, refused. */
  status: string
  reason: string | null
  summary: unknown
  deliveries: Array<{ deviceId: string; name: string | null; village: string; state: string; reason: string | null; attempts: number; startedAt: number | null; finishedAt: number | null }>
  /** Villages it named that have no cluster here. */
  unknownVillages?: string[]
}

export interface ProvincialParts {
  db: Db
  service: BroadcastService
  store: BroadcastStore
  audio: AudioLibrary
  registry: Registry
  bus: EventBus<GatewayEvents>
  uplink: {
    handleCommands (kind: string, handler: (body: unknown) => Promise<void>): void
    report (lane: 'proof', row: object): void
    readonly requester: Requester
  }
  log: Logger
  now?: () => number
}

export function startProvincialBulletins (parts: ProvincialParts): () => void {
  const now = parts.now ?? Date.now
  const report = (row: ProvincialProof): void => { parts.uplink.report('proof', row) }
  const off = parts.bus.on('broadcast', ({ broadcast }) => { if (broadcast.province) report(snapshot(parts, broadcast)) })
  parts.uplink.handleCommands('bulletin', (body) => take(parts, body, now(), report))
  // The province's basin map: which villages of other communes it warns for this box's stations,
  // and which stations upstream warn this commune. Kept (state.db kv) for the officials' reference.
  parts.uplink.handleCommands('basin', async (body) => {
    const map = body as { type?: unknown; stations?: unknown; upstream?: unknown } | null
    if (map?.type !== 'basin' || !Array.isArray(map.stations) || !Array.isArray(map.upstream)) { parts.log.warn('basin map from the province not understood; ignored'); return }
    parts.db.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)').run(BASIN_KEY, JSON.stringify({ stations: map.stations, upstream: map.upstream, at: now() }))
    parts.log.info({ stations: map.stations.length, upstream: map.upstream.length }, 'basin map from the province kept')
    await Promise.resolve()
  })
  return off
}

export const BASIN_KEY = 'province.basin'

/** The bulletin's deliveries of its latest airing, each cluster with its state and reason. */
function snapshot (parts: ProvincialParts, b: Broadcast): ProvincialProof {
  const summary = parts.store.summary(b.id)
  const deliveries = summary.airingAt === null ? [] : parts.store.deliveries(b.id, summary.airingAt)
  return {
    type: 'provincial', provincialId: b.province!.id, broadcastId: b.id, status: b.status, reason: b.cancelReason, summary,
    deliveries: deliveries.map((d) => ({
      deviceId: d.deviceId, name: parts.registry.get(d.deviceId)?.name ?? null, village: d.village, state: d.state, reason: d.reason,
      attempts: d.attempts, startedAt: d.startedAt, finishedAt: d.finishedAt
    }))
  }
}

const never = (provincialId: string, status: 'expired' | 'refused', reason: string, extra: Partial<ProvincialProof> = {}): ProvincialProof =>
  ({ type: 'provincial', provincialId, broadcastId: null, status, reason, summary: null, deliveries: [], ...extra })

/**
 * Takes one bulletin. Resolves once it is stored (or reported as never airing); rejects only
 * when asking again may help (the province did not answer the audio fetch), so the command
 * comes back.
 */
async function take (parts: ProvincialParts, body: unknown, at: number, report: (row: ProvincialProof) => void): Promise<void> {
  const parsed = ProvincialBulletin.safeParse(body)
  const id = typeof (body as { id?: unknown } | null)?.id === 'string' ? (body as { id: string }).id : 'unknown'
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    parts.log.error({ provincialId: id, why }, 'bulletin from the province not understood: not played, the province is told')
    report(never(id, 'refused', `not understood: ${why}`.slice(0, 500)))
    return
  }
  const m = parsed.data
  // A redelivered command (its acknowledgement was lost) must not air twice.
  if (parts.store.byProvinceId(m.id)) return
  const expiresAt = m.issuedAt + m.ttlS * 1000
  if (expiresAt - at < MIN_TTL_MS) {
    parts.log.warn({ provincialId: m.id, title: m.title, issuedAt: m.issuedAt }, 'bulletin from the province arrived after its time-to-live: not played, reported expired')
    report(never(m.id, 'expired', 'arrived after its time-to-live'))
    return
  }
  const withClusters = new Set(parts.registry.list({ kind: 'speaker' }).filter((d) => d.enabled).map((d) => d.village))
  const villages = m.villages === null ? null : m.villages.filter((v) => withClusters.has(v))
  const unknownVillages = m.villages?.filter((v) => !withClusters.has(v)) ?? []
  if (villages !== null ? villages.length === 0 : withClusters.size === 0) {
    parts.log.error({ provincialId: m.id, villages: m.villages }, 'bulletin from the province names no village with a loudspeaker cluster here: not played, the province is told')
    report(never(m.id, 'refused', 'no loudspeaker cluster in the villages named', { unknownVillages }))
    return
  }
  let clip: AudioClip
  try {
    clip = m.text !== undefined
      ? await parts.audio.speak(m.text, m.voice, 'tỉnh')
      : await parts.audio.upload((await fetchFromProvince(parts.uplink.requester, m.audio!.sha256, MAX_UPLOAD_BYTES)).data, 'tỉnh')
  } catch (err) {
    if (err instanceof FetchError && err.retryable) throw err
    parts.log.error({ err, provincialId: m.id }, 'bulletin from the province: its audio could not be made or checked; not played, the province is told')
    report(never(m.id, 'refused', `audio: ${(err as Error).message}`.slice(0, 500)))
    return
  }
  const ttlS = Math.floor((expiresAt - (parts.now ?? Date.now)()) / 1000)
  if (ttlS * 1000 < MIN_TTL_MS) { report(never(m.id, 'expired', 'its time-to-live ran out while its audio was fetched')); return }
  const b = parts.service.acceptFromProvince({
    title: m.title, priority: m.priority, clipId: clip.id, repeat: m.repeat, gapS: m.gapS, ttlS,
    targets: villages === null ? { all: true } : { villages }
  }, { id: m.id, issuer: m.issuer, createdBy: m.createdBy, approvedBy: m.approvedBy, issuedAt: m.issuedAt })
  parts.log.warn({ provincialId: m.id, broadcastId: b.id, priority: m.priority, villages: villages ?? 'all', unknownVillages }, 'bulletin from the province on air: waiting for every cluster to confirm it played')
}
