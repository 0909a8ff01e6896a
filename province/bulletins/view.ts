// What the province sees of its bulletins: per commune and per village, how many clusters
// played it in full, which did not and why, and which communes have not answered. The truth
// rules are the commune's (gateway/broadcasts/outcome.ts): "played" only when every targeted
// cluster of every target commune played it in full. A commune whose box was silent when the
// bulletin was sent (or where it could not be stored) shows at once as "not warned"; one that
// never answered within the time-to-live ends as not played.
import type pg from 'pg'

/** After the time-to-live, a box that never answered will not play it: its playing time and clock included. */
const ANSWER_MARGIN_MS = 10 * 60_000

export const COMMUNE_OUTCOMES = ['waiting', 'not_warned', 'airing', 'played', 'partly_played', 'not_played'] as const
export type CommuneOutcome = (typeof COMMUNE_OUTCOMES)[number]
const FINAL: ReadonlySet<CommuneOutcome> = new Set(['played', 'partly_played', 'not_played'])

export interface ClusterProof { deviceId: string; name: string | null; village: string; state: string; reason: string | null; attempts: number; startedAt: number | null; finishedAt: number | null }
export interface VillageProof { village: string; targeted: number; done: number; missed: ClusterProof[] }

export interface CommuneProof {
  commune: string; name: string; villagesAsked: string[] | null; reachable: boolean; publishedAt: number | null; publishError: string | null
  answeredAt: number | null; status: string | null; reason: string | null; outcome: CommuneOutcome; targeted: number; done: number; villages: VillageProof[]
}

export interface BulletinView {
  id: string; title: string; priority: string; text: string | null; audioSha256: string | null; status: string; origin: string
  createdBy: string; createdAt: number; approvedBy: string | null; approvedAt: number | null; decisionComment: string | null; sentAt: number | null
  ttlS: number; repeat: number; gapS: number; targets: unknown; details: unknown
  outcome: 'not_aired' | 'airing' | 'played' | 'partly_played' | 'not_played'; communes: CommuneProof[]
  counts: { communes: number; answered: number; played: number; notWarned: number; clusters: number; done: number }
}

interface TargetRow {
  commune: string; name: string; villages: string[] | null; reachable: boolean; published_at: string | null; publish_error: string | null
  answered_at: string | null; status: string | null; reason: string | null; summary: { outcome?: string; targeted?: number; done?: number } | null; deliveries: ClusterProof[] | null
}

const n = (v: string | null): number | null => (v === null ? null : Number(v))

function communeProof (t: TargetRow, expired: boolean): CommuneProof {
  const deliveries = t.deliveries ?? []
  const byVillage = new Map<string, VillageProof>()
  for (const d of deliveries) {
    const v = byVillage.get(d.village) ?? { village: d.village, targeted: 0, done: 0, missed: [] }
    v.targeted++
    if (d.state === 'done') v.done++
    else if (['failed', 'timed_out', 'expired'].includes(d.state)) v.missed.push(d)
    byVillage.set(d.village, v)
  }
  const outcome = ((): CommuneOutcome => {
    if (t.answered_at === null) return expired ? 'not_played' : (!t.reachable || t.publish_error !== null) ? 'not_warned' : 'waiting'
    if (t.status === 'expired' || t.status === 'refused') return 'not_played'
    const o = t.summary?.outcome
    if (o === 'played' || o === 'partly_played' || o === 'not_played') return o
    if (t.status === 'cancelled') return deliveries.some((d) => d.state === 'done') ? 'partly_played' : 'not_played'
    return expired ? 'not_played' : o === 'airing' ? 'airing' : 'waiting'
  })()
  return {
    commune: t.commune, name: t.name, villagesAsked: t.villages, reachable: t.reachable, publishedAt: n(t.published_at), publishError: t.publish_error,
    answeredAt: n(t.answered_at), status: t.status, reason: t.reason, outcome, targeted: deliveries.length,
    done: deliveries.filter((d) => d.state === 'done').length, villages: [...byVillage.values()].sort((a, b) => a.village.localeCompare(b.village, 'vi'))
  }
}

export async function bulletinList (pool: pg.Pool, limit = 100): Promise<BulletinView[]> {
  const ids = (await pool.query<{ id: string }>('SELECT id FROM province_bulletins ORDER BY created_at DESC LIMIT $1', [limit])).rows
  return (await Promise.all(ids.map((r) => bulletinView(pool, r.id)))).filter((b): b is BulletinView => b !== null)
}

export async function bulletinView (pool: pg.Pool, id: string, now = Date.now()): Promise<BulletinView | null> {
  const b = (await pool.query<{
    id: string; title: string; priority: string; text: string | null; audio_sha256: string | null; status: string; origin: string; created_by: string; created_at: string
    approved_by: string | null; approved_at: string | null; decision_comment: string | null; sent_at: string | null; ttl_s: number; repeat: number; gap_s: number; targets: unknown; details: unknown
  }>('SELECT * FROM province_bulletins WHERE id = $1', [id])).rows[0]
  if (!b) return null
  const targets = (await pool.query<TargetRow>(`SELECT t.*, coalesce(c.name, t.commune) AS name FROM province_bulletin_targets t LEFT JOIN communes c ON c.code = t.commune
    WHERE t.bulletin_id = $1 ORDER BY name`, [id])).rows
  const expired = b.sent_at !== null && now > Number(b.sent_at) + b.ttl_s * 1000 + ANSWER_MARGIN_MS
  const communes = targets.map((t) => communeProof(t, expired))
  const outcome = communes.length === 0 ? 'not_aired'
    : communes.some((c) => !FINAL.has(c.outcome)) ? 'airing'
      : communes.every((c) => c.outcome === 'played') ? 'played'
        : communes.some((c) => c.done > 0) ? 'partly_played' : 'not_played'
  return {
    id: b.id, title: b.title, priority: b.priority, text: b.text, audioSha256: b.audio_sha256, status: b.status, origin: b.origin, createdBy: b.created_by,
    createdAt: Number(b.created_at), approvedBy: b.approved_by, approvedAt: n(b.approved_at), decisionComment: b.decision_comment, sentAt: n(b.sent_at),
    ttlS: b.ttl_s, repeat: b.repeat, gapS: b.gap_s, targets: b.targets, details: b.details, outcome, communes,
    counts: {
      communes: communes.length, answered: communes.filter((c) => c.answeredAt !== null).length, played: communes.filter((c) => c.outcome === 'played').length,
      notWarned: communes.filter((c) => c.outcome === 'not_warned').length, clusters: communes.reduce((s, c) => s + c.targeted, 0), done: communes.reduce((s, c) => s + c.done, 0)
    }
  }
}
