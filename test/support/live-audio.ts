// Live sessions in tests: a "microphone" that is ffmpeg encoding a tone to WebM/Opus in real
// time (as the browser's MediaRecorder does) and posting each piece to the gateway in order,
// and a check of what a cluster heard: its MP3 decoded by ffmpeg, and how much of it is the
// tone (Goertzel power at the tone's frequency against the whole signal).
import { execFileSync, spawn } from 'node:child_process'
import type { SignedIn } from './people.js'

/** Sample rate the checks decode to. */
export const RATE = 8000

export interface Microphone {
  /** Resolves when every piece was posted (the tone has ended). */
  done: Promise<void>
  /** Pieces the gateway took. */
  sent: () => number
  /** performance.now() when the encoder was started. */
  started: () => number
  stop: () => void
}

/**
 * Speaks a sine tone of `hz` for `seconds` into the live session, in real time, after
 * `silenceS` of silence. `started` is when the encoder was started: the recording's time 0, or
 * a moment before it (ffmpeg's own start), so a delay measured from it is never too small.
 */
export function speakTone (who: SignedIn, sessionId: string, hz: number, seconds: number, silenceS = 0): Microphone {
  const source = silenceS > 0
    ? `aevalsrc=0:s=48000:d=${silenceS}[q];sine=frequency=${hz}:sample_rate=48000:duration=${seconds}[s];[q][s]concat=v=0:a=1`
    : `sine=frequency=${hz}:duration=${seconds}`
  const started = performance.now()
  const ffmpeg = spawn('ffmpeg', ['-v', 'error', '-re', '-f', 'lavfi', '-i', source, '-ac', '1',
    '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm', '-cluster_time_limit', '250', '-flush_packets', '1', 'pipe:1'])
  let seq = 0
  let chain = Promise.resolve()
  ffmpeg.stdout.on('data', (piece: Buffer) => {
    const n = seq++
    chain = chain.then(async () => {
      const res = await who.fetch(`/api/live/${sessionId}/audio?seq=${n}`, { method: 'POST', headers: { 'content-type': 'audio/webm' }, body: piece })
      if (res.status !== 204) throw new Error(`piece ${n}: ${res.status} ${await res.text()}`)
    })
  })
  const done = new Promise<void>((resolve, reject) => {
    ffmpeg.once('close', () => { chain.then(resolve, reject) })
  })
  return { done, sent: () => seq, started: () => started, stop: () => ffmpeg.kill() }
}

/** Seconds of audio in an MP3, and how many of them carry the tone of `hz` (in tenths of a second, each mostly that tone). */
export function heard (mp3: Buffer, hz: number): { seconds: number; toneSeconds: number } {
  if (mp3.length === 0) return { seconds: 0, toneSeconds: 0 }
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-ac', '1', '-ar', String(RATE), '-f', 's16le', 'pipe:1'], { input: mp3, maxBuffer: 256 * 1024 * 1024 })
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2))
  const block = RATE / 10
  let toneBlocks = 0
  for (let at = 0; at + block <= samples.length; at += block) {
    if (toneShare(samples.subarray(at, at + block), hz) > 0.5) toneBlocks++
  }
  return { seconds: samples.length / RATE, toneSeconds: toneBlocks / 10 }
}

/** Goertzel: the share of a block's energy at hz (near 1 for a pure tone, near 0 for silence or another tone). */
export function toneShare (samples: Int16Array, hz: number): number {
  const k = 2 * Math.cos(2 * Math.PI * hz / RATE)
  let s1 = 0
  let s2 = 0
  let energy = 0
  for (const x of samples) {
    const s0 = x + k * s1 - s2
    s2 = s1
    s1 = s0
    energy += x * x
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2
  return energy === 0 ? 0 : (2 * power / samples.length) / energy
}
