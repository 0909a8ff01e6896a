// Provincial bulletins (issue #19): a provincial official composes one (text the boxes speak
// in Vietnamese, or an uploaded file the boxes fetch once), targets communes (all, a list, or
// the communes of a river basin, and optionally their villages), and another who may approve
// releases it; an emergency may be sent at once by one who may approve. Releasing publishes
// one command per commune on `down.<commune>.bulletin` (the COMMANDS stream, 7 days): a box
// that is off gets it from its own consumer when it returns, and plays it while the
// time-to-live lasts. A commune whose box is silent at that moment is marked unreachable at
// once, so the province's view shows it "not warned" without waiting.
import { randomUUID } from 'node:crypto'
import type { JetStreamClient } from 'nats'
import type pg from 'pg'
import { z } from 'zod'
import { COMMUNE_CODE } from '../../edge/uplink/lanes.js'
import { MAX_SPEECH_CHARS, VOICES } from '../../gateway/broadcasts/audio.js'
import type { ProvincialBulletin } from '../../gateway/broadcasts/provincial.js'
import { PRIORITIES } from '../../gateway/contract/index.js'
import type { Logger } from '../../gateway/log.js'
import { ONLINE_MS } from '../web/queries.js'

export class BulletinError extends Error {
  constructor (readonly statusCode: 400 | 403 | 404 | 409, message: string) { super(message); this.name = 'BulletinError' }
}

const Village = z.string().trim().min(1).max(100)
export const BulletinTargets = z.strictObject({
  all: z.boolean().default(false),
  communes: z.array(z.string().regex(COMMUNE_CODE)).max(500).default([]),
  basin: z.string().trim().min(1).max(100).optional(),
  /** Per commune, only these villages; a commune not named here hears it everywhere. */
  villages: z.record(z.string().regex(COMMUNE_CODE), z.array(Village).min(1).max(200)).default({})
}).refine((t) => t.all || t.communes.length > 0 || t.basin !== undefined, 'choose all communes, a list of communes or a river basin')

export const BulletinInput = z.strictObject({
  title: z.string().trim().min(1).max(128),
  priority: z.enum(PRIORITIES),
  text: z.string().trim().min(1).max(MAX_SPEECH_CHARS).optional(),
  voice: z.enum(Object.keys(VOICES) as [keyof typeof VOICES]).default('north'),
  audioSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  targets: BulletinTargets,
  repeat: z.number().int().min(1).max(5).default(1),
  gapS: z.number().min(0).max(60).default(0),
  ttlS: z.number().int().min(60).max(7 * 86_400).default(3600),
  action: z.enum(['draft', 'submit', 'send']).default('submit')
}).refine((b) => (b.text === undefined) !== (b.audioSha256 === undefined), 'give either the text to speak or an uploaded audio file')
export type BulletinInput = z.input<typeof BulletinInput>

export interface Who { username: string; role: string; mayApprove: boolean }

/** Who issues the province's bulletins, as the boxes say it (PROVINCE_ISSUER). */
export interface BulletinSettings { issuer: string }

interface Row {
  id: string; title: string; priority: string; text: string | null; voice: string | null; audio_sha256: string | null; repeat: number
  gap_s: number; ttl_s: number; targets: z.output<typeof BulletinTargets>; status: string; created_by: string; approved_by: string | null
}

export class ProvinceBulletins {
  constructor (private readonly pool: pg.Pool, private readonly js: JetStreamClient, private readonly settings: BulletinSettings, private readonly log: Logger) {}

  async compose (input: unknown, who: Who, origin: 'manual' | 'flood' = 'manual', details: object = {}): Promise<string> {
    const parsed = BulletinInput.safeParse(input)
    if (!parsed.success) throw new BulletinError(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
    const b = parsed.data
    if (who.role !== 'staff') throw new BulletinError(403, 'only provincial staff compose bulletins')
    if (b.action === 'send' && !(b.priority === 'emergency' && who.mayApprove)) throw new BulletinError(403, 'only an emergency skips approval, and only by someone who may approve')
    if (b.audioSha256 && (await this.pool.query('SELECT 1 FROM province_audio WHERE sha256 = $1', [b.audioSha256])).rowCount === 0) throw new BulletinError(400, 'no uploaded audio with this sha256')
    const communes = await this.communesOf(b.targets)
    if (communes.length === 0) throw new BulletinError(400, 'these targets name no commune')
    const id = randomUUID()
    await this.pool.query(`INSERT INTO province_bulletins (id, title, priority, text, voice, audio_sha256, repeat, gap_s, ttl_s, targets, status, origin, created_by, created_at, details)
      VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
    [id, b.title, b.priority, b.text ?? null, b.voice, b.audioSha256 ?? null, b.repeat, b.gapS, b.ttlS, JSON.stringify(b.targets),
      b.action === 'draft' ? 'draft' : 'pending', origin, who.username, Date.now(), JSON.stringify(details)])
    if (b.action === 'send') await this.release(id, who.username, 'khẩn cấp: phát ngay / emergency: sent at once')
    return id
  }

  async approve (id: string, who: Who, comment: string | null): Promise<void> {
    const b = await this.pending(id, who)
    if (b.created_by === who.username) throw new BulletinError(403, 'a bulletin is approved by someone other than its author')
    await this.release(id, who.username, comment)
  }

  async reject (id: string, who: Who, comment: string | null): Promise<void> {
    await this.pending(id, who)
    if (!comment?.trim()) throw new BulletinError(400, 'say why the bulletin is rejected: its author reads the reason')
    await this.pool.query("UPDATE province_bulletins SET status = 'rejected', approved_by = $2, approved_at = $3, decision_comment = $4 WHERE id = $1", [id, who.username, Date.now(), comment.trim()])
  }

  /** Publishes it to each target commune; a commune whose box is silent is marked unreachable at once. */
  async release (id: string, approver: string, comment: string | null): Promise<void> {
    const now = Date.now()
    const claimed = await this.pool.query<Row>(`UPDATE province_bulletins SET status = 'sent', approved_by = $2, approved_at = $3, decision_comment = $4, sent_at = $3
      WHERE id = $1 AND status IN ('pending', 'draft') RETURNING *`, [id, approver, now, comment])
    const b = claimed.rows[0]
    if (!b) throw new BulletinError(409, 'the bulletin is not waiting for approval')
    const communes = await this.communesOf(b.targets)
    const heard = new Map((await this.pool.query<{ commune: string; at: string }>('SELECT commune, at FROM commune_health')).rows.map((r) => [r.commune, Number(r.at)]))
    for (const c of communes) {
      const villages = b.targets.villages[c] ?? null
      const reachable = now - (heard.get(c) ?? -Infinity) <= ONLINE_MS
      await this.pool.query('INSERT INTO province_bulletin_targets (bulletin_id, commune, villages, reachable) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [id, c, villages === null ? null : JSON.stringify(villages), reachable])
    }
    // Published after every target row exists, so a quick proof always finds its row.
    await Promise.all(communes.map(async (c) => { await this.publish(b, c, b.targets.villages[c] ?? null, now) }))
    this.log.warn({ bulletinId: id, priority: b.priority, communes: communes.length }, 'provincial bulletin sent: waiting for every commune to confirm it played')
  }

  private async publish (b: Row, commune: string, villages: string[] | null, issuedAt: number): Promise<void> {
    const m: ProvincialBulletin = {
      type: 'bulletin', id: b.id, title: b.title, priority: b.priority as ProvincialBulletin['priority'], villages, repeat: b.repeat, gapS: b.gap_s,
      ttlS: b.ttl_s, issuedAt, issuer: this.settings.issuer, createdBy: b.created_by, approvedBy: b.approved_by,
      ...(b.text !== null ? { text: b.text, voice: (b.voice ?? 'north') as keyof typeof VOICES } : {}),
      ...(b.audio_sha256 !== null ? { audio: await this.audioFacts(b.audio_sha256) } : {})
    }
    try {
      await this.js.publish(`down.${commune}.bulletin`, new TextEncoder().encode(JSON.stringify(m)), { msgID: `bulletin:${b.id}:${commune}` })
      await this.pool.query('UPDATE province_bulletin_targets SET published_at = $3 WHERE bulletin_id = $1 AND commune = $2', [b.id, commune, Date.now()])
    } catch (err) {
      this.log.error({ err, bulletinId: b.id, commune }, 'provincial bulletin not stored for this commune: it is NOT warned')
      await this.pool.query('UPDATE province_bulletin_targets SET publish_error = $3, reachable = false WHERE bulletin_id = $1 AND commune = $2', [b.id, commune, (err as Error).message])
    }
  }

  private async audioFacts (sha256: string): Promise<{ sha256: string; bytes: number }> {
    const r = (await this.pool.query<{ bytes: string }>('SELECT bytes FROM province_audio WHERE sha256 = $1', [sha256])).rows[0]
    return { sha256, bytes: Number(r?.bytes ?? 0) }
  }

  private async pending (id: string, who: Who): Promise<Row> {
    if (!who.mayApprove) throw new BulletinError(403, `${who.username} may not approve bulletins`)
    const b = (await this.pool.query<Row>('SELECT * FROM province_bulletins WHERE id = $1', [id])).rows[0]
    if (!b) throw new BulletinError(404, `no provincial bulletin ${id}`)
    if (b.status !== 'pending') throw new BulletinError(409, `the bulletin is ${b.status}, not waiting for approval`)
    return b
  }

  /** The communes the targets name, known to the province, each once. */
  private async communesOf (t: z.output<typeof BulletinTargets>): Promise<string[]> {
    const rows = (await this.pool.query<{ code: string }>('SELECT code FROM communes WHERE $1 OR code = ANY($2) OR basin = $3 ORDER BY code',
      [t.all, t.communes, t.basin ?? null])).rows
    const known = new Set(rows.map((r) => r.code))
    const unknown = t.communes.filter((c) => !known.has(c))
    if (unknown.length > 0) throw new BulletinError(400, `unknown communes: ${unknown.join(', ')}`)
    return rows.map((r) => r.code)
  }
}
