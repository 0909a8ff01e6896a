// MQTT over TLS with the box's certificate, and the maximum packet size.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectAsync } from 'mqtt'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { topics } from '../../gateway/contract/index.js'
import { startTestGateway, type TestGateway } from '../support/gateway.js'

const certDir = mkdtempSync(join(tmpdir(), 'gw-tls-'))
/** A self-signed certificate made with the openssl command line (Debian's openssl). */
function makeCertificate (name: string): { cert: string; key: string } {
  const cert = join(certDir, `${name}.pem`)
  const key = join(certDir, `${name}-key.pem`)
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' })
  return { cert, key }
}

let t: TestGateway
let box: { cert: string; key: string }
beforeAll(async () => {
  box = makeCertificate('box')
  t = await startTestGateway({ tlsCert: box.cert, tlsKey: box.key, mqttTlsPort: 0, maxPacketBytes: 2048 })
}, 60_000)
afterAll(async () => {
  await t.stop()
  rmSync(certDir, { recursive: true, force: true })
})

test('MQTT over TLS: trusted with the box certificate, refused with another CA', async () => {
  const { id, secret } = t.addDevice('camera')
  const url = `mqtts://localhost:${t.gw.mqtt.tls!.port}`
  const client = await connectAsync(url, { clientId: id, username: id, password: secret, ca: readFileSync(box.cert), reconnectPeriod: 0 })
  await client.publishAsync(topics.telemetry(id), JSON.stringify({ fps: 15 }), { qos: 1 })
  await client.endAsync()
  await expect.poll(async () => (await t.gw.store.latest()).get(id)?.fps?.value).toBe(15)

  const stranger = makeCertificate('stranger')
  await expect(connectAsync(url, { clientId: id, username: id, password: secret, ca: readFileSync(stranger.cert), reconnectPeriod: 0, connectTimeout: 5000 }))
    .rejects.toThrow(/self.signed|certificate/i)
})

test('a packet over the size limit closes that connection only; one under it passes', async () => {
  const big = t.addDevice('camera')
  const other = t.addDevice('camera')
  const bystander = await t.connect(other.id, other.secret)
  const client = await t.connect(big.id, big.secret)
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))

  // Just under the limit: a valid reading padded by whitespace, which JSON allows.
  const fits = JSON.stringify({ fps: 11 }) + ' '.repeat(2048 - 100)
  await client.publishAsync(topics.telemetry(big.id), fits, { qos: 1 })
  await expect.poll(async () => (await t.gw.store.latest()).get(big.id)?.fps?.value).toBe(11)

  client.publish(topics.telemetry(big.id), JSON.stringify({ fps: 12 }) + ' '.repeat(4096), { qos: 1 })
  await closed
  const text = await (await fetch(`${t.httpUrl}/metrics`)).text()
  expect(text).toMatch(/^gateway_messages_rejected_total\{reason="too_large"\} 1$/m)

  await bystander.publishAsync(topics.telemetry(other.id), JSON.stringify({ fps: 30 }), { qos: 1 })
  await expect.poll(async () => (await t.gw.store.latest()).get(other.id)?.fps?.value).toBe(30)
  expect((await t.gw.store.latest()).get(big.id)?.fps?.value).toBe(11)
  await client.endAsync(true)
})
