// The gateway as its own process (`npm start`'s entry point), for what only a real process
// can show: a SIGKILL in the middle of traffic, a full disk, the CLI writing beside it.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'

export interface ChildGateway {
  process: ChildProcess
  /** What the process wrote to stderr (start failures). */
  stderr: () => string
  /** Its log (stdout), one JSON line per entry. */
  stdout: () => string
  kill (signal: NodeJS.Signals): Promise<void>
}

/** The settings of a gateway process on 127.0.0.1 with these ports (no MQTT over WebSocket), plus extra ones. */
export function loopbackEnv (o: { dataDir: string; mqttPort: number; httpPort: number; adminToken: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GATEWAY_DATA_DIR: o.dataDir,
    GATEWAY_MQTT_HOST: '127.0.0.1',
    GATEWAY_MQTT_PORT: String(o.mqttPort),
    GATEWAY_MQTT_WS_PORT: 'off',
    GATEWAY_HTTP_HOST: '127.0.0.1',
    GATEWAY_HTTP_PORT: String(o.httpPort),
    GATEWAY_ADMIN_TOKEN: o.adminToken,
    ...extra
  }
}

/** `ownGroup`: in a process group of its own, as a terminal starts it (a Ctrl+C signals the whole group). */
export async function spawnGateway (env: Record<string, string>, httpPort: number, { ownGroup = false } = {}): Promise<ChildGateway> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    env: { PATH: process.env.PATH, GATEWAY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup
  })
  let stderr = ''
  let stdout = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  // Generous: tsx compiles the gateway at start, slowly on a busy machine.
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}: ${stderr}`)
    const up = await fetch(`http://127.0.0.1:${httpPort}/health`).then(() => true, () => false)
    if (up) break
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`gateway did not start: ${stderr}`) }
    await sleep(100)
  }
  return {
    process: child,
    stderr: () => stderr,
    stdout: () => stdout,
    async kill (signal) {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill(signal)
      await exited
    }
  }
}
