// `npm run demo`: the gateway on embedded storage with a simulated commune, in one process.
// Data in ./demo-data (GATEWAY_DATA_DIR to change); every GATEWAY_* setting applies.
// The demo inventory is imported once; its secrets are kept in demo-data/demo-credentials.json
// (mode 0600) so the next run reconnects the same devices.
//
//   npm run demo -- [--scenario normal|heavy-rain|power-cut|flapping] [--speed 30]
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startGateway, type Gateway } from '../gateway/app.js'
import { missingTools, missingToolsNotice } from '../gateway/broadcasts/audio.js'
import { ConfigError, loadConfig } from '../gateway/config/load.js'
import { lockDataFolder } from '../gateway/db/data-lock.js'
import { optionProblem, startFailure } from '../gateway/start-errors.js'
import type { Config } from '../gateway/config/settings.js'
import { createLogger } from '../gateway/log.js'
import { parseInventory } from '../gateway/registry/inventory.js'
import { ROLE_NAMES } from '../gateway/users/roles.js'
import { prepareDemoUsers } from './demo-users.js'
import { startFleet } from './fleet.js'
import { CameraHost } from './rtsp-camera/host.js'
import { DEMO_CAMERA_FAULTS, demoRtspCameras, startDemoCameras } from './demo-cameras.js'
import { statusLine } from './fleet-cli.js'
import { inventoryDevices } from './inventory.js'
import { SCENARIOS, type ScenarioName } from './scenario.js'

const INVENTORY = new URL('./inventory/demo-commune.yaml', import.meta.url)

const USAGE = `usage: npm run demo -- [--scenario ${SCENARIOS.join('|')}] [--speed 30] [--rtsp-cameras ${DEMO_CAMERA_FAULTS.length}]
  (every GATEWAY_* setting applies; data in ./demo-data unless GATEWAY_DATA_DIR says otherwise)
  ports: GATEWAY_HTTP_PORT=8080 GATEWAY_MQTT_PORT=1883 GATEWAY_MQTT_WS_PORT=8083 (or off), e.g.
    GATEWAY_HTTP_PORT=18080 GATEWAY_MQTT_PORT=11883 GATEWAY_MQTT_WS_PORT=off npm run demo`
/** A mistake on the command line: one line on stderr, no stack (issue #15). */
function refuse (message: string, code = 2): never {
  console.error(message)
  process.exit(code)
}
let values: { scenario: string; speed: string; 'rtsp-cameras': string; help?: boolean }
try {
  values = parseArgs({
    options: { scenario: { type: 'string', default: 'normal' }, speed: { type: 'string', default: '30' }, 'rtsp-cameras': { type: 'string', default: String(DEMO_CAMERA_FAULTS.length) }, help: { type: 'boolean', short: 'h' } }
  }).values
} catch (err) {
  refuse(optionProblem(err, 'npm run demo -- --help'))
}
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (!(SCENARIOS as readonly string[]).includes(values.scenario)) refuse(`--scenario "${values.scenario}": one of ${SCENARIOS.join(', ')}`)
if (!(Number(values.speed) > 0 && Number(values.speed) <= 10_000)) refuse(`--speed "${values.speed}": a number of simulated seconds per real second, above 0 and at most 10000`)
if (!/^\d{1,3}$/.test(values['rtsp-cameras'])) refuse(`--rtsp-cameras "${values['rtsp-cameras']}": how many of the 100 cameras speak RTSP, 0 to 100`)
let config: Config
try {
  // Snapshots every two minutes rather than five: the demo's turned camera shows soon after it starts.
  config = loadConfig({ GATEWAY_DATA_DIR: './demo-data', GATEWAY_LOG_LEVEL: 'warn', GATEWAY_COMMUNE: 'Xã Phong Điền', GATEWAY_SNAPSHOT_INTERVAL_S: '120', ...process.env })
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  refuse(err.message, 1)
}
// The data folder is this demo's before the logins are reset in it: a second demo stops here.
let gateway: Gateway
let logins: Awaited<ReturnType<typeof prepareDemoUsers>>
// Released at a clean stop: the lock's open connection keeps SQLite's journal file beside it,
// which a Ctrl+C then left in the data folder.
let releaseFolder = (): void => undefined
try {
  releaseFolder = lockDataFolder(config.dataDir)
  logins = await prepareDemoUsers(config)
  gateway = await startGateway(config, createLogger(config.logLevel))
} catch (err) {
  const problem = startFailure(err, config)
  if (!problem) throw err
  refuse(problem, 1)
}

/** Registers the demo commune (first run) and returns every device's secret. */
function credentials (gw: Gateway): Record<string, string> {
  const file = join(config.dataDir, 'demo-credentials.json')
  const secrets: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as Record<string, string> : {}
  const result = gw.registry.importMany(parseInventory(readFileSync(INVENTORY, 'utf8'), 'yaml'))
  for (const { device, secret } of result.created) secrets[device.id] = secret
  // A device registered earlier whose secret was lost gets a new one.
  for (const id of result.skipped) if (!secrets[id]) secrets[id] = gw.registry.rotateSecret(id).secret
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 })
  return secrets
}

const devices = inventoryDevices(readFileSync(INVENTORY, 'utf8'), 'demo-commune.yaml')
const secrets = credentials(gateway)

// --rtsp-cameras N (default 6): the first N cameras speak RTSP/ONVIF instead of MQTT (issue #6)
// and the gateway probes them; the first six show a fault each (demo-cameras.ts).
const rtspCameras = demoRtspCameras(devices.filter((d) => d.kind === 'camera').map((d) => d.id), Number(values['rtsp-cameras']))
const rtspIds = new Set(rtspCameras.map((c) => c.id))
const cameraHost = rtspIds.size > 0 ? await CameraHost.start() : null
if (cameraHost) void startDemoCameras(gateway, cameraHost, rtspCameras).catch((err: unknown) => console.error('demo cameras:', err))

const fleet = startFleet({
  url: `mqtt://127.0.0.1:${gateway.mqtt.tcp.port}`,
  devices: devices.filter((d) => !rtspIds.has(d.id)),
  credentials: secrets,
  scenario: values.scenario as ScenarioName,
  speed: Number(values.speed)
})

const api = `http://localhost:${gateway.http.port}`
const loginLines = logins.map((l) => `    ${l.username.padEnd(8)} ${l.password}   ${ROLE_NAMES[l.role].vi} / ${ROLE_NAMES[l.role].en}`).join('\n')
console.log(`
Cổng kết nối xã thông minh — bản demo / Commune gateway — demo (${devices.length} thiết bị / devices, kịch bản / scenario: ${values.scenario})

  Bảng điều khiển / dashboard:  ${api}/
  Đăng nhập / logins (mật khẩu mới mỗi lần chạy / new passwords every run):
${loginLines}

  MQTT           mqtt://localhost:${gateway.mqtt.tcp.port}${gateway.mqtt.ws ? `   ws://localhost:${gateway.mqtt.ws.port}` : ''}
  API            ${api}/api/devices   (Authorization: Bearer ${gateway.adminToken})
  Sức khỏe       ${api}/health     Chỉ số / metrics: ${api}/metrics
  Dữ liệu / data: ${config.dataDir}    Dừng / stop: Ctrl+C
`)
// Spoken bulletins need espeak-ng and ffmpeg: say so now, not at the first bulletin (issue #13).
const toolsNotice = missingToolsNotice(await missingTools())
if (toolsNotice) console.log(`  ⚠ ${toolsNotice.split('\n').join('\n    ')}\n`)

const ticker = setInterval(() => { console.log(statusLine(fleet.counts(), fleet.clock.simNow(), rtspIds.size)) }, 5000)
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    clearInterval(ticker)
    console.log('đang dừng / stopping…')
    void fleet.stop().then(() => gateway.stop()).then(() => cameraHost?.stop()).then(() => { releaseFolder(); process.exit(0) })
  })
}
