// A local 3-node NATS JetStream cluster (Debian's nats-server) for tests and the demo: each
// node in its own temp dir, client and route ports on 127.0.0.1, one shared authorization
// file (the province's users, rewritten and reloaded when a commune is added). Not a
// production layout: see docs/province.md.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../../test/support/ports.js'

export interface NatsNode {
  name: string
  port: number
  url: string
  running (): boolean
  /** SIGKILL: the node dies as in a power cut of its host (its files stay). */
  kill (): Promise<void>
  start (): Promise<void>
}

export interface NatsCluster {
  nodes: NatsNode[]
  urls: string[]
  /** The authorization file every node includes, and the nodes' pid files (for a reload signal). */
  authFile: string
  pidFiles: string[]
  /** Replaces the authorization file and makes every running node reload it. */
  setAuth (conf: string): Promise<void>
  stop (): Promise<void>
}

function nodeConfig (name: string, dir: string, port: number, routePort: number, routes: number[]): string {
  return `
server_name: ${name}
pid_file: "${join(dir, `${name}.pid`)}"
listen: 127.0.0.1:${port}
max_payload: 1MB
jetstream {
  store_dir: "${join(dir, name)}"
  max_memory_store: 64MB
  max_file_store: 2GB
}
cluster {
  name: province
  listen: 127.0.0.1:${routePort}
  routes: [${routes.map((p) => `nats-route://127.0.0.1:${p}`).join(', ')}]
}
include "auth.conf"
`
}

export async function startNatsCluster (auth: string, size = 3): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'nats-cluster-'))
  writeFileSync(join(dir, 'auth.conf'), auth)
  const ports: number[] = []
  const routePorts: number[] = []
  for (let i = 0; i < size; i++) { ports.push(await freePort()); routePorts.push(await freePort()) }
  const nodes = ports.map((port, i) => {
    const name = `n${i + 1}`
    mkdirSync(join(dir, name), { recursive: true })
    const file = join(dir, `${name}.conf`)
    writeFileSync(file, nodeConfig(name, dir, port, routePorts[i]!, routePorts.filter((_, j) => j !== i)))
    return makeNode(name, port, file)
  })
  await Promise.all(nodes.map((n) => n.start()))
  return {
    nodes,
    urls: nodes.map((n) => n.url),
    authFile: join(dir, 'auth.conf'),
    pidFiles: nodes.map((n) => join(dir, `${n.name}.pid`)),
    async setAuth (conf) {
      writeFileSync(join(dir, 'auth.conf'), conf)
      for (const n of nodes) n.reload()
      await sleep(300)
    },
    async stop () {
      await Promise.all(nodes.map((n) => n.kill()))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

function makeNode (name: string, port: number, configFile: string): NatsNode & { reload (): void } {
  let child: ChildProcess | null = null
  let stderr = ''
  return {
    name,
    port,
    url: `nats://127.0.0.1:${port}`,
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    reload () { if (child?.pid && child.exitCode === null) child.kill('SIGHUP') },
    async start () {
      stderr = ''
      const proc = spawn('nats-server', ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] })
      child = proc
      proc.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000) })
      proc.once('error', (err) => { stderr += `cannot run nats-server (Debian package "nats-server"; .ci/run installs it): ${err.message}` })
      const deadline = Date.now() + 20_000
      while (Date.now() < deadline) {
        if (proc.exitCode !== null) break
        if (await accepts(port)) return
        await sleep(50)
      }
      throw new Error(`nats-server ${name} did not start on ${port}: ${stderr}`)
    },
    async kill () {
      const proc = child
      child = null
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
      const exited = new Promise((resolve) => proc.once('exit', resolve))
      proc.kill('SIGKILL')
      await exited
    }
  }
}

function accepts (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { resolve(false) })
  })
}
