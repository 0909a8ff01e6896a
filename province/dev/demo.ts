// `npm run province:demo`: a whole province on this machine. 3 nats-server nodes, InfluxDB,
// PostgreSQL, the workers and rules, the province's web view, and 3 communes, each a real
// gateway process with a small simulated fleet feeding the province through its uplink.
// Everything lives in temp dirs and is removed on Ctrl+C. Logins are new at every start.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openState } from '../../gateway/app.js'
import { configWith } from '../../gateway/config/load.js'
import { createLogger } from '../../gateway/log.js'
import { Registry } from '../../gateway/registry/registry.js'
import { inventoryDevices } from '../../simulators/inventory.js'
import { startFleet, type Fleet } from '../../simulators/fleet.js'
import type { ScenarioName } from '../../simulators/scenario.js'
import { spawnGateway, type ChildGateway } from '../../test/support/child-gateway.js'
import { startInfluxd } from '../../test/support/influxd.js'
import { freePort } from '../../test/support/ports.js'
import { authConfig, newUserKey } from '../identity/auth.js'
import { addCommune } from '../identity/communes.js'
import { pushBasinMap, setBasinStation } from '../bulletins/flood.js'
import { startProvince } from '../service.js'
import { migrate } from '../store/schema.js'
import { addUser } from '../web/accounts.js'
import { buildProvinceWeb } from '../web/build.js'
import { startProvinceWeb } from '../web/server.js'
import { startNatsCluster } from './nats-cluster.js'
import { startPostgres } from './postgres.js'

const COMMUNES = [
  { code: 'phong-dien', name: 'Xã Phong Điền', basin: 'song-o-lau', lat: 16.40, lon: 107.55 },
  { code: 'phong-thai', name: 'Xã Phong Thái', basin: 'song-o-lau', lat: 16.48, lon: 107.42 },
  { code: 'quang-dien', name: 'Xã Quảng Điền', basin: 'song-bo', lat: 16.57, lon: 107.50 }
]
const webPort = Number(process.env.PROVINCE_WEB_PORT ?? 8090)
const log = createLogger(process.env.PROVINCE_LOG_LEVEL ?? 'warn')
const dir = mkdtempSync(join(tmpdir(), 'province-demo-'))
const stops: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })]

await buildProvinceWeb({ quiet: true })
const [pgServer, influxd] = await Promise.all([startPostgres(), startInfluxd()])
stops.push(() => pgServer.stop(), () => influxd.destroy())
const service = newUserKey()
const setupPool = new pg.Pool({ connectionString: pgServer.url, max: 1 })
await migrate(setupPool)
const keys = new Map<string, string>()
for (const c of COMMUNES) keys.set(c.code, (await addCommune(setupPool, c)).seed)
const communeKeys = (await setupPool.query<{ code: string; public_key: string }>('SELECT code, public_key FROM communes')).rows
await setupPool.end()
const cluster = await startNatsCluster(authConfig(service.publicKey, communeKeys.map((r) => ({ code: r.code, publicKey: r.public_key }))))
stops.push(() => cluster.stop())
const province = await startProvince({
  natsUrls: cluster.urls, serviceSeed: service.seed, pgUrl: pgServer.url, influxUrl: influxd.url, influxDatabase: 'province',
  replicas: 3, readingsDays: 3, rules: { silentAfterMs: 180_000, darkMinCount: 3, darkFraction: 0.3, basinMinStations: 2, sweepMs: 5000 },
  pictureRetentionDays: Number(process.env.PROVINCE_PICTURE_RETENTION_DAYS ?? 30)
}, log)
stops.push(() => province.stop())
const web = await startProvinceWeb(province, '127.0.0.1', webPort)
stops.push(() => web.close())
const staff = await addUser(province.pool, { username: 'tinh', name: 'Cán bộ tỉnh', role: 'staff' })
const approver = await addUser(province.pool, { username: 'tinh.duyet', name: 'Lãnh đạo tỉnh (duyệt bản tin)', role: 'staff', mayApprove: true })
const investigator = await addUser(province.pool, { username: 'tinh.congan', name: 'Công an tỉnh (yêu cầu ảnh camera)', role: 'staff', mayRequestPictures: true })
const viewer = await addUser(province.pool, { username: 'thuyloi', name: 'Sở Nông nghiệp (xem)', role: 'viewer', department: 'water' })

// A small fleet per commune: the demo inventory's stations, some speakers and cameras.
const all = inventoryDevices(readFileSync(new URL('../../simulators/inventory/demo-commune.yaml', import.meta.url), 'utf8'), 'demo-commune.yaml')
const small = [...all.filter((d) => d.kind === 'water_sensor'), ...all.filter((d) => d.kind === 'speaker').slice(0, 4), ...all.filter((d) => d.kind === 'camera').slice(0, 8)]
// The basin map: Phong Điền's stations flood the villages with loudspeakers of the two other
// communes downstream; a level III there is warned in all three (heavy-rain scenario, issue #19).
const speakerVillages = [...new Set(small.filter((d) => d.kind === 'speaker').map((d) => d.village))]
for (const station of small.filter((d) => d.kind === 'water_sensor')) {
  await setBasinStation(province.pool, {
    commune: 'phong-dien', stationId: station.id, name: station.name, reservoir: station.reservoir?.name ?? null, basin: 'song-o-lau',
    downstream: COMMUNES.filter((c) => c.code !== 'phong-dien').map((c) => ({ commune: c.code, villages: speakerVillages }))
  })
}
await pushBasinMap(province.pool, province.nc.jetstream())
const gateways: Array<{ name: string; http: number; gw: ChildGateway; fleet: Fleet }> = []
for (const c of COMMUNES) {
  const dataDir = join(dir, c.code)
  const seedFile = join(dir, `${c.code}.seed`)
  writeFileSync(seedFile, keys.get(c.code)! + '\n', { mode: 0o600 })
  const db = openState(configWith({ dataDir }))
  const registry = new Registry(db, c.name)
  const secrets: Record<string, string> = {}
  for (const d of small) secrets[d.id] = registry.create({ ...d, commune: c.name }).secret
  db.close()
  const [mqtt, http] = [await freePort(), await freePort()]
  const gw = await spawnGateway({
    GATEWAY_DATA_DIR: dataDir, GATEWAY_COMMUNE: c.name, GATEWAY_MQTT_HOST: '127.0.0.1', GATEWAY_MQTT_PORT: String(mqtt), GATEWAY_MQTT_WS_PORT: 'off',
    GATEWAY_HTTP_HOST: '127.0.0.1', GATEWAY_HTTP_PORT: String(http), GATEWAY_ADMIN_TOKEN: `demo-admin-token-${c.code}`,
    GATEWAY_UPLINK_URLS: cluster.urls.join(','), GATEWAY_UPLINK_COMMUNE: c.code, GATEWAY_UPLINK_SEED_FILE: seedFile, GATEWAY_UPLINK_HEARTBEAT_S: '10'
  }, http)
  // PROVINCE_DEMO_SCENARIO=heavy-rain: Phong Điền's reservoirs rise to level III and the province warns downstream.
  const scenario = c.code === 'phong-dien' ? process.env.PROVINCE_DEMO_SCENARIO as ScenarioName | undefined : undefined
  const fleet = startFleet({ url: `mqtt://127.0.0.1:${mqtt}`, devices: small, credentials: secrets, speed: scenario ? 600 : 30, scenario })
  gateways.push({ name: c.name, http, gw, fleet })
  stops.push(async () => { await fleet.stop(); await gw.kill('SIGTERM') })
}

console.log(`
Tỉnh — bản demo / Province — demo (3 nút NATS, InfluxDB, PostgreSQL, ${COMMUNES.length} xã / communes)

  Trung tâm giám sát tỉnh / province view:  http://localhost:${web.port}/
  Đăng nhập / logins (mật khẩu mới mỗi lần chạy / new passwords every run):
    tinh       ${staff}   cán bộ tỉnh, soạn bản tin / provincial staff, composes bulletins
    tinh.duyet ${approver}   duyệt bản tin, phát khẩn cấp / approves bulletins, sends emergencies
    tinh.congan ${investigator}   yêu cầu ảnh một camera / asks for one camera's picture
    thuyloi    ${viewer}   chỉ xem, thủy lợi / read-only, water levels

  Các xã / communes (cổng xã, chỉ số đường truyền / gateway, uplink metrics):
${gateways.map((g) => `    ${g.name.padEnd(16)} http://localhost:${g.http}/metrics   (Bearer demo-admin-token-…)`).join('\n')}

  NATS: ${cluster.urls.join(' ')}    PostgreSQL: ${pgServer.url}    InfluxDB: ${influxd.url} (db province)
  Dừng / stop: Ctrl+C
`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.log('đang dừng / stopping…')
    void (async () => {
      for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {})
      process.exit(0)
    })()
  })
}
