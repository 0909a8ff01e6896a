// Simulated loudspeaker clusters against a test gateway: real MQTT, real HTTP fetches of
// the bulletin audio, real playing time (simulators/player.ts).
import { simClock } from '../../simulators/clock.js'
import { SimDevice } from '../../simulators/device.js'
import { seededRandom } from '../../simulators/patterns.js'
import { SpeakerModel } from '../../simulators/speaker.js'
import type { TestGateway } from './gateway.js'

export type SimSpeaker = SimDevice<'speaker', SpeakerModel>

/** Registers a cluster in `village` and makes its simulator (not started). */
export function speakerIn (t: TestGateway, village: string, options: { playFailShare?: number; keepStreams?: boolean } = {}): SimSpeaker {
  const { id, secret } = t.addDevice('speaker', { village })
  const clock = simClock()
  const model = new SpeakerModel({ random: seededRandom(id.length), simNow: clock.simNow(), amplifierFaultsPerH: 0, mainsLossesPerH: 0 })
  return new SimDevice(id, model, {
    url: t.mqttUrl, secret, clock, intervalMs: 60_000, keepaliveS: 30, backoff: { baseMs: 50, maxMs: 300 }, random: Math.random, ...options
  })
}

/** Starts the clusters and waits until the gateway sees every one online. */
export async function startOnline (t: TestGateway, sims: SimSpeaker[], timeoutMs = 10_000): Promise<void> {
  for (const s of sims) s.start()
  for (const until = Date.now() + timeoutMs; !sims.every((s) => t.gw.presence.get(s.id).online);) {
    if (Date.now() > until) throw new Error(`simulated clusters did not come online: ${sims.filter((s) => !t.gw.presence.get(s.id).online).map((s) => s.id).join(', ')}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
