// `npm run bench:pictures` (issue #20): what the picture checks cost and what they catch.
//
//   1. one check: ffmpeg measuring a 640x360 simulated snapshot against a reference, N times
//      in a row: wall time and the CPU of the ffmpeg process (this process's reaped children);
//   2. a full probe cycle over 100 cameras (in their own process) keeping and checking every
//      snapshot, against the same cycle keeping none: time, the gateway's CPU with its ffmpeg
//      children, and the disk the snapshots take;
//   3. the detection rate: cameras with each simulated fault, by day and by night, through the
//      real probe and alarm rules, and healthy cameras that must raise nothing.
//
// Writes the tables between <!-- pictures:begin --> and <!-- pictures:end --> of docs/benchmarks.md.
//
//   npm run bench:pictures -- [--checks 20] [--cameras 100] [--per-fault 5]
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { checkPicture } from '../edge/camera-probe/picture.js'
import type { AlarmType } from '../gateway/alarms/catalog.js'
import { startGateway, type Gateway } from '../gateway/app.js'
import { configWith } from '../gateway/config/load.js'
import { createLogger } from '../gateway/log.js'
import type { CameraFaults } from '../simulators/rtsp-camera/camera.js'
import { CameraHost } from '../simulators/rtsp-camera/host.js'
import { Scenes } from '../simulators/rtsp-camera/scene.js'
import { writeSection } from './report.js'

const { values } = parseArgs({ options: { checks: { type: 'string', default: '20' }, cameras: { type: 'string', default: '100' }, 'per-fault': { type: 'string', default: '5' } } })
const CHECKS = Number(values.checks)
const CAMERAS = Number(values.cameras)
const PER_FAULT = Number(values['per-fault'])
const HOUR = 3_600_000
const secs = (ms: number) => (ms / 1000).toFixed(2)

/** CPU seconds of this process and of its children that have ended (ffmpeg), from /proc. */
function cpu (): { self: number; children: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number)
  return { self: (f[11]! + f[12]!) / 100, children: (f[13]! + f[14]!) / 100 }
}

/** Offset that puts a clock at the last `hour`:00 in Việt Nam (UTC+7), within the 7 days a device's time is believed. */
function offsetToHour (hour: number): number {
  const local = Date.now() + 7 * HOUR
  const at = local - (local % (24 * HOUR)) + hour * HOUR
  return (at <= local ? at : at - 24 * HOUR) - local
}

async function gateway (dataDir: string, offsetMs: () => number): Promise<Gateway> {
  return startGateway(configWith({
    dataDir, mqttPort: 0, mqttWsPort: 'off', httpPort: 0, httpHost: '127.0.0.1', mqttHost: '127.0.0.1', adminToken: 'bench-admin-token-0123456789',
    cameraProbeIntervalS: 3600, cameraProbeConcurrency: 16, cameraProbeTimeoutS: 30, snapshotIntervalS: 0.001
  }), createLogger('warn'), { cameraClock: () => Date.now() + offsetMs() })
}

// ---- 1. one check ---------------------------------------------------------------------
const scenes = new Scenes()
const dir = mkdtempSync(join(tmpdir(), 'bench-pictures-'))
const reference = join(dir, 'reference.jpg')
writeFileSync(reference, await scenes.picture('day', 0))
const picture = await scenes.picture('day', 1)
await checkPicture(picture, reference) // warm the page cache
const walls: number[] = []
const before = cpu()
for (let i = 0; i < CHECKS; i++) {
  const started = performance.now()
  await checkPicture(picture, reference)
  walls.push(performance.now() - started)
}
const after = cpu()
walls.sort((a, b) => a - b)
const one = { wallP50: walls[Math.floor(CHECKS / 2)]!, wallP95: walls[Math.floor(CHECKS * 0.95)]!, cpuS: (after.children - before.children) / CHECKS, bytes: picture.length }
console.error('one check', one)

// ---- 2. a full cycle over 100 cameras ----------------------------------------------------
const day = offsetToHour(10)
const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/rtsp-camera/cli.ts', '--count', String(CAMERAS), `--clock-offset-s=${day / 1000}`], { stdio: ['ignore', 'pipe', 'inherit'] })
let line = ''
for await (const chunk of child.stdout) { line += String(chunk); if (line.includes('\n')) break }
const { cameras } = JSON.parse(line) as { cameras: Array<{ id: string; rtspUrl: string; onvifUrl: string; snapshotUrl: string; username: string; password: string }> }
const cycleDir = join(dir, 'cycle')
const gw = await gateway(cycleDir, () => day)
await gw.cameraProbes.runCycle()
for (const cam of cameras) {
  gw.registry.create({ id: cam.id, kind: 'camera', name: cam.id, village: 'Thôn 1' })
  gw.cameraEndpoints.set(cam.id, { rtspUrl: cam.rtspUrl, onvifUrl: cam.onvifUrl, snapshotUrl: cam.snapshotUrl, username: cam.username, password: cam.password })
}
async function measuredCycle () {
  const c0 = cpu()
  const summary = await gw.cameraProbes.runCycle()
  const c1 = cpu()
  return { durationS: summary.durationMs / 1000, ok: summary.ok, gatewayCpuS: c1.self - c0.self, ffmpegCpuS: c1.children - c0.children }
}
await measuredCycle() // first sight: every camera's first snapshot is kept (warms both sides)
const kept = await measuredCycle() // every probe keeps one (interval 1 ms)
const keptBytes = gw.snapshots.usedBytes
const keeper = (gw as unknown as { cameraProbes: { parts: { pictures?: unknown } } }).cameraProbes.parts
const pictures = keeper.pictures
keeper.pictures = undefined // the same cycle, snapshots fetched but none kept nor checked
const plain = await measuredCycle()
keeper.pictures = pictures
await gw.stop()
child.kill('SIGTERM')
console.error('cycle', { kept, plain, keptBytes })

// ---- 3. detection ------------------------------------------------------------------------
const FAULTS: Array<{ fault: keyof CameraFaults | null; alarm: AlarmType | null; hour: number }> = [
  { fault: null, alarm: null, hour: 10 }, { fault: null, alarm: null, hour: 23 },
  { fault: 'covered', alarm: 'picture_covered', hour: 10 }, { fault: 'covered', alarm: 'picture_covered', hour: 23 },
  { fault: 'blurred', alarm: 'picture_blurred', hour: 10 }, { fault: 'turned', alarm: 'scene_changed', hour: 10 },
  { fault: 'irFailed', alarm: 'night_ir_failed', hour: 23 }
]
const PICTURE_ALARMS: AlarmType[] = ['picture_covered', 'picture_blurred', 'scene_changed', 'night_ir_failed', 'snapshot_frozen']
const host = await CameraHost.start()
const detection: Array<{ name: string; cameras: number; raised: number; wrong: number }> = []
for (const hour of [10, 23]) {
  const offset = offsetToHour(hour)
  const g = await gateway(join(dir, `detect-${hour}`), () => offset)
  await g.cameraProbes.runCycle()
  const rows = FAULTS.filter((f) => f.hour === hour).map((f) => ({ ...f, ids: [] as string[] }))
  for (const row of rows) {
    for (let i = 0; i < PER_FAULT; i++) {
      const { device } = g.registry.create({ kind: 'camera', name: `${row.fault ?? 'healthy'} ${i}`, village: 'Thôn 1' })
      const sim = host.add({ id: device.id, faults: { clockOffsetS: offset / 1000 } })
      g.cameraEndpoints.set(device.id, { ...host.urls(device.id), ...sim.credentials })
      row.ids.push(device.id)
    }
  }
  await g.cameraProbes.runCycle() // healthy pictures: each becomes its camera's reference
  for (const row of rows) for (const id of row.ids) g.snapshots.markReference(id, g.snapshots.latestAt(id)!, 'bench')
  for (const row of rows) for (const id of row.ids) if (row.fault) (host.get(id)!.faults as unknown as Record<string, boolean>)[row.fault] = true
  await g.cameraProbes.runCycle()
  await new Promise((resolve) => setTimeout(resolve, 3000)) // readings reach the alarm engine through the journal's commit
  const active = g.alarms.activeAlarms().filter((a) => PICTURE_ALARMS.includes(a.type))
  for (const row of rows) {
    const of = (id: string) => active.filter((a) => a.deviceId === id).map((a) => a.type)
    detection.push({
      name: `${row.fault ?? 'healthy'} at ${hour}:00 → ${row.alarm ?? 'no alarm'}`,
      cameras: row.ids.length,
      raised: row.ids.filter((id) => row.alarm ? of(id).includes(row.alarm) : of(id).length === 0).length,
      wrong: row.ids.filter((id) => of(id).some((t) => t !== row.alarm)).length
    })
  }
  await g.stop()
}
await host.stop()
rmSync(dir, { recursive: true, force: true })
console.error('detection', detection)

// ---- report ------------------------------------------------------------------------------
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, shared with other engineers' test runs (figures are upper bounds)`
const perCamera = (kept.gatewayCpuS + kept.ffmpegCpuS - plain.gatewayCpuS - plain.ffmpegCpuS) / CAMERAS
const lines = [
  `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}. Command: \`npm run bench:pictures\`.`, '',
  '| figure | value |', '|---|---|',
  `| one check (ffmpeg: decode, signalstats, blurdetect, SSIM against the reference, thumbnail), ${CHECKS} in a row | ${secs(one.wallP50)} s wall p50, ${secs(one.wallP95)} s p95; ${one.cpuS.toFixed(2)} s CPU (a ${Math.round(one.bytes / 1024)} KB 640x360 picture) |`,
  `| probe cycle over ${CAMERAS} cameras keeping and checking every snapshot | ${kept.durationS.toFixed(1)} s; gateway ${kept.gatewayCpuS.toFixed(1)} s CPU + ffmpeg ${kept.ffmpegCpuS.toFixed(1)} s CPU (${kept.ok} cameras ok) |`,
  `| the same cycle keeping none | ${plain.durationS.toFixed(1)} s; gateway ${plain.gatewayCpuS.toFixed(1)} s CPU + ffmpeg ${plain.ffmpegCpuS.toFixed(1)} s CPU |`,
  `| pictures' cost per camera and check | ${perCamera.toFixed(2)} s CPU; every 5 min (the default) for ${CAMERAS} cameras: ${(perCamera * CAMERAS / 300 * 100).toFixed(0)} % of one core |`,
  `| disk per kept snapshot (picture + thumbnail) | ${(keptBytes / CAMERAS / 2 / 1024).toFixed(1)} KB (simulated 640x360; a real 1080p snapshot is 200–400 KB) |`,
  '', '| simulated fault (reference: the camera\'s healthy picture) | cameras | as expected | another picture alarm |', '|---|---|---|---|',
  ...detection.map((d) => `| ${d.name} | ${d.cameras} | ${d.raised} | ${d.wrong} |`)
]
writeSection('pictures', lines.join('\n'))
process.exit(0)
