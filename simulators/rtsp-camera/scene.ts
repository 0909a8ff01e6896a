// Real pictures for the simulated cameras: a drawn village crossroads (sky, fields, a road,
// houses, a pole, trees) rendered by ffmpeg once per view, with sensor noise so no two
// snapshots are the same bytes, as with a real camera. Each picture fault is a filter on the
// same scene: covered (a bag: flat and dark), blurred (out of focus), turned (the other half of
// a wider panorama), night (infrared: grey, darker, noisier), infrared failed (black), and
// covered by night (the bag lit by the infrared: flat grey).
import { spawnHelper } from '../../gateway/helper-process.js'

export const VIEWS = ['day', 'night', 'covered', 'coveredLit', 'blurred', 'turned', 'irFailed'] as const
export type SceneView = (typeof VIEWS)[number]

/** Pictures per view: snapshots cycle through them (noise differs, the scene does not). */
const VARIANTS = 4

// The panorama is twice as wide as the picture: a camera looks at its left half, a turned one at the right.
const PANORAMA = [
  'color=c=0x7fa6c9:s=1280x360:d=1', 'format=yuv420p',
  'drawbox=x=0:y=190:w=1280:h=170:color=0x5a6e3a:t=fill', 'drawbox=x=0:y=270:w=1280:h=46:color=0x3c3c3c:t=fill',
  'drawbox=x=0:y=291:w=1280:h=3:color=0xe0e0e0:t=fill',
  'drawbox=x=60:y=110:w=150:h=100:color=0xc8a070:t=fill', 'drawbox=x=60:y=110:w=150:h=100:color=0x5a3a20:t=3',
  'drawbox=x=85:y=135:w=30:h=30:color=0x203040:t=fill', 'drawbox=x=150:y=135:w=30:h=30:color=0x203040:t=fill',
  'drawbox=x=260:y=90:w=110:h=120:color=0xe8e0d0:t=fill', 'drawbox=x=290:y=150:w=40:h=60:color=0x6a3a1a:t=fill',
  'drawbox=x=420:y=60:w=12:h=210:color=0x707070:t=fill', 'drawbox=x=390:y=60:w=70:h=20:color=0xd0d0d0:t=fill',
  'drawbox=x=480:y=120:w=140:h=90:color=0xa05040:t=fill', 'drawbox=x=500:y=140:w=100:h=10:color=0xf0f0f0:t=fill',
  'drawbox=x=700:y=80:w=60:h=130:color=0x2e5e2e:t=fill', 'drawbox=x=780:y=100:w=80:h=110:color=0x3a6a30:t=fill',
  'drawbox=x=900:y=150:w=300:h=60:color=0x8a8a60:t=fill', 'drawbox=x=950:y=40:w=8:h=170:color=0x505050:t=fill',
  'drawbox=x=1050:y=100:w=40:h=110:color=0x2a4a2a:t=fill'
].join(',')

const LOOK = 'crop=640:360:0:0'
const FILTERS: Record<SceneView, string> = {
  day: `${LOOK},noise=alls=8:allf=t+u`,
  night: `${LOOK},hue=s=0,eq=brightness=-0.12:contrast=0.85,noise=alls=14:allf=t+u`,
  covered: `${LOOK},boxblur=30:3,eq=brightness=-0.45:contrast=0.3,noise=alls=4:allf=t+u`,
  // A bag over the lens by night, lit by the camera's own infrared: flat and grey, not dark.
  coveredLit: `${LOOK},hue=s=0,eq=contrast=0:brightness=0.15,noise=alls=6:allf=t+u`,
  blurred: `${LOOK},boxblur=7:2,noise=alls=4:allf=t+u`,
  turned: 'crop=640:360:640:0,noise=alls=8:allf=t+u',
  irFailed: `${LOOK},hue=s=0,eq=brightness=-0.55:contrast=0.35,noise=alls=6:allf=t+u`
}

/** Splits ffmpeg's MJPEG stream into pictures (each ends with EOI, the next starts with SOI). */
function splitJpegs (stream: Buffer): Buffer[] {
  const out: Buffer[] = []
  let start = 0
  for (let i = 2; i < stream.length - 1; i++) {
    if (stream[i - 2] === 0xff && stream[i - 1] === 0xd9 && stream[i] === 0xff && stream[i + 1] === 0xd8) {
      out.push(stream.subarray(start, i))
      start = i
    }
  }
  out.push(stream.subarray(start))
  return out
}

function render (view: SceneView): Promise<Buffer[]> {
  // `loop` repeats the one drawn frame so the temporal noise gives each variant its own grain.
  const graph = `${PANORAMA},loop=loop=${VARIANTS - 1}:size=1,${FILTERS[view]}`
  const child = spawnHelper('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', graph,
    '-frames:v', String(VARIANTS), '-q:v', '5', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] })
  const chunks: Buffer[] = []
  let err = ''
  child.stdout.on('data', (c: Buffer) => chunks.push(c))
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      const pictures = splitJpegs(Buffer.concat(chunks))
      if (code === 0 && pictures.length === VARIANTS) resolve(pictures)
      else reject(new Error(`ffmpeg could not draw the ${view} scene (${code}): ${err.slice(0, 300)}`))
    })
  })
}

/** Every view, drawn on first use and kept; shared by all the cameras of a host. */
export class Scenes {
  private readonly views = new Map<SceneView, Promise<Buffer[]>>()

  picture (view: SceneView, n: number): Promise<Buffer> {
    let pictures = this.views.get(view)
    if (!pictures) {
      pictures = render(view)
      pictures.catch(() => this.views.delete(view)) // drawn again at the next ask
      this.views.set(view, pictures)
    }
    return pictures.then((all) => all[n % all.length]!)
  }
}
