// The audio of provincial bulletins: an official uploads an MP3 or WAV once; PostgreSQL keeps
// it by its SHA-256 (a file never changes, and the replica has it too); each target box fetches
// it once over its uplink, in pieces, from this server, and checks the hash. A box is served
// only the audio of a bulletin addressed to it (its commune from the subject, which the
// cluster's permissions vouch for).
import { createHash } from 'node:crypto'
import { headers, type NatsConnection, type Subscription } from 'nats'
import type pg from 'pg'
import { AUDIO_CHUNK_BYTES, type ChunkRequest } from '../../edge/uplink/fetch.js'
import { MAX_UPLOAD_BYTES } from '../../gateway/broadcasts/audio.js'
import type { Logger } from '../../gateway/log.js'
import { communeOf } from '../workers/pull.js'
import { BulletinError } from './compose.js'

/** MP3 (an ID3 tag or an MPEG audio frame) or WAV (RIFF....WAVE); the box's ffprobe checks it again. */
export function audioType (data: Buffer): string | null {
  if (data.subarray(0, 3).toString('latin1') === 'ID3' || (data[0] === 0xff && ((data[1] ?? 0) & 0xe0) === 0xe0)) return 'audio/mpeg'
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WAVE') return 'audio/wav'
  return null
}

export async function storeAudio (pool: pg.Pool, data: Buffer, by: string): Promise<{ sha256: string; bytes: number; contentType: string }> {
  if (data.length === 0) throw new BulletinError(400, 'the upload is empty')
  if (data.length > MAX_UPLOAD_BYTES) throw new BulletinError(400, `audio files are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`)
  const contentType = audioType(data)
  if (!contentType) throw new BulletinError(400, 'not an MP3 or WAV file')
  const sha256 = createHash('sha256').update(data).digest('hex')
  await pool.query(`INSERT INTO province_audio (sha256, content_type, bytes, data, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6)
    ON CONFLICT DO NOTHING`, [sha256, contentType, data.length, data, by, Date.now()])
  return { sha256, bytes: data.length, contentType }
}

/** Answers the boxes' `up.<commune>.audio` requests (a queue group: any number of province processes). */
export function serveAudio (nc: NatsConnection, pool: pg.Pool, log: Logger): Subscription {
  return nc.subscribe('up.*.audio', {
    queue: 'province-audio',
    callback: (err, m) => {
      if (err) { log.warn({ err }, 'audio requests subscription failed'); return }
      const refuse = (why: string): void => { const h = headers(); h.set('Error', why); m.respond(new Uint8Array(0), { headers: h }) }
      let commune: string
      let req: ChunkRequest
      try {
        commune = communeOf(m.subject).commune
        req = m.json<ChunkRequest>()
        if (typeof req.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(req.sha256) || !Number.isInteger(req.offset) || req.offset < 0) throw new Error('bad request')
      } catch {
        refuse('bad request: {"sha256", "offset"} expected')
        return
      }
      pool.query<{ content_type: string; bytes: string; chunk: Buffer }>(
        `SELECT a.content_type, a.bytes, substring(a.data FROM $3::int + 1 FOR $4::int) AS chunk FROM province_audio a
         WHERE a.sha256 = $2 AND EXISTS (SELECT 1 FROM province_bulletin_targets t JOIN province_bulletins b ON b.id = t.bulletin_id
           WHERE t.commune = $1 AND b.audio_sha256 = a.sha256)`, [commune, req.sha256, req.offset, AUDIO_CHUNK_BYTES])
        .then(({ rows }) => {
          const row = rows[0]
          if (!row) { log.warn({ commune, sha256: req.sha256 }, 'a box asked for audio of no bulletin addressed to it: refused'); refuse('no bulletin for this commune has this audio'); return }
          const h = headers()
          h.set('Size', row.bytes)
          h.set('Content-Type', row.content_type)
          m.respond(row.chunk, { headers: h })
        })
        .catch((e: unknown) => { log.warn({ err: e }, 'audio piece not served (the box asks again)') })
    }
  })
}
