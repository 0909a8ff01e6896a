// Every setting of the gateway, once: its environment variable, its rule, its default and
// what it is for. docs/configuration in the README is this table in prose. Settings marked
// `path` are files or folders: the loader makes them absolute once (issue #13), so no part of
// the gateway depends on the working directory (express's sendFile refuses relative paths).
import { z } from 'zod'
import { DEVICE_KINDS, KINDS, type DeviceKind } from '../kinds/index.js'
import { trustProxy } from './trust-proxy.js'

const port = z.coerce.number().int().min(0).max(65535)
/** A port, or "off" to not listen at all. */
const optionalPort = z.union([z.literal('off'), port])
const seconds = z.coerce.number().positive()
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes')
const text = z.string().trim().min(1)

/** One heartbeat timeout per device kind, its default from the kind's definition (gateway/kinds/). */
const heartbeatSetting = (kind: DeviceKind) => ({
  env: `GATEWAY_HEARTBEAT_${kind.toUpperCase()}_S`,
  schema: seconds.default(KINDS[kind].heartbeatS),
  doc: `${KINDS[kind].names.en} silent this long is offline.`
})
const HEARTBEAT_SETTINGS = Object.fromEntries(DEVICE_KINDS.map((kind) => [heartbeatKey(kind), heartbeatSetting(kind)])) as
  { [K in DeviceKind as `heartbeatS_${K}`]: ReturnType<typeof heartbeatSetting> }
/** The setting that holds a kind's heartbeat timeout. */
export function heartbeatKey<K extends DeviceKind> (kind: K): `heartbeatS_${K}` { return `heartbeatS_${kind}` }

export const SETTINGS = {
  dataDir: { env: 'GATEWAY_DATA_DIR', schema: text.default('./data'), path: true, doc: 'Folder for the state database, the journal and the embedded telemetry store.' },
  logLevel: { env: 'GATEWAY_LOG_LEVEL', schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), doc: 'pino log level.' },
  commune: { env: 'GATEWAY_COMMUNE', schema: text.default('Xã mẫu'), doc: 'Name of the commune this box serves; the default commune of new devices.' },

  mqttHost: { env: 'GATEWAY_MQTT_HOST', schema: text.default('::'), doc: 'Address MQTT listens on; "::" is every IPv6 and IPv4 address.' },
  mqttPort: { env: 'GATEWAY_MQTT_PORT', schema: port.default(1883), doc: 'MQTT over TCP.' },
  mqttWsPort: { env: 'GATEWAY_MQTT_WS_PORT', schema: optionalPort.default(8083), doc: 'MQTT over WebSocket, or "off".' },
  mqttTlsPort: { env: 'GATEWAY_MQTT_TLS_PORT', schema: port.default(8883), doc: 'MQTT over TLS; used only when a certificate and key are configured.' },
  tlsCert: { env: 'GATEWAY_TLS_CERT', schema: text.optional(), path: true, doc: 'PEM certificate file for MQTT over TLS.' },
  tlsKey: { env: 'GATEWAY_TLS_KEY', schema: text.optional(), path: true, doc: 'PEM private key file for MQTT over TLS.' },
  maxPacketBytes: { env: 'GATEWAY_MQTT_MAX_PACKET_BYTES', schema: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024), doc: 'Larger MQTT packets close the connection before they are read.' },

  httpHost: { env: 'GATEWAY_HTTP_HOST', schema: text.default('::'), doc: 'Address the HTTP API listens on.' },
  httpPort: { env: 'GATEWAY_HTTP_PORT', schema: port.default(8080), doc: 'The dashboard, the HTTP API and the live socket.' },
  adminToken: { env: 'GATEWAY_ADMIN_TOKEN', schema: z.string().min(16, 'at least 16 characters').optional(), doc: 'Bearer token that acts as an admin, for emergencies (other systems get integration tokens: docs/integration.md). Unset: one is made and kept in DATA_DIR/admin-token.' },
  trustProxy: { env: 'GATEWAY_TRUST_PROXY', schema: trustProxy.default(false), doc: 'Behind a reverse proxy: its addresses or CIDRs, comma-separated ("127.0.0.1", "10.0.0.0/8, fd00::/8", also "loopback"), or how many proxies are in front ("1"). Client addresses (audit log, login limit) then come from X-Forwarded-For as those proxies wrote it; a header from anywhere else is ignored. "false": no proxy.' },
  dashboardDir: { env: 'GATEWAY_DASHBOARD_DIR', schema: text.optional(), path: true, doc: 'Folder of the built dashboard. Unset: dashboard/dist of this installation.' },
  mapTilesDir: { env: 'GATEWAY_MAP_TILES_DIR', schema: text.optional(), path: true, doc: 'Folder of offline map tiles the admin provides, as Z/X/Y.png (the OpenStreetMap scheme), drawn under the map\'s markers. Unset: the plain plan.' },
  mapTilesZoom: { env: 'GATEWAY_MAP_TILES_ZOOM', schema: z.coerce.number().int().min(1).max(19).default(15), doc: 'Zoom level of the tiles drawn (a folder may hold several).' },
  sessionIdleMin: { env: 'GATEWAY_SESSION_IDLE_MIN', schema: z.coerce.number().positive().default(12 * 60), doc: 'A dashboard session unused this many minutes ends.' },
  sessionMaxDays: { env: 'GATEWAY_SESSION_MAX_DAYS', schema: z.coerce.number().positive().default(7), doc: 'Every dashboard session ends this many days after login.' },
  loginAttempts: { env: 'GATEWAY_LOGIN_ATTEMPTS', schema: z.coerce.number().int().min(1).default(10), doc: 'Failed logins allowed per address and username in 15 minutes; also wrong current passwords per person when changing it.' },
  loginAttemptsPerAddress: { env: 'GATEWAY_LOGIN_ATTEMPTS_PER_ADDRESS', schema: z.coerce.number().int().min(1).default(30), doc: 'Failed logins allowed per address in 15 minutes, whatever the username.' },

  influxUrl: { env: 'GATEWAY_INFLUX_URL', schema: z.url().optional(), doc: 'InfluxDB base URL (1.x API). Unset: the embedded SQLite store is used.' },
  influxDatabase: { env: 'GATEWAY_INFLUX_DATABASE', schema: text.default('commune'), doc: 'InfluxDB database (on 2.x/3.x: the database mapped to a bucket).' },
  influxUsername: { env: 'GATEWAY_INFLUX_USERNAME', schema: text.optional(), doc: 'InfluxDB user (1.x auth).' },
  influxPassword: { env: 'GATEWAY_INFLUX_PASSWORD', schema: text.optional(), doc: 'InfluxDB password; on 2.x/3.x put the API token here.' },
  influxManageSchema: { env: 'GATEWAY_INFLUX_MANAGE_SCHEMA', schema: bool.default(true), doc: 'Create the database and retention policies and run rollups (1.x). Set false on 2.x/3.x.' },

  rawRetentionDays: { env: 'GATEWAY_RAW_RETENTION_DAYS', schema: z.coerce.number().int().min(1).default(90), doc: 'Raw readings are kept this long; older ones survive only as hourly rollups.' },
  rollupRetentionDays: { env: 'GATEWAY_ROLLUP_RETENTION_DAYS', schema: z.coerce.number().int().min(0).default(0), doc: 'Hourly rollups are kept this long; 0 keeps them forever.' },

  journalMaxMb: { env: 'GATEWAY_JOURNAL_MAX_MB', schema: z.coerce.number().positive().default(1024), doc: 'Disk budget of the journal while the store is unreachable. Full: devices are no longer acknowledged (they keep their readings).' },
  journalWarnPct: { env: 'GATEWAY_JOURNAL_WARN_PCT', schema: z.coerce.number().min(1).max(100).default(80), doc: 'Journal use that is reported as a warning.' },
  journalCommitMs: { env: 'GATEWAY_JOURNAL_COMMIT_MS', schema: z.coerce.number().min(0).max(100).default(4), doc: 'Group commit window: acknowledgements wait at most this long for a shared disk sync.' },
  drainBatch: { env: 'GATEWAY_DRAIN_BATCH', schema: z.coerce.number().int().min(1).max(100_000).default(5000), doc: 'Readings per write to the telemetry store.' },

  clockFutureToleranceS: { env: 'GATEWAY_CLOCK_FUTURE_TOLERANCE_S', schema: seconds.default(300), doc: 'Device times further ahead are replaced by the receive time.' },
  clockPastToleranceS: { env: 'GATEWAY_CLOCK_PAST_TOLERANCE_S', schema: seconds.default(7 * 86400), doc: 'Device times further behind are replaced by the receive time.' },

  presenceDebounceS: { env: 'GATEWAY_PRESENCE_DEBOUNCE_S', schema: seconds.default(20), doc: 'A device must stay disconnected this long before it is reported offline.' },
  ...HEARTBEAT_SETTINGS,

  alarmSweepS: { env: 'GATEWAY_ALARM_SWEEP_S', schema: seconds.default(5), doc: 'How often offline devices, dark villages, missing data and escalations are checked.' },
  webhookUrl: { env: 'GATEWAY_WEBHOOK_URL', schema: z.url().optional(), doc: 'Every alarm change, presence change and bulletin state is POSTed here as JSON, signed with GATEWAY_WEBHOOK_SECRET.' },
  webhookSecret: { env: 'GATEWAY_WEBHOOK_SECRET', schema: z.string().min(16, 'at least 16 characters').optional(), doc: 'Key of the webhook signature (x-gateway-signature: sha256=HMAC of "<timestamp>.<body>").' },
  zaloUrl: { env: 'GATEWAY_ZALO_URL', schema: z.url().default('https://openapi.zalo.me/v3.0/oa/message/cs'), doc: 'Zalo official account message endpoint.' },
  zaloToken: { env: 'GATEWAY_ZALO_TOKEN', schema: text.optional(), doc: 'Zalo OA access token; unset: no Zalo messages.' },
  smsUrl: { env: 'GATEWAY_SMS_URL', schema: z.url().optional(), doc: 'SMS gateway endpoint taking { to, text }; unset: no SMS.' },
  smsToken: { env: 'GATEWAY_SMS_TOKEN', schema: text.optional(), doc: 'Bearer token of the SMS gateway.' },

  commandTtlS: { env: 'GATEWAY_COMMAND_TTL_S', schema: seconds.default(300), doc: 'Default time a command may wait for its device and its final reply.' },

  publicUrl: { env: 'GATEWAY_PUBLIC_URL', schema: z.url().optional(), doc: 'The gateway\'s HTTP address as loudspeaker clusters reach it (they fetch bulletin audio there); unset: this box\'s first LAN IPv4 address and the HTTP port.' },
  speechVoice: { env: 'GATEWAY_SPEECH_VOICE', schema: z.enum(['north', 'central', 'south']).default('north'), doc: 'Voice of automatic spoken warnings (espeak-ng: Northern, Central or Southern Vietnamese).' },
  liveIdleS: { env: 'GATEWAY_LIVE_IDLE_S', schema: seconds.default(15), doc: 'A live session from which no audio has come for this long (a closed tab, a lost phone) ends everywhere.' },
  warningTtlMin: { env: 'GATEWAY_WARNING_TTL_MIN', schema: z.coerce.number().int().min(1).max(1440).default(30), doc: 'An automatic flood warning is played by clusters that come back within this many minutes.' },

  cameraProbeIntervalS: { env: 'GATEWAY_CAMERA_PROBE_INTERVAL_S', schema: seconds.default(30), doc: 'Cameras with an RTSP endpoint are probed this often (cycles never overlap).' },
  cameraProbeConcurrency: { env: 'GATEWAY_CAMERA_PROBE_CONCURRENCY', schema: z.coerce.number().int().min(1).max(256).default(16), doc: 'Cameras probed at the same time.' },
  cameraProbeTimeoutS: { env: 'GATEWAY_CAMERA_PROBE_TIMEOUT_S', schema: seconds.default(10), doc: 'Deadline of one camera\'s probe (RTSP, ONVIF and snapshot together); no answer by then is a timeout.' },
  snapshotIntervalS: { env: 'GATEWAY_SNAPSHOT_INTERVAL_S', schema: seconds.default(300), doc: 'A camera\'s snapshot is kept and checked for picture faults this often (each camera at its own moment in the interval): a probed camera\'s at most as often as it is probed, an MQTT camera\'s asked for with the snapshot command.' },
  snapshotBudgetMb: { env: 'GATEWAY_SNAPSHOT_BUDGET_MB', schema: z.coerce.number().positive().default(2048), doc: 'Disk budget of kept snapshots (DATA_DIR/snapshots); over it the oldest go first, never a camera\'s latest nor its reference.' },
  snapshotMqttMaxKb: { env: 'GATEWAY_SNAPSHOT_MQTT_MAX_KB', schema: z.coerce.number().int().min(1).max(16_384).default(48), doc: 'Largest snapshot an MQTT camera may send on its snapshot topic (one MQTT packet: keep it under GATEWAY_MQTT_MAX_PACKET_BYTES, or raise that too); a larger one is refused, the picture kept before stays.' },
  snapshotRetentionDays: { env: 'GATEWAY_SNAPSHOT_RETENTION_DAYS', schema: z.coerce.number().positive().default(30), doc: 'Snapshots older than this are deleted, a camera\'s latest too (checked at each snapshot, at start and every 10 minutes; the province\'s retention rule for images; Luật 91/2025/QH15).' },

  uplinkUrls: { env: 'GATEWAY_UPLINK_URLS', schema: z.string().trim().regex(/^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/, 'comma-separated nats:// or tls:// URLs').optional(), doc: 'The province\'s NATS cluster (every node, comma-separated). Unset: no uplink, the box works alone.' },
  uplinkCommune: { env: 'GATEWAY_UPLINK_COMMUNE', schema: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes (as the province gave it)').optional(), doc: 'This commune\'s code at the province (printed by `npm run province -- commune add`).' },
  uplinkSeedFile: { env: 'GATEWAY_UPLINK_SEED_FILE', schema: text.optional(), path: true, doc: 'File holding the commune\'s nkey seed (SU...), readable by the gateway only.' },
  uplinkBudgetMb: { env: 'GATEWAY_UPLINK_BUDGET_MB', schema: z.coerce.number().positive().default(512), doc: 'Disk budget of the uplink outbox, apart from the journal\'s. Over it the oldest readings are dropped and a gap record goes up.' },
  uplinkReadingsKbps: { env: 'GATEWAY_UPLINK_READINGS_KBPS', schema: z.coerce.number().min(0).default(60), doc: 'Readings go up at most this many KB/s (0: no limit); alarms, proof of play and events are never limited.' },
  uplinkReplayHours: { env: 'GATEWAY_UPLINK_REPLAY_HOURS', schema: z.coerce.number().min(0).default(24), doc: 'Acknowledged rows are kept this long so the province can ask for them again.' },
  uplinkHeartbeatS: { env: 'GATEWAY_UPLINK_HEARTBEAT_S', schema: seconds.default(60), doc: 'A heartbeat with version, journal depth and lag goes up this often.' },
  uplinkAckTimeoutS: { env: 'GATEWAY_UPLINK_ACK_TIMEOUT_S', schema: seconds.default(5), doc: 'A message the province has not acknowledged by then is sent again (same id).' },
  uplinkAlarmWaitS: { env: 'GATEWAY_UPLINK_ALARM_WAIT_S', schema: seconds.default(120), doc: 'Alarm changes waiting longer for the province are reported in the log.' },
  uplinkIgnoreClusterUpdates: { env: 'GATEWAY_UPLINK_IGNORE_CLUSTER_UPDATES', schema: bool.default(false), doc: 'Tests only: do not learn other cluster nodes from the server (a test proxy would be bypassed).' }
} as const

export type SettingName = keyof typeof SETTINGS
export type Config = Readonly<{ [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> }>
