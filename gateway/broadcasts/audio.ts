// The audio of bulletins: spoken offline from Vietnamese text (espeak-ng, then ffmpeg to
// MP3), or uploaded as MP3 or WAV and checked by ffprobe. Clips live in DATA_DIR/audio, one
// file each, described in state.db; a clip never changes once made, so a broadcast's audio
// is exactly what its approver heard in the preview.
import { spawnHelper } from '../helper-process.js'
import { randomUUID } from 'node:crypto'
import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../db/database.js'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../db/private-files.js'
import { GatewayError, notFound, validationError } from '../errors.js'

const TOOL_TIMEOUT_MS = 60_000

/** espeak-ng's three Vietnamese voices. */
export const VOICES = { north: 'vi', central: 'vi-vn-x-central', south: 'vi-vn-x-south' } as const
export type Voice = keyof typeof VOICES

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
export const MAX_SPEECH_CHARS = 3000
const MAX_DURATION_MS = 3 * 3_600_000
const FORMATS: Record<string, { ext: string; contentType: string }> = {
  mp3: { ext: 'mp3', contentType: 'audio/mpeg' },
  wav: { ext: 'wav', contentType: 'audio/wav' }
}

export type ClipSource = 'upload' | 'speech' | 'live'

export interface AudioClip {
  id: string
  contentType: string
  bytes: number
  durationMs: number
  /** live: the recording of a live session, written while it airs (live.ts). */
  source: ClipSource
  text: string | null
  voice: string | null
  createdBy: string
  createdAt: number
}

interface Row {
  id: string; file: string; content_type: string; bytes: number; duration_ms: number; source: ClipSource
  text: string | null; voice: string | null; created_by: string; created_at: number
}

const toClip = (r: Row): AudioClip => ({
  id: r.id, contentType: r.content_type, bytes: r.bytes, durationMs: r.duration_ms, source: r.source,
  text: r.text, voice: r.voice, createdBy: r.created_by, createdAt: r.created_at
})

export class AudioLibrary {
  constructor (private readonly db: Db, private readonly dir: string, private readonly now: () => number = Date.now) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  }

  /** Speaks Vietnamese text with the voice of the north, centre or south, as MP3. */
  async speak (text: string, voice: Voice, actor: string): Promise<AudioClip> {
    const clean = text.trim()
    if (clean.length === 0 || clean.length > MAX_SPEECH_CHARS) throw validationError(`the text must have 1 to ${MAX_SPEECH_CHARS} characters`)
    const id = randomUUID()
    const wav = join(this.dir, `${id}.tmp.wav`)
    const mp3 = join(this.dir, `${id}.mp3`)
    try {
      // Text on stdin: nothing the person typed reaches a command line.
      await tool('espeak-ng', ['-v', VOICES[voice], '-s', '150', '-w', wav, '--stdin'], clean)
      await tool('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-ac', '1', '-codec:a', 'libmp3lame', '-b:a', '48k', mp3])
      // ffmpeg makes it with the process umask's mode: private, like every file of the data folder.
      chmodSync(mp3, PRIVATE_FILE_MODE)
      const { durationMs } = await probe(mp3)
      return this.insert({ id, file: `${id}.mp3`, contentType: 'audio/mpeg', durationMs, source: 'speech', text: clean, voice, actor })
    } catch (err) {
      rmSync(mp3, { force: true })
      throw err
    } finally {
      rmSync(wav, { force: true })
    }
  }

  /** Keeps an uploaded MP3 or WAV once ffprobe has read it as one. */
  async upload (data: Buffer, actor: string): Promise<AudioClip> {
    if (data.length === 0) throw validationError('the upload is empty')
    if (data.length > MAX_UPLOAD_BYTES) throw new GatewayError('PAYLOAD_TOO_LARGE', `audio files are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`)
    const id = randomUUID()
    const tmp = join(this.dir, `${id}.upload`)
    writeFileSync(tmp, data, { mode: PRIVATE_FILE_MODE })
    try {
      const { format, durationMs } = await probe(tmp).catch((err: unknown) => {
        if (err instanceof GatewayError) throw err
        throw validationError('not an audio file ffprobe can read; send MP3 or WAV')
      })
      const known = FORMATS[format]
      if (!known) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `audio in ${format} format; send MP3 or WAV`)
      const file = `${id}.${known.ext}`
      writeFileSync(join(this.dir, file), data, { mode: PRIVATE_FILE_MODE })
      return this.insert({ id, file, contentType: known.contentType, durationMs, source: 'upload', text: null, voice: null, actor })
    } finally {
      rmSync(tmp, { force: true })
    }
  }

  /**
   * A live session's recording: its file is written while it airs. Until it ends, its length
   * is the session's limit (what a cluster's play command may last); finishRecording sets
   * the real one.
   */
  startRecording (actor: string, limitMs: number): { clip: AudioClip; file: string } {
    const id = randomUUID()
    const file = `${id}.mp3`
    writeFileSync(join(this.dir, file), '', { mode: PRIVATE_FILE_MODE })
    const clip = this.insert({ id, file, contentType: 'audio/mpeg', durationMs: limitMs, source: 'live', text: null, voice: null, actor })
    return { clip, file: join(this.dir, file) }
  }

  /** The session ended: the recording's real length and size (0 when nobody spoke a frame). */
  async finishRecording (id: string): Promise<AudioClip> {
    const file = this.fileOf(id)
    const durationMs = await probe(file).then((p) => p.durationMs, () => 0)
    this.db.prepare('UPDATE audio_clips SET duration_ms = ?, bytes = ? WHERE id = ?').run(durationMs, statSync(file).size, id)
    return this.require(id)
  }

  get (id: string): AudioClip | null {
    const row = this.db.prepare<[string], Row>('SELECT * FROM audio_clips WHERE id = ?').get(id)
    return row ? toClip(row) : null
  }

  require (id: string): AudioClip {
    const clip = this.get(id)
    if (!clip) throw notFound(`no audio clip ${id}`)
    return clip
  }

  /** Where the clip's file is, for sending it. */
  fileOf (id: string): string {
    const row = this.db.prepare<[string], { file: string }>('SELECT file FROM audio_clips WHERE id = ?').get(id)
    if (!row) throw notFound(`no audio clip ${id}`)
    return join(this.dir, row.file)
  }

  private insert (c: { id: string; file: string; contentType: string; durationMs: number; source: ClipSource; text: string | null; voice: string | null; actor: string }): AudioClip {
    if (c.durationMs <= 0 || c.durationMs > MAX_DURATION_MS) throw validationError('the audio must last between a moment and 3 hours')
    const bytes = statSync(join(this.dir, c.file)).size
    this.db.prepare(`INSERT INTO audio_clips (id, file, content_type, bytes, duration_ms, source, text, voice, created_by, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(c.id, c.file, c.contentType, bytes, c.durationMs, c.source, c.text, c.voice, c.actor, this.now())
    return this.require(c.id)
  }
}

/** The Debian packages of speech and audio checks that are not installed (ffprobe comes with ffmpeg).
 *  Asynchronous: the gateway asks once it serves devices, and the three programs took 0.4 s to answer. */
export async function missingTools (env: NodeJS.ProcessEnv = process.env): Promise<Array<'espeak-ng' | 'ffmpeg'>> {
  const missing = (program: string) => new Promise<boolean>((resolve) => {
    const child = spawnHelper(program, [program === 'espeak-ng' ? '--version' : '-version'], { env, stdio: 'ignore', timeout: 10_000 })
    child.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ENOENT'))
    child.once('exit', () => resolve(false))
  })
  const [espeak, ffmpeg, ffprobe] = await Promise.all(['espeak-ng', 'ffmpeg', 'ffprobe'].map(missing))
  return [...(espeak ? ['espeak-ng' as const] : []), ...(ffmpeg || ffprobe ? ['ffmpeg' as const] : [])]
}

/** What to tell the person starting the gateway when they are missing, in both languages. */
export function missingToolsNotice (missing: readonly string[]): string | null {
  if (missing.length === 0) return null
  return `Thiếu ${missing.join(', ')}: không tạo được bản tin đọc bằng giọng nói và không nhận được tệp âm thanh tải lên (cảnh báo lũ tự động cũng không phát được).\n` +
    `Missing ${missing.join(', ')}: spoken bulletins, audio uploads and automatic flood warnings cannot be made.\n` +
    `Cài đặt / install:  sudo apt-get install ${missing.join(' ')}`
}

/** The container format and duration, as ffprobe reads them. */
async function probe (file: string): Promise<{ format: string; durationMs: number }> {
  const out = await tool('ffprobe', ['-v', 'error', '-show_entries', 'format=format_name,duration', '-of', 'json', file])
  const format = (JSON.parse(out) as { format?: { format_name?: string; duration?: string } }).format
  const durationMs = Math.round(Number(format?.duration) * 1000)
  if (!format?.format_name || !Number.isFinite(durationMs)) throw validationError('ffprobe found no audio duration')
  return { format: format.format_name, durationMs }
}

/** Runs a program with `input` on its stdin; a missing one is a clear 503 naming the Debian package. */
async function tool (program: string, args: string[], input = ''): Promise<string> {
  try {
    return await run(program, args, input)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    throw new GatewayError('TOOL_UNAVAILABLE', `${program} is not installed (Debian package "${program === 'espeak-ng' ? 'espeak-ng' : 'ffmpeg'}")`)
  }
}

function run (program: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnHelper(program, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: TOOL_TIMEOUT_MS })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
    child.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-2000) })
    child.once('error', reject)
    child.once('close', (code) => {
      if (code === 0) resolve(stdout)
      else reject(new Error(`${program} exited with ${code}: ${stderr}`))
    })
    child.stdin.end(input)
  })
}
