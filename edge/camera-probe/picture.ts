// What a snapshot shows, measured by Debian's ffmpeg in a child process (off the event loop,
// one process per picture, a few at a time): brightness and its spread (signalstats), how
// blurred it is (blurdetect) and, when the camera has a reference picture, how alike the two
// scenes are (SSIM); and a thumbnail for the camera list, from the same decode.
//
// Why these: a covered or sprayed lens gives a picture that is dark or flat (its 10th and 90th
// brightness percentiles close together) whatever the scene; blurdetect measures the width of
// edges, not their number, so the sensor noise of a night picture does not read as sharp;
// SSIM is taken on both pictures shrunk to 48x27 grey, where focus, noise and JPEG grain
// vanish and only the layout of the scene remains (a turned camera: 0.46 on the simulated
// scene, the same view out of focus: 0.96, by night in infrared: 0.93). Measured at 320x180,
// so the thresholds do not depend on the camera's resolution.
import { spawnHelper } from '../../gateway/helper-process.js'
import { HashGate } from '../../gateway/users/hash-gate.js'

export interface PictureMeasures {
  /** Mean brightness, 0-255. */
  luma: number
  /** 90th minus 10th percentile of brightness, 0-255: small is a flat picture. */
  contrast: number
  /** blurdetect's edge width; larger is blurrier. Null on a flat picture (no edges to measure). */
  blur: number | null
  /** SSIM (0-1) against the reference picture, null without one. */
  similarity: number | null
}

export interface PictureCheck {
  measures: PictureMeasures
  /** A 320-pixel-wide JPEG for lists and grids. */
  thumbnail: Buffer
}

const TIMEOUT_MS = 15_000
const MAX_PICTURE_BYTES = 8 * 1024 * 1024

// ffmpeg runs on the same two cores as everything else: a couple at a time, the rest wait
// their turn (never refused: the probe cycle is already bounded by the number of cameras).
const gate = new HashGate({ running: 2, waiting: Number.MAX_SAFE_INTEGER })

function graph (withReference: boolean): string {
  const print = 'metadata=print' // logged at level info on stderr: stdout carries the thumbnail
  const measures = `[m]format=gray,scale=320:180:flags=area,signalstats,blurdetect=block_width=32:block_height=32,${print},nullsink`
  const thumb = '[t]scale=320:-2:flags=area[thumb]'
  if (!withReference) return `[0:v]split[m][t];${measures};${thumb}`
  return `[0:v]split=3[m][t][s];${measures};${thumb};` +
    `[s]format=gray,scale=48:27:flags=area[a];[1:v]format=gray,scale=48:27:flags=area[b];[a][b]ssim,${print},nullsink`
}

const value = (text: string, key: string): number | null => {
  const m = new RegExp(`lavfi\\.${key.replace(/\./g, '\\.')}=(\\S+)`).exec(text)
  const n = m ? Number(m[1]) : NaN
  return Number.isFinite(n) ? n : null
}

/** Measures one JPEG (and compares it with the reference file, if given). */
export function checkPicture (jpeg: Buffer, referencePath: string | null): Promise<PictureCheck> {
  if (jpeg.length > MAX_PICTURE_BYTES) return Promise.reject(new Error(`snapshot of ${jpeg.length} bytes is larger than ${MAX_PICTURE_BYTES}`))
  return gate.run(() => run(jpeg, referencePath))
}

function run (jpeg: Buffer, referencePath: string | null): Promise<PictureCheck> {
  const args = ['-hide_banner', '-nostats', '-loglevel', 'info', '-nostdin', '-f', 'jpeg_pipe', '-i', 'pipe:0']
  if (referencePath) args.push('-i', referencePath)
  args.push('-filter_complex', graph(referencePath !== null), '-map', '[thumb]', '-frames:v', '1', '-q:v', '6', '-f', 'mjpeg', 'pipe:1')
  const child = spawnHelper('ffmpeg', args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: TIMEOUT_MS })
  const out: Buffer[] = []
  let err = ''
  child.stdout.on('data', (c: Buffer) => out.push(c))
  child.stderr.on('data', (c: Buffer) => { if (err.length < 64_000) err += c.toString() })
  child.stdin.on('error', () => undefined) // ffmpeg may close its input early on a broken picture; the exit code says so
  child.stdin.end(jpeg)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => {
      const luma = value(err, 'signalstats.YAVG')
      const low = value(err, 'signalstats.YLOW')
      const high = value(err, 'signalstats.YHIGH')
      if (code !== 0 || luma === null || low === null || high === null) {
        const why = signal ? `killed by ${signal}` : `exit ${code}`
        reject(new Error(`ffmpeg could not read the snapshot (${why}): ${err.split('\n').filter((l) => /error|invalid/i.test(l)).join(' ').slice(0, 200)}`))
        return
      }
      resolve({
        measures: {
          luma: Math.round(luma * 10) / 10,
          contrast: high - low,
          blur: value(err, 'blur') === null ? null : Math.round(value(err, 'blur')! * 100) / 100,
          similarity: referencePath ? value(err, 'ssim.All') : null
        },
        thumbnail: Buffer.concat(out)
      })
    })
  })
}
