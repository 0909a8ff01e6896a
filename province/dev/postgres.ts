// A throwaway PostgreSQL (Debian's postgresql package) for tests and the demo: initdb in a
// temp dir, listening on 127.0.0.1 on a free port, trust authentication, no fsync (nothing
// here must survive a power cut). PostgreSQL refuses to run as root, so as root every
// command runs as the "postgres" system user, which owns the temp dir.
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from '../../test/support/ports.js'

const run = promisify(execFile)

export interface LocalPostgres {
  url: string
  stop (): Promise<void>
}

function binDir (): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : []
  if (versions.length === 0) throw new Error('PostgreSQL not found in /usr/lib/postgresql (Debian package "postgresql"; .ci/run installs it)')
  return join(root, versions[0]!, 'bin')
}

async function asOwner (user: { uid: number; gid: number } | null, cmd: string, args: string[]): Promise<string> {
  const [file, argv] = user ? ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', cmd, ...args]] : [cmd, args]
  const { stdout } = await run(file, argv, { env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } })
  return stdout
}

async function postgresUser (): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim())
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim())
  return { uid, gid }
}

export async function startPostgres (): Promise<LocalPostgres> {
  const bin = binDir()
  const user = await postgresUser()
  const dir = mkdtempSync(join(tmpdir(), 'pg-'))
  if (user) chownSync(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  await asOwner(user, join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'])
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`
    try {
      await asOwner(user, join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start'])
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        async stop () {
          await asOwner(user, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => '')
          rmSync(dir, { recursive: true, force: true })
        }
      }
    } catch (err) {
      if (attempt === 3) {
        rmSync(dir, { recursive: true, force: true })
        throw err
      }
    }
  }
}
