// Simulated RTSP/ONVIF cameras in their own process, for the benchmark and demos:
//
//   tsx simulators/rtsp-camera/cli.ts --count 200 [--hung 10] [--frozen 5] [--host 127.0.0.1] [--clock-offset-s 0]
//
// Prints one JSON line: every camera's id, URLs and credentials; then serves until killed.
// Camera i is cam-001 ... ; the first `hung` never answer, the next `frozen` send a still picture.
import { parseArgs } from 'node:util'
import { CameraHost } from './host.js'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10' },
    hung: { type: 'string', default: '0' },
    frozen: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    kbps: { type: 'string', default: '512' },
    /** The cameras' clocks this far ahead (negative: behind): their pictures by day or by night. */
    'clock-offset-s': { type: 'string', default: '0' }
  }
})
const count = Number(values.count)
const hung = Number(values.hung)
const frozen = Number(values.frozen)

const host = await CameraHost.start(values.host)
const cameras = Array.from({ length: count }, (_, i) => {
  const id = `cam-${String(i + 1).padStart(3, '0')}`
  const camera = host.add({ id, kbps: Number(values.kbps), faults: { noAnswer: i < hung, frozen: i >= hung && i < hung + frozen, clockOffsetS: Number(values['clock-offset-s']) } })
  return { id, ...host.urls(id), ...camera.credentials }
})
process.stdout.write(JSON.stringify({ cameras }) + '\n')
const stop = (): void => { void host.stop().then(() => process.exit(0)) }
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
