// A real InfluxDB (Debian's influxdb package, 1.6.7) for tests: its own config, data in a
// temp dir, HTTP on a free loopback port. Stop and start it again to play an outage.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from './ports.js'

export interface Influxd {
  url: string
  /** The running server's process id (the bench counts its CPU); undefined while stopped. */
  readonly pid: number | undefined
  /** Stops the server; its data stays for the next start. */
  stop (): Promise<void>
  start (): Promise<void>
  /** Stops the server and removes its data. */
  destroy (): Promise<void>
}

function config (dir: string, httpPort: number, rpcPort: number): string {
  return `
reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[retention]
  enabled = true
[shard-precreation]
  enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
[logging]
  level = "warn"
`
}

/** Starts one on free ports; picks others when a port was taken between the pick and the bind. */
export async function startInfluxd (): Promise<Influxd> {
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'influxd-'))
    try {
      return await startIn(dir, await freePort(), await freePort())
    } catch (err) {
      rmSync(dir, { recursive: true, force: true })
      if (attempt === 3 || !/address already in use/.test(String(err))) throw err
    }
  }
}

async function startIn (dir: string, httpPort: number, rpcPort: number): Promise<Influxd> {
  const configFile = join(dir, 'influxdb.conf')
  writeFileSync(configFile, config(dir, httpPort, rpcPort))
  const url = `http://127.0.0.1:${httpPort}`
  let child: ChildProcess | null = null
  let stderr = ''

  async function start (): Promise<void> {
    stderr = ''
    const proc = spawn('influxd', ['-config', configFile], { stdio: ['ignore', 'ignore', 'pipe'] })
    child = proc
    proc.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000) })
    const failed = new Promise<never>((_resolve, reject) => {
      proc.once('error', (err) => {
        reject(new Error(`cannot run influxd (Debian package "influxdb"; .ci/run installs it): ${err.message}`))
      })
      proc.once('exit', (code) => { reject(new Error(`influxd exited with ${code}: ${stderr}`)) })
    })
    failed.catch(() => {})
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline) {
      // A server still starting may accept and not answer: never wait on one ping for long.
      const ok = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 204, () => false)
      if (ok) return
      await Promise.race([sleep(50), failed])
    }
    throw new Error(`influxd did not answer on ${url} within 20 s: ${stderr}`)
  }

  async function stop (): Promise<void> {
    const proc = child
    child = null
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill('SIGTERM')
    await Promise.race([exited, sleep(10_000).then(() => proc.kill('SIGKILL'))])
    await exited
  }

  await start()
  return {
    url,
    get pid () { return child?.pid },
    start,
    stop,
    async destroy () {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
