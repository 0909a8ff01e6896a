// Idle devices, run as its own process: opens N MQTT connections (each with its own
// credentials) and holds them. Prints "ready" once all are connected; exits on SIGTERM.
import { readFileSync } from 'node:fs'
import { connectAsync, type MqttClient } from 'mqtt'

interface Args { url: string; devices: Array<{ id: string; secret: string }> }
// The arguments come in a file: 10,000 devices' credentials do not fit on a command line.
const args = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Args
const clients: MqttClient[] = []
// In waves, so the broker is not hit by 10,000 handshakes at once.
for (let i = 0; i < args.devices.length; i += 500) {
  clients.push(...await Promise.all(args.devices.slice(i, i + 500).map((d) =>
    connectAsync(args.url, { clientId: d.id, username: d.id, password: d.secret, reconnectPeriod: 0, keepalive: 600 }))))
}
console.log(JSON.stringify({ ready: clients.length }))
process.on('SIGTERM', () => { for (const c of clients) c.end(true); process.exit(0) })
