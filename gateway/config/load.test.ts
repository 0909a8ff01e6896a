import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { ConfigError, configWith, loadConfig } from './load.js'
import { SETTINGS } from './settings.js'

const dir = mkdtempSync(join(tmpdir(), 'gw-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The problems a ConfigError lists; none when the configuration loads. */
const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

function configFile (name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

test('defaults a user can rely on: MQTT 1883, HTTP 8080, embedded storage', () => {
  const config = loadConfig({})
  expect(config).toMatchObject({
    mqttHost: '::', mqttPort: 1883, mqttWsPort: 8083, mqttTlsPort: 8883, httpHost: '::', httpPort: 8080,
    dataDir: join(process.cwd(), 'data'), logLevel: 'info', influxUrl: undefined, influxDatabase: 'commune', influxManageSchema: true,
    rawRetentionDays: 90, rollupRetentionDays: 0, maxPacketBytes: 65536, drainBatch: 5000, tlsCert: undefined, tlsKey: undefined
  })
  expect(Object.isFrozen(config)).toBe(true)
  // Variables that are not the gateway's are none of its business.
  expect(problemsOf({ PATH: '/usr/bin', HOME: '/root', MQTT_PORT: 'x' })).toEqual([])
})

test('environment values are parsed and checked', () => {
  const config = loadConfig({
    GATEWAY_MQTT_PORT: '11883', GATEWAY_HTTP_PORT: '0', GATEWAY_MQTT_WS_PORT: 'off', GATEWAY_INFLUX_MANAGE_SCHEMA: 'false',
    GATEWAY_INFLUX_URL: 'http://[::1]:8086', GATEWAY_RAW_RETENTION_DAYS: '30', GATEWAY_LOG_LEVEL: 'debug', GATEWAY_COMMUNE: ' Xã Phong Điền '
  })
  expect(config).toMatchObject({
    mqttPort: 11883, httpPort: 0, mqttWsPort: 'off', influxManageSchema: false, influxUrl: 'http://[::1]:8086',
    rawRetentionDays: 30, logLevel: 'debug', commune: 'Xã Phong Điền'
  })
  // An empty variable counts as unset.
  expect(loadConfig({ GATEWAY_HTTP_PORT: '' }).httpPort).toBe(8080)
  expect(configWith({ mqttPort: 2883, influxManageSchema: true })).toMatchObject({ mqttPort: 2883, influxManageSchema: true })
})

test('every problem is listed at once, and unknown GATEWAY_ names are caught', () => {
  const env = {
    GATEWAY_MQTT_PORT: 'eighty', GATEWAY_HTTP_PORT: '70000', GATEWAY_INFLUX_URL: 'not a url', GATEWAY_MQQT_PORT: '1',
    GATEWAY_ADMIN_TOKEN: 'short', GATEWAY_LOG_LEVEL: 'loud', GATEWAY_INFLUX_MANAGE_SCHEMA: 'maybe'
  }
  const problems = problemsOf(env)
  expect(problems).toHaveLength(7)
  for (const name of Object.keys(env)) expect(problems.filter((p) => p.startsWith(name))).toHaveLength(1)
  expect(problems).toContain('GATEWAY_MQQT_PORT: unknown setting')
  expect(problems.join('\n')).toMatch(/GATEWAY_MQTT_PORT="eighty"/)
  expect(problems.join('\n')).toMatch(/GATEWAY_ADMIN_TOKEN="short": at least 16 characters/)
  // The message names each problem on its own line, for the log of a process that stops.
  expect(() => loadConfig({ GATEWAY_HTTP_PORT: '-1', GATEWAY_MQTT_PORT: '1.5' }))
    .toThrow(/^invalid configuration:\n {2}- GATEWAY_MQTT_PORT="1.5": .*\n {2}- GATEWAY_HTTP_PORT="-1": /)
})

test('a TLS certificate without its key is refused, and the other way round; both together are fine', () => {
  expect(problemsOf({ GATEWAY_TLS_CERT: '/etc/box.pem' })).toEqual([expect.stringContaining('set both or neither')])
  expect(problemsOf({ GATEWAY_TLS_KEY: '/etc/box.key' })).toEqual([expect.stringContaining('set both or neither')])
  expect(loadConfig({ GATEWAY_TLS_CERT: '/etc/box.pem', GATEWAY_TLS_KEY: '/etc/box.key' })).toMatchObject({ tlsCert: '/etc/box.pem', tlsKey: '/etc/box.key' })
})

test('old device times must fit the raw retention', () => {
  expect(problemsOf({ GATEWAY_RAW_RETENTION_DAYS: '3' })).toEqual([expect.stringContaining('GATEWAY_CLOCK_PAST_TOLERANCE_S')])
  expect(problemsOf({ GATEWAY_RAW_RETENTION_DAYS: '3', GATEWAY_CLOCK_PAST_TOLERANCE_S: '86400' })).toEqual([])
})

test('a YAML file with the same names; the environment wins over it', () => {
  const file = configFile('gateway.yaml', 'GATEWAY_MQTT_PORT: 2883\nGATEWAY_COMMUNE: Xã Phong Điền\nGATEWAY_INFLUX_MANAGE_SCHEMA: false\n')
  expect(loadConfig({ GATEWAY_CONFIG_FILE: file })).toMatchObject({ mqttPort: 2883, commune: 'Xã Phong Điền', influxManageSchema: false, httpPort: 8080 })
  expect(loadConfig({ GATEWAY_CONFIG_FILE: file, GATEWAY_MQTT_PORT: '3883' })).toMatchObject({ mqttPort: 3883, commune: 'Xã Phong Điền' })
  // JSON is YAML too.
  expect(loadConfig({ GATEWAY_CONFIG_FILE: configFile('gateway.json', '{"GATEWAY_HTTP_PORT": 9090}') }).httpPort).toBe(9090)
  expect(loadConfig({ GATEWAY_CONFIG_FILE: configFile('empty.yaml', '') }).mqttPort).toBe(1883)
})

test('the file\'s mistakes are listed with the environment\'s', () => {
  const file = configFile('bad.yaml', 'GATEWAY_MQTT_PORT: [1]\nGATEWAY_TYPO: 1\nGATEWAY_HTTP_PORT: http\n')
  const problems = problemsOf({ GATEWAY_CONFIG_FILE: file, GATEWAY_OTHER_TYPO: 'x' })
  expect(problems).toHaveLength(4)
  expect(problems).toContain(`GATEWAY_TYPO (in ${file}): unknown setting`)
  expect(problems).toContain('GATEWAY_OTHER_TYPO: unknown setting')
  expect(problems.join('\n')).toMatch(/GATEWAY_MQTT_PORT .*expected a single value/)
  expect(problems.join('\n')).toMatch(/GATEWAY_HTTP_PORT="http"/)
  expect(problemsOf({ GATEWAY_CONFIG_FILE: join(dir, 'missing.yaml') })).toEqual([expect.stringContaining('missing.yaml')])
  expect(problemsOf({ GATEWAY_CONFIG_FILE: configFile('list.yaml', '- GATEWAY_MQTT_PORT\n') })).toEqual([expect.stringContaining('expected a map')])
  expect(problemsOf({ GATEWAY_CONFIG_FILE: configFile('broken.yaml', 'GATEWAY_MQTT_PORT: [1\n') })).toEqual([expect.stringContaining('broken.yaml')])
})

test('the README documents every setting', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  for (const setting of Object.values(SETTINGS)) expect(readme).toContain(`| \`${setting.env}\` |`)
})

test('trusted proxies are addresses, CIDRs or a hop count; "true" and malformed entries are refused, each named', () => {
  expect(loadConfig({}).trustProxy).toBe(false)
  expect(loadConfig({ GATEWAY_TRUST_PROXY: 'false' }).trustProxy).toBe(false)
  expect(loadConfig({ GATEWAY_TRUST_PROXY: '1' }).trustProxy).toBe(1)
  expect(loadConfig({ GATEWAY_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8 , loopback' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'loopback'])
  expect(problemsOf({ GATEWAY_TRUST_PROXY: 'true' })).toEqual([expect.stringMatching(/^GATEWAY_TRUST_PROXY="true": "true" would trust every hop.*proxy's address/)])
  const problems = problemsOf({ GATEWAY_TRUST_PROXY: '10.0.0.1, proxy.lan, 10.0.0.0/33, ::1/129', GATEWAY_HTTP_PORT: 'x' })
  expect(problems).toHaveLength(2)
  expect(problems.find((p) => p.startsWith('GATEWAY_TRUST_PROXY'))).toMatch(/"proxy.lan" is not an IP address or CIDR; "10.0.0.0\/33": the prefix length must be 0 to 32; "::1\/129": the prefix length must be 0 to 128/)
})

test('folders and files become absolute once, at load: the environment\'s from the working directory, the file\'s from the file\'s folder', () => {
  const config = loadConfig({ GATEWAY_DATA_DIR: './demo-data', GATEWAY_TLS_CERT: 'certs/box.pem', GATEWAY_TLS_KEY: '/etc/box/key.pem' }, '/srv/gateway')
  expect(config).toMatchObject({ dataDir: '/srv/gateway/demo-data', tlsCert: '/srv/gateway/certs/box.pem', tlsKey: '/etc/box/key.pem' })
  expect(loadConfig({}, '/srv/gateway').dataDir).toBe('/srv/gateway/data')
  expect(loadConfig({ GATEWAY_DASHBOARD_DIR: '../web' }, '/srv/gateway').dashboardDir).toBe('/srv/web')
  const file = configFile('paths.yaml', 'GATEWAY_DATA_DIR: ./state\n')
  expect(loadConfig({ GATEWAY_CONFIG_FILE: file }, '/elsewhere').dataDir).toBe(join(dir, 'state'))
  // A default is not the file's: it starts from the working directory.
  expect(loadConfig({ GATEWAY_CONFIG_FILE: configFile('none.yaml', 'GATEWAY_LOG_LEVEL: warn\n') }, '/elsewhere').dataDir).toBe('/elsewhere/data')
  // The environment wins over the file, and starts from the working directory.
  expect(loadConfig({ GATEWAY_CONFIG_FILE: file, GATEWAY_DATA_DIR: 'here' }, '/elsewhere').dataDir).toBe('/elsewhere/here')
})
