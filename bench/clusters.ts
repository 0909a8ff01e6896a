// Simulated loudspeaker clusters, run as their own process for the broadcast benchmark: each
// a real MQTT client with its own credentials and a player that fetches the bulletin over
// HTTP (simulators/player.ts). Prints "ready" once every cluster is connected, then runs
// until it is killed.
import { readFileSync } from 'node:fs'
import { simClock } from '../simulators/clock.js'
import { SimDevice } from '../simulators/device.js'
import { seededRandom } from '../simulators/patterns.js'
import { SpeakerModel } from '../simulators/speaker.js'

interface Args { url: string; devices: Array<{ id: string; secret: string }> }
const args = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Args
const clock = simClock()
const sims = args.devices.map((d, i) => new SimDevice(d.id, new SpeakerModel({ random: seededRandom(i + 1), simNow: clock.simNow(), amplifierFaultsPerH: 0, mainsLossesPerH: 0 }), {
  url: args.url, secret: d.secret, clock, intervalMs: 600_000, keepaliveS: 60, random: seededRandom(i + 7)
}))
for (const sim of sims) sim.start()
const ready = setInterval(() => {
  if (sims.every((s) => s.connected)) {
    clearInterval(ready)
    console.log('ready')
  }
}, 100)
process.on('SIGTERM', () => { void Promise.all(sims.map((s) => s.stop())).finally(() => process.exit(0)) })
