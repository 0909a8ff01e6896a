// Load generator, run as its own process: N devices, each a real MQTT.js client with its own
// credentials, publishing QoS1 water-level readings of the contract. Either as fast as they
// are acknowledged (`window` in flight per device) or at a fixed total `rate` per second.
// Prints one JSON line: how many were acknowledged, the PUBACK latencies and its own CPU time.
import { readFileSync } from 'node:fs'
import { connectAsync, type MqttClient } from 'mqtt'
import { topics } from '../gateway/contract/index.js'

interface Args { url: string; seconds: number; window: number; rate?: number; devices: Array<{ id: string; secret: string }> }
// The arguments come in a file: 10,000 devices' credentials do not fit on a command line.
const args = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Args

const clients: MqttClient[] = await Promise.all(args.devices.map((d) =>
  connectAsync(args.url, { clientId: d.id, username: d.id, password: d.secret, reconnectPeriod: 0, keepalive: 60 })))

const latencies: number[] = []
let acked = 0
let failed = 0
let running = true
const started = performance.now()
const cpuAtStart = process.cpuUsage()
const t0 = Date.now() - 120_000

function publish (client: MqttClient, id: string, ts: number, seq: number, done: () => void): void {
  const sentAt = performance.now()
  // A lake moves slowly: a smooth level, as a real station reports (a sawtooth would be an
  // "impossible jump" to the alarm rules every few hundred readings).
  client.publish(topics.telemetry(id), JSON.stringify({ ts, levelM: 10 + 0.5 * Math.sin(seq / 5000), rainMm: 0.2, batteryPct: 87 }), { qos: 1 }, (err) => {
    if (err) failed++
    else { acked++; latencies.push(performance.now() - sentAt) }
    done()
  })
}

if (args.rate) {
  // Fixed rate: every device publishes on its own steady tick, stamped with the wall clock
  // (the dashboard latency is measured against that stamp).
  const perDeviceMs = (1000 * clients.length) / args.rate
  let inflight = 0
  const timers = clients.map((client, i) => {
    let seq = 0
    let last = 0
    return setInterval(() => {
      // Never two readings of one device in one millisecond.
      const ts = Math.max(Date.now(), last + 1)
      last = ts
      inflight++
      publish(client, args.devices[i]!.id, ts, seq++, () => { inflight-- })
    }, perDeviceMs)
  })
  await new Promise((resolve) => setTimeout(resolve, args.seconds * 1000))
  for (const t of timers) clearInterval(t)
  while (inflight > 0) await new Promise((resolve) => setTimeout(resolve, 10))
} else {
  await Promise.all(clients.map((client, i) => new Promise<void>((resolve) => {
    const id = args.devices[i]!.id
    let seq = 0
    let inflight = 0
    const send = (): void => {
      while (running && inflight < args.window) {
        inflight++
        publish(client, id, t0 + seq, seq++, () => {
          inflight--
          if (running) send()
          else if (inflight === 0) resolve()
        })
      }
    }
    send()
    setTimeout(() => { running = false; if (inflight === 0) resolve() }, args.seconds * 1000)
  })))
}
const elapsed = (performance.now() - started) / 1000
// The generator's own CPU while it published, connections and start-up aside.
const cpu = process.cpuUsage(cpuAtStart)
await Promise.all(clients.map((c) => c.endAsync()))

latencies.sort((a, b) => a - b)
const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
console.log(JSON.stringify({ acked, failed, seconds: elapsed, cpuSeconds: (cpu.user + cpu.system) / 1e6, p50Ms: pct(0.5), p99Ms: pct(0.99) }))
