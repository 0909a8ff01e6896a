// Configuration is read once, at start: the optional file first, the environment over it.
// Every wrong value is listed in one error, so the one IT person fixes them in one go.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { SETTINGS, type Config, type SettingName } from './settings.js'

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    // One problem on one line (what a person starting it reads); several, one per line.
    super(problems.length === 1 ? `invalid configuration: ${problems[0]!}` : `invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

const FILE_ENV = 'GATEWAY_CONFIG_FILE'
const KNOWN_ENV = new Set<string>([FILE_ENV, ...Object.values(SETTINGS).map((s) => s.env)])

/** The file holds the same names as the environment (GATEWAY_MQTT_PORT: 1883), in YAML or JSON. */
function readFile (path: string, problems: string[]): Record<string, unknown> {
  let raw: unknown
  try {
    raw = parseYaml(readFileSync(path, 'utf8'))
  } catch (err) {
    problems.push(`${FILE_ENV}=${path}: ${(err as Error).message}`)
    return {}
  }
  if (raw === null || raw === undefined) return {}
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${FILE_ENV}=${path}: expected a map of GATEWAY_* settings`)
    return {}
  }
  return raw as Record<string, unknown>
}

/**
 * `cwd` is where relative paths of the environment start; relative paths in the file start at
 * the file's own folder, wherever the gateway is started from.
 */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = []
  const filePath = env[FILE_ENV]
  const file = filePath ? readFile(filePath, problems) : {}

  for (const name of Object.keys(file)) {
    if (!KNOWN_ENV.has(name)) problems.push(`${name} (in ${filePath}): unknown setting`)
  }
  // A typo in a variable name would otherwise silently fall back to the default.
  for (const name of Object.keys(env)) {
    if (name.startsWith('GATEWAY_') && !KNOWN_ENV.has(name)) problems.push(`${name}: unknown setting`)
  }

  const out: Record<string, unknown> = {}
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const fromEnv = env[setting.env]
    const inEnv = fromEnv !== undefined && fromEnv !== ''
    const value = inEnv ? fromEnv : file[setting.env]
    // Coercion would read a YAML list [1] as the number 1.
    if (value !== null && typeof value === 'object') {
      problems.push(`${setting.env} (in ${filePath}): expected a single value, not a list or map`)
      continue
    }
    const result = setting.schema.safeParse(value ?? undefined)
    if (!result.success) problems.push(`${setting.env}=${JSON.stringify(value)}: ${result.error.issues.map((i) => i.message).join('; ')}`)
    else if ('path' in setting && typeof result.data === 'string') {
      const fromFile = !inEnv && value !== undefined && value !== null && filePath !== undefined
      out[key] = resolve(fromFile ? dirname(resolve(cwd, filePath)) : cwd, result.data)
    } else out[key] = result.data
  }

  const cfg = out as Record<SettingName, unknown>
  if ((cfg.tlsCert === undefined) !== (cfg.tlsKey === undefined)) {
    problems.push('GATEWAY_TLS_CERT and GATEWAY_TLS_KEY go together: set both or neither')
  }
  if (cfg.webhookUrl !== undefined && cfg.webhookSecret === undefined) {
    problems.push('GATEWAY_WEBHOOK_URL needs GATEWAY_WEBHOOK_SECRET: receivers check the signature')
  }
  if ((cfg.smsUrl === undefined) !== (cfg.smsToken === undefined)) {
    problems.push('GATEWAY_SMS_URL and GATEWAY_SMS_TOKEN go together: set both or neither')
  }
  if (cfg.uplinkUrls !== undefined && (cfg.uplinkCommune === undefined || cfg.uplinkSeedFile === undefined)) {
    problems.push('GATEWAY_UPLINK_URLS needs GATEWAY_UPLINK_COMMUNE and GATEWAY_UPLINK_SEED_FILE: the province knows a box by its code and key')
  }
  if (typeof cfg.rawRetentionDays === 'number' && typeof cfg.clockPastToleranceS === 'number' &&
    cfg.clockPastToleranceS > cfg.rawRetentionDays * 86400) {
    problems.push('GATEWAY_CLOCK_PAST_TOLERANCE_S is longer than GATEWAY_RAW_RETENTION_DAYS: old device times would be filed outside the raw retention')
  }

  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(out) as Config
}

/** Settings for tests and tools: defaults with some values replaced, checked the same way. */
export function configWith (overrides: Partial<Record<SettingName, string | number | boolean>>, cwd?: string): Config {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(overrides)) {
    env[SETTINGS[key as SettingName].env] = String(value)
  }
  return loadConfig(env, cwd)
}
