// Load generator, run as its own process: N devices, each publishing QoS1 water-level
// readings with `window` messages in flight, for `seconds`. Prints one JSON line: how many
// were acknowledged and the PUBACK latencies.
import { connectAsync, type MqttClient } from 'mqtt'
import { topics } from '../gateway/contract/index.js'

interface Args { url: string; seconds: number; window: number; devices: Array<{ id: string; secret: string }> }
const args = JSON.parse(process.argv[2] ?? '{}') as Args

const clients: MqttClient[] = await Promise.all(args.devices.map((d) =>
  connectAsync(args.url, { clientId: d.id, username: d.id, password: d.secret, reconnectPeriod: 0, keepalive: 60 })))

const latencies: number[] = []
let acked = 0
let failed = 0
let running = true
const started = performance.now()
const t0 = Date.now() - 120_000

await Promise.all(clients.map((client, i) => new Promise<void>((resolve) => {
  const id = args.devices[i]!.id
  let seq = 0
  let inflight = 0
  const send = (): void => {
    while (running && inflight < args.window) {
      inflight++
      const sentAt = performance.now()
      const ts = t0 + seq++
      // A lake moves slowly: a smooth level, as a real station reports (a sawtooth would be an
      // "impossible jump" to the alarm rules every few hundred readings).
      client.publish(topics.telemetry(id), JSON.stringify({ ts, levelM: 10 + 0.5 * Math.sin(seq / 5000), rainMm: 0.2, batteryPct: 87 }), { qos: 1 }, (err) => {
        inflight--
        if (err) failed++
        else { acked++; latencies.push(performance.now() - sentAt) }
        if (running) send()
        else if (inflight === 0) resolve()
      })
    }
  }
  send()
  setTimeout(() => { running = false; if (inflight === 0) resolve() }, args.seconds * 1000)
})))
const elapsed = (performance.now() - started) / 1000
await Promise.all(clients.map((c) => c.endAsync()))

latencies.sort((a, b) => a - b)
const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
console.log(JSON.stringify({ acked, failed, seconds: elapsed, p50Ms: pct(0.5), p99Ms: pct(0.99) }))
