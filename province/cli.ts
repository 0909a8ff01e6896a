// `npm run province -- commune add|list`: the province's communes from a terminal.
//
//   commune add --code phong-thanh --name "Xã Phong Thạnh" [--basin song-huong] [--lat ..] [--lon ..]
//   commune list
//   user add --username NAME --name "Nguyễn Văn A" --role staff|viewer [--department water|police|culture] [--may-approve] [--may-request-pictures]
//
// Settings (environment): PROVINCE_PG_URL; PROVINCE_SERVICE_SEED_FILE (the province service's
// nkey seed) and PROVINCE_AUTH_FILE (the authorization file every nats-server node includes)
// for "add"; PROVINCE_NATS_PID_FILES (comma-separated) to have the nodes reload it at once.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { publicKeyOf } from './identity/auth.js'
import { addCommune, writeAuthFile } from './identity/communes.js'
import { migrate } from './store/schema.js'
import { addUser } from './web/accounts.js'

const USAGE = `usage: npm run province -- commune add --code CODE --name NAME [--basin BASIN] [--lat LAT] [--lon LON]
       npm run province -- commune list
       npm run province -- user add --username NAME --name "FULL NAME" --role staff|viewer [--department water|police|culture] [--may-approve] [--may-request-pictures]
settings: PROVINCE_PG_URL, PROVINCE_SERVICE_SEED_FILE, PROVINCE_AUTH_FILE, [PROVINCE_NATS_PID_FILES]`

function need (env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name]?.trim()
  if (!v) throw new Error(`${name} is not set\n${USAGE}`)
  return v
}

const optionalNumber = (v: string | undefined, what: string): number | null => {
  if (v === undefined) return null
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`--${what} ${v}: not a number`)
  return n
}

export async function run (argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      code: { type: 'string' }, name: { type: 'string' }, basin: { type: 'string' }, lat: { type: 'string' }, lon: { type: 'string' },
      username: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' }, 'may-approve': { type: 'boolean' }, 'may-request-pictures': { type: 'boolean' }
    }
  })
  const [noun, verb] = positionals
  if ((noun !== 'commune' && noun !== 'user') || (verb !== 'add' && verb !== 'list') || (noun === 'user' && verb !== 'add')) { console.error(USAGE); return 2 }
  const pool = new pg.Pool({ connectionString: need(env, 'PROVINCE_PG_URL'), max: 1 })
  try {
    await migrate(pool)
    if (noun === 'user') {
      if (!values.username || !values.name || !values.role) { console.error(USAGE); return 2 }
      const password = await addUser(pool, { username: values.username, name: values.name, role: values.role, department: values.department ?? null, mayApprove: values['may-approve'] === true, mayRequestPictures: values['may-request-pictures'] === true })
      console.log(`${values.username}\tmật khẩu / password (shown only now): ${password}`)
      return 0
    }
    if (verb === 'list') {
      for (const r of (await pool.query<{ code: string; name: string; basin: string | null; public_key: string }>('SELECT code, name, basin, public_key FROM communes ORDER BY code')).rows) {
        console.log(`${r.code}\t${r.name}\t${r.basin ?? '-'}\t${r.public_key}`)
      }
      return 0
    }
    if (!values.code || !values.name) { console.error(USAGE); return 2 }
    const serviceKey = publicKeyOf(readFileSync(need(env, 'PROVINCE_SERVICE_SEED_FILE'), 'utf8'))
    const authFile = need(env, 'PROVINCE_AUTH_FILE')
    const key = await addCommune(pool, { code: values.code, name: values.name, basin: values.basin ?? null, lat: optionalNumber(values.lat, 'lat'), lon: optionalNumber(values.lon, 'lon') })
    const count = await writeAuthFile(pool, serviceKey, authFile)
    const reloaded = reload(env.PROVINCE_NATS_PID_FILES)
    console.log(`Xã / commune ${values.code} added (${count} communes in ${authFile}${reloaded ? `, ${reloaded} nats-server nodes reloaded` : '; reload every nats-server node: nats-server --signal reload=PID'}).`)
    console.log('Khóa bí mật chỉ hiện một lần / the seed is shown only now: put it on the box in a file only the gateway can read (chmod 600).')
    console.log(`seed: ${key.seed}`)
    console.log(`GATEWAY_UPLINK_COMMUNE=${values.code}`)
    console.log('GATEWAY_UPLINK_SEED_FILE=/path/to/uplink.seed')
    return 0
  } catch (err) {
    console.error((err as Error).message)
    return 1
  } finally {
    await pool.end()
  }
}

function reload (pidFiles: string | undefined): number {
  let n = 0
  for (const file of (pidFiles ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const pid = Number(readFileSync(file, 'utf8').trim())
    if (Number.isInteger(pid) && pid > 0) { process.kill(pid, 'SIGHUP'); n++ }
  }
  return n
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await run(process.argv.slice(2))
}
