// A device streaming QoS1 telemetry as fast as the gateway acknowledges it, keeping a window
// of messages in flight, and remembering exactly which readings were acknowledged. Each
// reading has its own millisecond timestamp, so what was stored can be checked one by one.
import type { MqttClient } from 'mqtt'
import { topics } from '../../gateway/contract/index.js'

export interface Stream {
  /** Timestamps of acknowledged readings. */
  acked: Set<number>
  sent: () => number
  /** Stops sending; resolves when the loop has ended (in-flight messages may stay unacked). */
  stop (): Promise<void>
}

/** `intervalMs`: a steady load of one reading per interval instead of as fast as acknowledged. */
export function streamReadings (client: MqttClient, deviceId: string, t0: number, window = 32, intervalMs = 0): Stream {
  const acked = new Set<number>()
  let seq = 0
  let running = true
  let inflight = 0
  let wake: (() => void) | null = null
  const loop = (async () => {
    while (running) {
      if (inflight >= window || !client.connected) {
        await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, 20) })
        continue
      }
      const ts = t0 + seq++
      inflight++
      client.publish(topics.telemetry(deviceId), JSON.stringify({ ts, levelM: 10 + (ts % 1000) / 100 }), { qos: 1 }, (err) => {
        inflight--
        if (!err) acked.add(ts)
        wake?.()
      })
      if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  })()
  return {
    acked,
    sent: () => seq,
    async stop () { running = false; wake?.(); await loop }
  }
}
