// `npm run gateway -- device|user <command>`: the registry and the accounts from a terminal,
// for the IT person on the box. Works on the state database directly, so the gateway may be
// running or not. User commands: see users/cli.ts.
//
//   device add --kind camera --name "Cổng UBND" --village "Thôn Đông" [--id cam-001] [--site ..] [--lat ..] [--lon ..]
//   device import inventory.csv|inventory.yaml [--credentials-out secrets.json]
//   device list [--kind camera] [--village "Thôn Đông"]
//   device rotate-secret <id>
//   device disable|enable <id>
//   device remove <id>
//
// Every change is in the audit log under the shell user, in the same transaction as the
// change; the running gateway picks it up within a second (registry/shell-changes.ts).
//   device endpoint <id> --rtsp URL [--onvif URL] [--snapshot URL] [--username USER] [--password-stdin]
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { openState } from './app.js'
import { ConfigError, loadConfig } from './config/load.js'
import { DEVICE_KINDS, DeviceKind } from './contract/index.js'
import { GatewayError } from './errors.js'
import { optionProblem } from './start-errors.js'
import { CameraEndpoints, credentialsIn } from './registry/camera-endpoints.js'
import { formatOf, parseInventory } from './registry/inventory.js'
import { Registry } from './registry/registry.js'
import type { DeviceWithSecret } from './registry/device.js'
import { SealedBox } from './registry/sealed-box.js'
import { AuditLog, shellUser } from './users/audit.js'
import { runUserCommand, USER_USAGE } from './users/cli.js'

const USAGE = `usage: npm run gateway -- device|user <command> ...
  device add --kind ${DEVICE_KINDS.join('|')} --name NAME --village VILLAGE [--id ID] [--site SITE] [--lat LAT] [--lon LON]
  device import FILE.csv|FILE.yaml [--credentials-out FILE.json]
  device list [--kind KIND] [--village VILLAGE]
  device rotate-secret ID
  device disable ID | device enable ID
  device remove ID
  device endpoint ID --rtsp URL [--onvif URL] [--snapshot URL] [--username USER] [--password-stdin]
${USER_USAGE}`

function showSecret ({ device, secret }: DeviceWithSecret): void {
  console.log(`${device.id}\t${device.kind}\t${device.name}\t${device.village}\tmật khẩu / secret: ${secret}`)
}

export async function run (argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') { console.log(USAGE); return 0 }
  let parsed
  try {
    parsed = parseCli(argv)
  } catch (err) {
    // An unknown or malformed option: say which in one line, and where the usage is, never a stack (issue #15).
    console.error(optionProblem(err, 'npm run gateway -- --help'))
    return 2
  }
  const { values, positionals } = parsed
  return runParsed(values, positionals)
}

function parseCli (argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      kind: { type: 'string' }, name: { type: 'string' }, village: { type: 'string' }, id: { type: 'string' },
      site: { type: 'string' }, lat: { type: 'string' }, lon: { type: 'string' }, 'credentials-out': { type: 'string' },
      rtsp: { type: 'string' }, onvif: { type: 'string' }, snapshot: { type: 'string' }, username: { type: 'string' },
      'password-stdin': { type: 'boolean' }, role: { type: 'string' }, language: { type: 'string' }
    }
  })
}

async function runParsed (values: ReturnType<typeof parseCli>['values'], positionals: string[]): Promise<number> {
  const [noun, verb, arg] = positionals
  if ((noun !== 'device' && noun !== 'user') || !verb) { console.error(USAGE); return 2 }
  const config = loadConfig()
  const db = openState(config)
  if (noun === 'user') {
    try {
      const code = await runUserCommand(db, { verb, arg, username: values.username, role: values.role, name: values.name, language: values.language })
      if (code === 2) console.error(USAGE)
      return code
    } finally {
      db.close()
    }
  }
  const registry = new Registry(db, config.commune)
  const audit = new AuditLog(db)
  /** Runs a change and records it, in one transaction: no change without its audit row. */
  const audited = <T>(action: string, change: () => T, describe: (result: T) => { target: string; details?: object }): T =>
    db.transaction(() => {
      const result = change()
      const { target, details } = describe(result)
      audit.record({ actor: shellUser(), role: 'admin', action, target, details: { via: 'shell', ...details }, address: null })
      return result
    })()
  try {
    switch (verb) {
      case 'add': {
        const num = (s: string | undefined) => (s === undefined ? undefined : Number(s))
        const input = { id: values.id, kind: values.kind, name: values.name, village: values.village, site: values.site, lat: num(values.lat), lon: num(values.lon) }
        showSecret(audited('device.create', () => registry.create(input), (c) => ({ target: c.device.id, details: { kind: c.device.kind, name: c.device.name } })))
        console.log('Ghi lại mật khẩu: nó chỉ hiện một lần. / Write the secret down: it is shown only once.')
        return 0
      }
      case 'import': {
        const format = arg ? formatOf(arg) : null
        if (!arg || !format) { console.error('device import needs a .csv or .yaml file'); return 2 }
        const entries = parseInventory(readFileSync(arg, 'utf8'), format)
        const result = audited('device.import', () => registry.importMany(entries),
          (r) => ({ target: format, details: { file: arg, created: r.created.map((c) => c.device.id), skipped: r.skipped } }))
        const out = values['credentials-out']
        if (out) {
          writeFileSync(out, JSON.stringify(Object.fromEntries(result.created.map((c) => [c.device.id, c.secret])), null, 2) + '\n', { mode: 0o600 })
          console.log(`${result.created.length} thiết bị mới / new devices; secrets written to ${out}`)
        } else {
          result.created.forEach(showSecret)
        }
        if (result.skipped.length > 0) console.log(`${result.skipped.length} đã có / already registered (unchanged): ${result.skipped.join(', ')}`)
        return 0
      }
      case 'list': {
        const kind = values.kind === undefined ? undefined : DeviceKind.parse(values.kind)
        for (const d of registry.list({ kind, village: values.village })) {
          console.log(`${d.id}\t${d.kind}\t${d.name}\t${d.village}\t${d.enabled ? '' : 'disabled'}`)
        }
        return 0
      }
      case 'rotate-secret':
        if (!arg) { console.error(USAGE); return 2 }
        showSecret(audited('device.rotate_secret', () => registry.rotateSecret(arg), () => ({ target: arg })))
        return 0
      case 'disable':
      case 'enable': {
        if (!arg) { console.error(USAGE); return 2 }
        const patch = { enabled: verb === 'enable' }
        audited('device.update', () => registry.update(arg, patch), () => ({ target: arg, details: patch }))
        console.log(`${verb}d ${arg}`)
        return 0
      }
      case 'remove':
        if (!arg) { console.error(USAGE); return 2 }
        audited('device.remove', () => registry.remove(arg), () => ({ target: arg }))
        console.log(`removed ${arg}`)
        return 0
      case 'endpoint': {
        if (!arg || !values.rtsp) { console.error(USAGE); return 2 }
        for (const [flag, url] of [['--rtsp', values.rtsp], ['--onvif', values.onvif], ['--snapshot', values.snapshot]] as const) {
          const found = url !== undefined && URL.canParse(url) ? credentialsIn(url) : null
          if (found) {
            console.error(`${flag}: no login in the URL (${found.where}); give it with ${found.field === 'password' ? '--password-stdin' : '--username'} instead`)
            return 2
          }
        }
        // The camera password comes on stdin, never as an argument (ps and shell history show those).
        const password = values['password-stdin'] ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : undefined
        const endpoints = new CameraEndpoints(db, registry, SealedBox.forDataDir(config.dataDir))
        const endpoint = { rtspUrl: values.rtsp, onvifUrl: values.onvif, snapshotUrl: values.snapshot, username: values.username }
        const view = audited('device.endpoint_set', () => endpoints.set(arg, { ...endpoint, password }), () => ({ target: arg, details: endpoint }))
        console.log(`${view.deviceId}\t${view.rtspUrl}\tuser: ${view.username ?? '-'}\tpassword: ${view.passwordSet ? 'set (encrypted)' : 'none'}`)
        return 0
      }
      default:
        console.error(USAGE)
        return 2
    }
  } finally {
    db.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = await run(process.argv.slice(2))
  } catch (err) {
    if (err instanceof ConfigError) console.error(err.message)
    else if (err instanceof GatewayError) console.error(err.message, Array.isArray(err.details) ? '\n  - ' + err.details.join('\n  - ') : '')
    else throw err
    process.exitCode = 1
  }
}
