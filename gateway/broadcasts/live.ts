// Phát trực tiếp: an official speaks into a phone or a computer and the chosen clusters play
// it live. The browser records the microphone (MediaRecorder, WebM/Opus) and posts it in
// numbered chunks; one ffmpeg per session turns them into one MP3 stream, which is written to
// the session's recording (kept with the broadcast log) and to every cluster listening at
// /media/live/<token>. The clusters get the bulletins' own play command with `stream: true`,
// so priority, preemption, retries after a drop, proof of play and the emergency alarm are
// the bulletins' (service.ts). A session ends when its speaker stops it, when no audio has
// come for a while (a closed tab), or at its time limit.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { z } from 'zod'
import { PRIORITIES } from '../contract/index.js'
import { conflict, GatewayError, notFound, validationError } from '../errors.js'
import type { Logger } from '../log.js'
import type { Registry } from '../registry/registry.js'
import { spawnHelper } from '../helper-process.js'
import type { AudioLibrary } from './audio.js'
import type { Actor, BroadcastService } from './service.js'
import type { Broadcast, BroadcastStore } from './store.js'
import { checkTargets, Targets, type SpeakerGroups } from './targets.js'

export const GoLive = z.strictObject({
  title: z.string().trim().min(1).max(128).default('Phát trực tiếp'),
  priority: z.enum(PRIORITIES),
  targets: Targets,
  /** The most the session may last; the clusters stop there even if the speaker does not. */
  limitS: z.number().int().min(10).max(3 * 3600).default(3600)
})
export type GoLive = z.input<typeof GoLive>

/** A cluster that falls this far behind (a stalled link) is cut off rather than buffered for. */
const MAX_LISTENER_BACKLOG = 1024 * 1024
/** ffmpeg is given this long to flush its last frames when a session ends. */
const FLUSH_MS = 5000

export interface LiveParts {
  service: BroadcastService
  store: BroadcastStore
  audio: AudioLibrary
  registry: Registry
  groups: SpeakerGroups
  log: Logger
  /**
   * No audio from the speaker for this long ends the session (default 15 s); a cluster that
   * has not answered this long after the end is timed out.
   */
  idleMs?: number
}

/**
 * Where a session's audio comes from: the speaker's microphone pieces (fed), or a stream URL
 * the box fetches once for every cluster (a relay, relay.ts), watched for silence and death.
 */
export type LiveSource =
  | { kind: 'microphone' }
  | { kind: 'url'; url: string; silenceS: number; lost: (why: 'silence' | 'source ended', broadcastId: string) => void }

interface Session {
  broadcastId: string
  token: string
  speaker: string
  ffmpeg: ChildProcessWithoutNullStreams
  recording: WriteStream
  listeners: Set<Writable>
  nextSeq: number
  bytesIn: number
  idle: NodeJS.Timeout
  limit: NodeJS.Timeout
  ended: Promise<void>
}

export class LiveSessions {
  private readonly sessions = new Map<string, Session>()
  /** Ended sessions waiting for their clusters' last answers (cleared at shutdown: the database closes). */
  private readonly closing = new Set<NodeJS.Timeout>()
  private readonly idleMs: number

  constructor (private readonly parts: LiveParts) {
    this.idleMs = parts.idleMs ?? 15_000
  }

  /**
   * Who may go live follows the approval rules, since nobody can approve a live session
   * beforehand: an official the admin marked "may approve", for every priority (an emergency
   * at once, as for a bulletin sent without waiting).
   */
  async start (input: unknown, who: Actor): Promise<Broadcast> {
    const parsed = GoLive.safeParse(input)
    if (!parsed.success) throw validationError('invalid live session', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
    if (!who.mayApprove) throw new GatewayError('FORBIDDEN', `${who.actor} may not speak live: only officials who may approve bulletins`)
    const c = parsed.data
    checkTargets(c.targets, this.parts.registry, this.parts.groups)
    const { clip, file } = this.parts.audio.startRecording(who.actor, c.limitS * 1000)
    const id = randomUUID()
    const b = this.parts.store.insert({
      id, title: c.title, priority: c.priority, clipId: clip.id, repeat: 1, gapS: 0, targets: c.targets, schedule: { kind: 'now' },
      ttlMs: c.limitS * 1000, status: 'pending', token: randomBytes(24).toString('base64url'), createdBy: who.actor, alarmId: null, live: true
    }, Date.now())
    this.parts.log.info({ broadcastId: id, priority: c.priority, speaker: who.actor }, 'live session started')
    return await this.begin(b, file, c.limitS * 1000, { kind: 'microphone' }, who.actor)
  }

  /** A relay's airing (relay.ts): released by the official who made the programme. */
  async relay (c: { title: string; priority: GoLive['priority']; targets: Targets; limitMs: number }, source: LiveSource & { kind: 'url' }, releasedBy: string): Promise<Broadcast> {
    const { clip, file } = this.parts.audio.startRecording(releasedBy, c.limitMs)
    const b = this.parts.store.insert({
      id: randomUUID(), title: c.title, priority: c.priority, clipId: clip.id, repeat: 1, gapS: 0, targets: c.targets, schedule: { kind: 'now' },
      ttlMs: c.limitMs, status: 'pending', token: randomBytes(24).toString('base64url'), createdBy: releasedBy, alarmId: null, live: true
    }, Date.now())
    return await this.begin(b, file, c.limitMs, source, releasedBy)
  }

  private async begin (b: Broadcast, file: string, limitMs: number, source: LiveSource, releasedBy: string): Promise<Broadcast> {
    this.open(b, this.parts.store.tokenOf(b.id), file, limitMs, source)
    return await this.parts.service.airLive(b.id, releasedBy, source.kind === 'url' ? 'tiếp sóng / relay' : 'trực tiếp / live')
  }

  /** A chunk of the speaker's recording. A chunk sent again (its answer was lost) is ignored. */
  feed (id: string, seq: number, chunk: Buffer, who: Actor): void {
    const s = this.sessions.get(id)
    if (!s) throw notFound(`no live session ${id} on air`)
    if (s.speaker !== who.actor) throw new GatewayError('FORBIDDEN', 'only the official who speaks sends the audio')
    if (seq < s.nextSeq) return
    if (seq > s.nextSeq) throw conflict(`chunk ${seq} came before chunk ${s.nextSeq}; send ${s.nextSeq} first`)
    s.nextSeq++
    s.bytesIn += chunk.length
    s.idle.refresh()
    s.ffmpeg.stdin.write(chunk)
  }

  /** A cluster's fetch of the stream: it hears from now on. False when the link is not on air. */
  listen (token: string, out: Writable): boolean {
    const s = [...this.sessions.values()].find((x) => x.token === token)
    if (!s) return false
    s.listeners.add(out)
    out.once('close', () => s.listeners.delete(out))
    return true
  }

  /** Ends the session everywhere: the stream ends, the clusters finish, the recording is kept. */
  async stop (id: string, who: Actor | null): Promise<Broadcast> {
    const s = this.sessions.get(id)
    if (!s) throw conflict(`live session ${id} is not on air`)
    if (who && s.speaker !== who.actor && !who.mayApprove) throw new GatewayError('FORBIDDEN', 'only its speaker or an approver ends a live session')
    this.sessions.delete(id)
    clearTimeout(s.idle)
    clearTimeout(s.limit)
    s.ffmpeg.stdin.end()
    const kill = setTimeout(() => s.ffmpeg.kill('SIGKILL'), FLUSH_MS)
    await s.ended
    clearTimeout(kill)
    const b = this.parts.store.require(id)
    const clip = await this.parts.audio.finishRecording(b.clipId)
    this.parts.log.info({ broadcastId: id, by: who?.actor ?? 'gateway', durationMs: clip.durationMs, bytesIn: s.bytesIn }, 'live session ended')
    // A cluster gets as long to answer as a speaker gets to send audio.
    const close = setTimeout(() => {
      this.closing.delete(close)
      try {
        this.parts.service.closeLive(id)
      } catch (err) {
        this.parts.log.error({ err, broadcastId: id }, 'live session not closed')
      }
    }, this.idleMs).unref()
    this.closing.add(close)
    return this.parts.service.endLive(id)
  }

  /** The transcoder of a session on air (its CPU is measured by bench/live.ts). */
  transcoderPid (id: string): number | undefined {
    return this.sessions.get(id)?.ffmpeg.pid
  }

  onAir (): string[] {
    return [...this.sessions.keys()]
  }

  async stopAll (): Promise<void> {
    await Promise.all(this.onAir().map((id) => this.stop(id, null).catch(() => undefined)))
    for (const t of this.closing) clearTimeout(t)
    this.closing.clear()
  }

  private open (b: Broadcast, token: string, file: string, limitMs: number, source: LiveSource): void {
    // Low delay: ffmpeg starts at once on the first bytes, and writes each MP3 frame as it is made.
    // A relay's source is read at its own pace (-re), stalls for silenceS end it (-rw_timeout),
    // and silencedetect says when it has been silent that long.
    const input = source.kind === 'microphone'
      ? ['-fflags', 'nobuffer', '-probesize', '2048', '-analyzeduration', '0', '-i', 'pipe:0']
      : ['-re', '-rw_timeout', String(source.silenceS * 1_000_000), '-i', source.url, '-af', `silencedetect=noise=-50dB:duration=${source.silenceS}`]
    const ffmpeg = spawnHelper('ffmpeg', ['-hide_banner', '-nostats', '-v', source.kind === 'url' ? 'info' : 'error', ...input,
      '-vn', '-ac', '1', '-codec:a', 'libmp3lame', '-b:a', '48k', '-write_xing', '0', '-flush_packets', '1', '-f', 'mp3', 'pipe:1'])
    const recording = createWriteStream(file)
    const listeners = new Set<Writable>()
    let stderr = ''
    let lost = false
    const lose = (why: 'silence' | 'source ended') => {
      if (lost || source.kind !== 'url' || !this.sessions.has(b.id)) return
      lost = true
      source.lost(why, b.id)
    }
    ffmpeg.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-1000)
      if (c.toString().includes('silence_start')) lose('silence')
    })
    ffmpeg.stdin.on('error', () => undefined)
    ffmpeg.stdout.on('data', (frame: Buffer) => {
      recording.write(frame)
      for (const out of listeners) {
        if (out.writableLength > MAX_LISTENER_BACKLOG) out.destroy()
        else out.write(frame)
      }
    })
    const ended = new Promise<void>((resolve) => {
      ffmpeg.once('close', (code) => {
        if (code !== 0 && stderr) this.parts.log.warn({ broadcastId: b.id, code, stderr }, 'live audio transcoder ended with an error')
        // A relay's source that ends or stalls while on air is dead (not when the gateway ends it).
        lose('source ended')
        for (const out of listeners) out.end()
        recording.end(() => resolve())
      })
    })
    ffmpeg.once('error', (err) => this.parts.log.error({ err, broadcastId: b.id }, 'ffmpeg could not start (Debian package "ffmpeg")'))
    const end = (why: string) => () => {
      this.parts.log.warn({ broadcastId: b.id }, `live session ended: ${why}`)
      void this.stop(b.id, null).catch(() => undefined)
    }
    // A relay's silence is watched by ffmpeg itself; a speaker's by this timer.
    const idle = setTimeout(end('no audio from the speaker'), source.kind === 'url' ? limitMs : this.idleMs)
    const limit = setTimeout(end('time limit'), limitMs)
    idle.unref()
    limit.unref()
    this.sessions.set(b.id, { broadcastId: b.id, token, speaker: b.createdBy, ffmpeg, recording, listeners, nextSeq: 0, bytesIn: 0, idle, limit, ended })
  }
}
