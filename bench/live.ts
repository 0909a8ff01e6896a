// `npm run bench:live`: mouth-to-loudspeaker delay of a live session, and the CPU it costs.
// A gateway (SQLite) and simulated clusters (real MQTT clients that fetch the stream over
// HTTP) run here. The "microphone" is ffmpeg encoding, in real time, silence and then a
// 440 Hz tone to WebM/Opus in quarter-second pieces, as the dashboard's MediaRecorder does,
// posted in order to the gateway. Some clusters pipe what they receive into an ffmpeg MP3
// decoder; the delay is from the tone's start at the microphone (counted from the encoder's
// start, so never too small) to the first tenth of a second of decoded tone at the cluster.
//
//   npm run bench:live -- [--clusters 30] [--timed 5] [--rounds 3]
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startGateway } from '../gateway/app.js'
import { configWith } from '../gateway/config/load.js'
import { createLogger } from '../gateway/log.js'
import { simClock } from '../simulators/clock.js'
import { SimDevice } from '../simulators/device.js'
import { seededRandom } from '../simulators/patterns.js'
import { SpeakerModel } from '../simulators/speaker.js'
import { RATE, speakTone, toneShare } from '../test/support/live-audio.js'
import { signIn } from '../test/support/people.js'
import { cpuSeconds } from './proc.js'

const { values } = parseArgs({ options: { clusters: { type: 'string', default: '30' }, timed: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' } } })
const [clustersN, timedN, rounds] = [Number(values.clusters), Number(values.timed), Number(values.rounds)]
const SILENCE_S = 3
const TONE_S = 4
const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-live-'))
const gw = await startGateway(configWith({ dataDir, mqttPort: 0, mqttWsPort: 'off', httpPort: 0, httpHost: '127.0.0.1', mqttHost: '127.0.0.1' }), createLogger('silent'))
const clock = simClock()
/** Per timed cluster, the decoder of the current session and when it first heard the tone. */
const heardAt = new Map<string, number>()
const decoders = new Map<string, ReturnType<typeof decoder>>()

function decoder (deviceId: string) {
  const child = spawn('ffmpeg', ['-v', 'error', '-fflags', 'nobuffer', '-probesize', '2048', '-f', 'mp3', '-i', 'pipe:0', '-ac', '1', '-ar', String(RATE), '-f', 's16le', 'pipe:1'])
  let pending = Buffer.alloc(0)
  const block = RATE / 10 * 2
  child.stdout.on('data', (pcm: Buffer) => {
    pending = Buffer.concat([pending, pcm])
    while (pending.length >= block) {
      const samples = new Int16Array(pending.buffer.slice(pending.byteOffset, pending.byteOffset + block))
      pending = pending.subarray(block)
      if (!heardAt.has(deviceId) && toneShare(samples, 440) > 0.5) heardAt.set(deviceId, performance.now())
    }
  })
  child.stdin.on('error', () => undefined)
  return child
}

const sims = Array.from({ length: clustersN }, (_, i) => {
  const { device, secret } = gw.registry.create({ kind: 'speaker', name: `Cụm loa ${i + 1}`, village: `Thôn ${(i % 5) + 1}` })
  const timed = i < timedN
  return new SimDevice(device.id, new SpeakerModel({ random: seededRandom(i + 1), simNow: clock.simNow(), amplifierFaultsPerH: 0, mainsLossesPerH: 0 }), {
    url: `mqtt://127.0.0.1:${gw.mqtt.tcp.port}`, secret, clock, intervalMs: 600_000, keepaliveS: 60, random: seededRandom(i + 7),
    onStream: timed ? (_b, chunk) => { decoders.get(device.id)?.stdin.write(chunk) } : undefined
  })
})
try {
  for (const s of sims) s.start()
  while (!sims.every((s) => gw.presence.get(s.id).online)) await new Promise((resolve) => setTimeout(resolve, 100))
  await gw.users.create({ username: 'canbo', displayName: 'Cán bộ', role: 'official', password: 'bench-password-1', mayApprove: true })
  const who = await signIn(`http://127.0.0.1:${gw.http.port}`, 'canbo', 'bench-password-1')
  const delays: number[] = []
  const sessions: Array<{ transcoderCpuS: number; benchCpuS: number; seconds: number; played: number }> = []
  for (let round = 0; round < rounds; round++) {
    heardAt.clear()
    for (const s of sims.slice(0, timedN)) decoders.set(s.id, decoder(s.id))
    const res = await who.fetch('/api/live', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ priority: 'emergency', targets: { all: true } }) })
    const { id } = await res.json() as { id: string }
    const pid = gw.broadcasts.live.transcoderPid(id)!
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const mic = speakTone(who, id, 440, TONE_S, SILENCE_S)
    await mic.done
    const toneAt = mic.started() + SILENCE_S * 1000
    const transcoderCpuS = cpuSeconds(pid)
    await who.fetch(`/api/live/${id}/stop`, { method: 'POST' })
    const cpu = process.cpuUsage(cpu0)
    for (const d of decoders.values()) d.stdin.end()
    decoders.clear()
    for (const at of heardAt.values()) delays.push(at - toneAt)
    sessions.push({ transcoderCpuS, benchCpuS: (cpu.user + cpu.system) / 1e6, seconds: (performance.now() - t0) / 1000, played: gw.broadcasts.service.summary(id).done })
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  delays.sort((a, b) => a - b)
  const pct = (p: number) => Math.round(delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? NaN)
  const seconds = sessions.reduce((n, s) => n + s.seconds, 0)
  const report = {
    date: new Date().toISOString(), clusters: clustersN, timedClusters: timedN, rounds, measured: delays.length,
    delayMs: { min: pct(0), p50: pct(0.5), p90: pct(0.9), max: Math.round(delays.at(-1) ?? NaN) },
    transcoderCpuPct: Math.round(1000 * sessions.reduce((n, s) => n + s.transcoderCpuS, 0) / seconds) / 10,
    benchProcessCpuPct: Math.round(1000 * sessions.reduce((n, s) => n + s.benchCpuS, 0) / seconds) / 10,
    playedInFull: sessions.map((s) => s.played)
  }
  mkdirSync('bench/out', { recursive: true })
  writeFileSync('bench/out/live.json', JSON.stringify(report, null, 2) + '\n')
  console.log(JSON.stringify(report, null, 2))
} finally {
  for (const d of decoders.values()) d.kill()
  await Promise.all(sims.map((s) => s.stop()))
  await gw.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
