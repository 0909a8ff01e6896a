// A whole gateway in the test process: temp data folder, every listener on port 0, silent
// logs (TEST_LOG_LEVEL=debug to see them), and helpers to register devices and connect
// real MQTT.js clients as them.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt'
import { startGateway, type Gateway, type GatewayOptions } from '../../gateway/app.js'
import { configWith } from '../../gateway/config/load.js'
import type { SettingName } from '../../gateway/config/settings.js'
import type { DeviceKind } from '../../gateway/contract/index.js'
import type { FieldValue } from '../../gateway/kinds/definition.js'
import type { AnswerMismatch } from '../../gateway/http/describe.js'
import { createLogger } from '../../gateway/log.js'

export interface TestGateway {
  gw: Gateway
  dataDir: string
  mqttUrl: string
  httpUrl: string
  /** fetch() on the gateway's HTTP API as the admin (bearer token). */
  api (path: string, init?: RequestInit): Promise<Response>
  /** Registers a device; returns its id and secret. */
  addDevice (kind: DeviceKind, extra?: Record<string, unknown>): { id: string; secret: string }
  /** Hands the alarm engine a reading of a registered device, as if just received (no broker, no store). */
  judge (id: string, fields: Record<string, FieldValue>): void
  /** Connects a real MQTT.js client as a device (no automatic reconnect unless asked). */
  connect (id: string, secret: string, options?: IClientOptions): Promise<MqttClient>
  /** JSON answers that did not match their route's documented schema (gateway/http/answers.ts); stop() fails on any. */
  readonly answerMismatches: AnswerMismatch[]
  /** Stops the gateway; keeps the data folder when asked (for a restart). */
  stop (options?: { keepData?: boolean }): Promise<void>
}

let counter = 0

export async function startTestGateway (
  overrides: Partial<Record<SettingName, string | number | boolean>> = {},
  /** Where logs go instead (at debug level), for tests that read them. */
  options: { log?: NodeJS.WritableStream } & GatewayOptions = {}
): Promise<TestGateway> {
  const dataDir = overrides.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'gw-test-')) : String(overrides.dataDir)
  const config = configWith({
    mqttHost: '::', mqttPort: 0, mqttWsPort: 0, httpHost: '::', httpPort: 0, adminToken: 'test-admin-token-0123456789', ...overrides, dataDir
  })
  const log = options.log ? createLogger('debug', options.log) : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent')
  // Every test that uses this gateway also checks that the API answers as its OpenAPI document says.
  const answerMismatches: AnswerMismatch[] = []
  const gw = await startGateway(config, log, { now: options.now, liveSweepMs: options.liveSweepMs, cameraClock: options.cameraClock, checkAnswers: (m) => answerMismatches.push(m) })
  const clients = new Set<MqttClient>()
  const mqttUrl = `mqtt://127.0.0.1:${gw.mqtt.tcp.port}`
  return {
    gw,
    dataDir,
    mqttUrl,
    answerMismatches,
    httpUrl: `http://127.0.0.1:${gw.http.port}`,
    api (path, init = {}) {
      const headers = new Headers(init.headers)
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${gw.adminToken}`)
      return fetch(`http://127.0.0.1:${gw.http.port}${path}`, { ...init, headers })
    },
    addDevice (kind, extra = {}) {
      counter++
      const { device, secret } = gw.registry.create({ kind, name: `Thiết bị thử ${counter}`, village: 'Thôn Đông', ...extra })
      return { id: device.id, secret }
    },
    judge (id, fields) {
      gw.alarms.onReading({ device: gw.registry.get(id)!, ts: Date.now(), receivedAt: Date.now(), clock: 'device', fields })
    },
    async connect (id, secret, options = {}) {
      const client = await connectAsync(mqttUrl, { clientId: id, username: id, password: secret, reconnectPeriod: 0, ...options })
      clients.add(client)
      return client
    },
    async stop ({ keepData = false } = {}) {
      await Promise.all([...clients].map((c) => c.endAsync(true).catch(() => undefined)))
      await gw.stop()
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
      if (answerMismatches.length > 0) {
        throw new Error(`answers that differ from their documented schema (gateway/http/answers.ts or the route's doc()):\n${answerMismatches.map((m) => `${m.method} ${m.url} ${m.status}: ${m.problems.join('; ')}`).join('\n')}`)
      }
    }
  }
}
