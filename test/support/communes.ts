// Commune boxes for province tests: a real gateway per commune whose uplink feeds the test
// province (heartbeat every second, so the province knows at once who is there), with
// simulated loudspeaker clusters in named villages, online before the test goes on.
import { startTestGateway, type TestGateway } from './gateway.js'
import type { ProvinceStack } from './province.js'
import { uplinkSettings } from './province.js'
import { speakerIn, type SimSpeaker } from './speakers.js'

export interface TestCommune { code: string; t: TestGateway; speakers: SimSpeaker[]; stop (): Promise<void> }

export async function startCommune (stack: ProvinceStack, code: string, villages: Record<string, number>, servers?: string[], extra: Record<string, string | number | boolean> = {}): Promise<TestCommune> {
  const t = await startTestGateway({ ...uplinkSettings(stack, code, servers), uplinkHeartbeatS: 1, commune: `Xã ${code}`, ...extra })
  const speakers = Object.entries(villages).flatMap(([village, count]) => Array.from({ length: count }, () => speakerIn(t, village)))
  for (const s of speakers) s.start()
  await until(() => speakers.every((s) => t.gw.presence.get(s.id).online), 15_000, `the clusters of ${code} online`)
  return {
    code, t, speakers,
    async stop () {
      await Promise.all(speakers.map((s) => s.stop()))
      await t.stop()
    }
  }
}

/** The clusters' delivery states of the commune's copy of a provincial bulletin. */
export function provincialStates (c: TestCommune, provincialId: string): string[] {
  const b = c.t.gw.broadcasts.store.byProvinceId(provincialId)
  return b ? c.t.gw.broadcasts.store.deliveries(b.id).map((d) => d.state) : []
}

/** Waits for a condition outside a test (beforeAll), where expect.poll is not allowed. */
export async function until (ok: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!await ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
