// `npm run bench:cameras`: one probe cycle over N simulated RTSP/ONVIF cameras, through a
// real gateway (probe → ingest → journal → store, presence). The cameras run in their own
// process, so the CPU measured (process.cpuUsage over the cycle) is the gateway's alone.
//
//   npm run bench:cameras -- [--cameras 200] [--concurrency 16] [--hung 0] [--frozen 0] [--timeout-s 10]
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startGateway } from '../gateway/app.js'
import { configWith } from '../gateway/config/load.js'
import { createLogger } from '../gateway/log.js'

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    hung: { type: 'string', default: '0' },
    frozen: { type: 'string', default: '0' },
    'timeout-s': { type: 'string', default: '10' }
  }
})

interface SimCamera { id: string; rtspUrl: string; onvifUrl: string; snapshotUrl: string; username: string; password: string }

const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/rtsp-camera/cli.ts', '--count', values.cameras, '--hung', values.hung, '--frozen', values.frozen],
  { stdio: ['ignore', 'pipe', 'inherit'] })
let line = ''
for await (const chunk of child.stdout) {
  line += String(chunk)
  if (line.includes('\n')) break
}
const { cameras } = JSON.parse(line) as { cameras: SimCamera[] }

const dataDir = mkdtempSync(join(tmpdir(), 'bench-cameras-'))
const config = configWith({
  dataDir, mqttPort: 0, mqttWsPort: 'off', httpPort: 0, httpHost: '127.0.0.1', mqttHost: '127.0.0.1',
  adminToken: 'bench-admin-token-0123456789', cameraProbeIntervalS: 3600,
  cameraProbeConcurrency: Number(values.concurrency), cameraProbeTimeoutS: Number(values['timeout-s'])
})
const gw = await startGateway(config, createLogger('warn'))
await gw.cameraProbes.runCycle() // the empty first cycle the gateway starts with
for (const cam of cameras) {
  gw.registry.create({ id: cam.id, kind: 'camera', name: cam.id, village: 'Thôn 1' })
  gw.cameraEndpoints.set(cam.id, { rtspUrl: cam.rtspUrl, onvifUrl: cam.onvifUrl, snapshotUrl: cam.snapshotUrl, username: cam.username, password: cam.password })
}

const cpuBefore = process.cpuUsage()
const summary = await gw.cameraProbes.runCycle()
const cpu = process.cpuUsage(cpuBefore)
const cpuS = (cpu.user + cpu.system) / 1e6
const online = cameras.filter((c) => gw.presence.get(c.id).online).length
const alive = cameras.filter((c) => gw.live.get(c.id)?.streamAlive?.value === true).length

const result = {
  cameras: summary.cameras,
  concurrency: Number(values.concurrency),
  hung: Number(values.hung),
  frozen: Number(values.frozen),
  cycleS: Math.round(summary.durationMs / 100) / 10,
  cpuS: Math.round(cpuS * 100) / 100,
  cpuPctOfOneCore: Math.round((cpuS / (summary.durationMs / 1000)) * 1000) / 10,
  ok: summary.ok,
  online,
  streamAlive: alive,
  machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`
}
console.log(JSON.stringify(result, null, 2))

await gw.stop()
child.kill('SIGTERM')
rmSync(dataDir, { recursive: true, force: true })
