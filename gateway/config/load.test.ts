import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { ConfigError, loadConfig } from './load.js'
import { SETTINGS } from './settings.js'

const dir = mkdtempSync(join(tmpdir(), 'gw-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

test('defaults a user can rely on: MQTT 1883, HTTP 8080, embedded storage', () => {
  const config = loadConfig({})
  expect(config).toMatchObject({ mqttPort: 1883, httpPort: 8080, mqttWsPort: 8083, dataDir: './data', influxUrl: undefined, maxPacketBytes: 65536 })
  expect(Object.isFrozen(config)).toBe(true)
})

test('environment values are parsed and checked', () => {
  const config = loadConfig({ GATEWAY_MQTT_PORT: '11883', GATEWAY_MQTT_WS_PORT: 'off', GATEWAY_INFLUX_MANAGE_SCHEMA: 'false', GATEWAY_INFLUX_URL: 'http://[::1]:8086' })
  expect(config).toMatchObject({ mqttPort: 11883, mqttWsPort: 'off', influxManageSchema: false, influxUrl: 'http://[::1]:8086' })
})

test('every problem is listed at once, and unknown GATEWAY_ names are caught', () => {
  const problems = problemsOf({ GATEWAY_MQTT_PORT: 'eighty', GATEWAY_HTTP_PORT: '70000', GATEWAY_INFLUX_URL: 'not a url', GATEWAY_MQQT_PORT: '1', GATEWAY_ADMIN_TOKEN: 'short' })
  expect(problems).toHaveLength(5)
  expect(problems.join('\n')).toMatch(/GATEWAY_MQTT_PORT="eighty"/)
  expect(problems.join('\n')).toMatch(/GATEWAY_MQQT_PORT: unknown setting/)
  expect(() => loadConfig({ GATEWAY_HTTP_PORT: '-1' })).toThrow(/invalid configuration:\n {2}- GATEWAY_HTTP_PORT/)
})

test('cross checks: a TLS certificate needs its key; old device times must fit the raw retention', () => {
  expect(problemsOf({ GATEWAY_TLS_CERT: '/etc/box.pem' })).toEqual([expect.stringContaining('set both or neither')])
  expect(problemsOf({ GATEWAY_RAW_RETENTION_DAYS: '3' })).toEqual([expect.stringContaining('GATEWAY_CLOCK_PAST_TOLERANCE_S')])
})

test('a YAML file with the same names; the environment wins; its mistakes are listed too', () => {
  const file = join(dir, 'gateway.yaml')
  writeFileSync(file, 'GATEWAY_MQTT_PORT: 2883\nGATEWAY_COMMUNE: Xã Phong Điền\n')
  expect(loadConfig({ GATEWAY_CONFIG_FILE: file })).toMatchObject({ mqttPort: 2883, commune: 'Xã Phong Điền' })
  expect(loadConfig({ GATEWAY_CONFIG_FILE: file, GATEWAY_MQTT_PORT: '3883' }).mqttPort).toBe(3883)
  writeFileSync(file, 'GATEWAY_MQTT_PORT: [1]\nGATEWAY_TYPO: 1\n')
  expect(problemsOf({ GATEWAY_CONFIG_FILE: file })).toHaveLength(2)
  expect(problemsOf({ GATEWAY_CONFIG_FILE: join(dir, 'missing.yaml') })).toEqual([expect.stringContaining('missing.yaml')])
})

test('the README documents every setting', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  for (const setting of Object.values(SETTINGS)) expect(readme).toContain(`| \`${setting.env}\` |`)
})
