// Mistakes on the command line, as a person makes them, by running the real commands as
// child processes (issue #15 point 9): each prints one clear line on stderr, no stack trace,
// and exits non-zero; --help prints the usage and exits 0. A second `npm run demo` while the
// first runs stops at the data folder's lock, or at the port, before touching anything.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DEVICE_KINDS } from '../gateway/kinds/index.js'
import { freePort } from './support/ports.js'

const ROOT = join(import.meta.dirname, '..')
const dataDir = mkdtempSync(join(tmpdir(), 'gw-cli-mistakes-'))
const otherDir = mkdtempSync(join(tmpdir(), 'gw-cli-mistakes-other-'))
let env: Record<string, string>
let first: ChildProcess | null = null

interface Ran { code: number | null; stdout: string; stderr: string }
/** Runs `npm run <script> -- args` with these settings and waits for it to end (a command that should not start). */
async function run (script: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Ran> {
  const child = spawn('npm', ['run', script, '--', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  return { code, stdout, stderr }
}
/** One line that says something, and nothing of a stack. */
function oneClearLine (stderr: string): string {
  const lines = stderr.trim().split('\n')
  expect(lines, stderr).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at |node:internal|Error:|ERR_|\.ts:\d+/)
  return lines[0]!
}

beforeAll(async () => {
  env = { GATEWAY_DATA_DIR: dataDir, GATEWAY_HTTP_PORT: String(await freePort()), GATEWAY_MQTT_PORT: String(await freePort()), GATEWAY_MQTT_WS_PORT: 'off', GATEWAY_HTTP_HOST: '127.0.0.1', GATEWAY_MQTT_HOST: '127.0.0.1' }
})
afterAll(async () => {
  // npm, its shell and the demo are one process group (detached): Ctrl+C reaches all of them.
  if (first?.pid && first.exitCode === null && first.signalCode === null) {
    const exited = once(first, 'exit')
    process.kill(-first.pid, 'SIGINT')
    const killer = setTimeout(() => { try { process.kill(-first!.pid!, 'SIGKILL') } catch { /* gone */ } }, 30_000)
    await exited
    clearTimeout(killer)
  }
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(otherDir, { recursive: true, force: true })
}, 60_000)

test('npm run gateway -- --help prints the usage and exits 0', { timeout: 60_000 }, async () => {
  const { code, stdout, stderr } = await run('gateway', ['--help'])
  expect(code).toBe(0)
  expect(stdout).toMatch(/usage: npm run gateway -- device\|user <command>/)
  // Every kind a device may be, as the contract has them (air-quality stations came later).
  expect(stdout).toContain(`device add --kind ${DEVICE_KINDS.join('|')} `)
  expect(stderr).toBe('')
})

test('an unknown option of npm run gateway, npm run demo or npm start is named in one line pointing to --help, exit 2', { timeout: 180_000 }, async () => {
  const gateway = await run('gateway', ['device', 'list', '--bogus'])
  expect(gateway.code).toBe(2)
  expect(oneClearLine(gateway.stderr)).toBe("Unknown option '--bogus'. See: npm run gateway -- --help")
  const demo = await run('demo', ['--sped', '60'])
  expect(demo.code).toBe(2)
  expect(oneClearLine(demo.stderr)).toBe("Unknown option '--sped'. See: npm run demo -- --help")
  const badValue = await run('demo', ['--speed', 'fast'])
  expect(badValue.code).toBe(2)
  expect(oneClearLine(badValue.stderr)).toMatch(/^--speed "fast": a number/)
  const start = await run('start', ['--port', '80'])
  expect(start.code).toBe(2)
  expect(oneClearLine(start.stderr)).toMatch(/^npm start takes no arguments \(got '--port'\)/)
  const help = await run('demo', ['--help'])
  expect(help.code).toBe(0)
  expect(help.stdout).toContain('usage: npm run demo -- [--scenario')
  // A newcomer whose port is taken finds here how to move it (the port message names one setting at a time).
  expect(help.stdout).toMatch(/GATEWAY_HTTP_PORT=8080 GATEWAY_MQTT_PORT=1883 GATEWAY_MQTT_WS_PORT=8083/)
})

test('a bad setting stops npm run gateway, npm start and npm run demo with one line naming it, exit 1', { timeout: 180_000 }, async () => {
  for (const script of ['gateway', 'start', 'demo']) {
    const { code, stderr } = await run(script, script === 'gateway' ? ['device', 'list'] : [], { GATEWAY_HTTP_PORT: 'eighty' })
    expect(code, script).toBe(1)
    expect(oneClearLine(stderr), script).toMatch(/^invalid configuration: GATEWAY_HTTP_PORT="eighty": /)
  }
})

test('a second npm run demo while the first runs: one line about the data folder, or about the port with another folder; the first keeps running', { timeout: 300_000 }, async () => {
  first = spawn('npm', ['run', 'demo', '--', '--speed', '1'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let firstOut = ''
  first.stdout!.on('data', (chunk: Buffer) => { firstOut += chunk.toString() })
  for (const until = Date.now() + 120_000; !firstOut.includes('Dừng / stop: Ctrl+C');) {
    if (first.exitCode !== null || Date.now() > until) throw new Error(`the first demo did not start: ${firstOut}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const health = () => fetch(`http://127.0.0.1:${env.GATEWAY_HTTP_PORT}/health`).then((r) => r.status, () => 0)
  expect(await health()).not.toBe(0)
  const password = /quantri\s+(\S+)/.exec(firstOut)![1]!

  const sameFolder = await run('demo', [])
  expect(sameFolder.code).toBe(1)
  expect(oneClearLine(sameFolder.stderr)).toMatch(/^Thư mục dữ liệu .* đang được một gateway hoặc demo khác dùng.* \/ the data folder .* is in use by another gateway or demo/)
  const samePort = await run('demo', [], { GATEWAY_DATA_DIR: otherDir })
  expect(samePort.code).toBe(1)
  expect(oneClearLine(samePort.stderr)).toMatch(/^Cổng \d+ đang được dùng .*\/ port \d+ is already in use .*set GATEWAY_(MQTT|HTTP)_PORT/)

  // The first demo was not disturbed: its admin still signs in with the password it printed.
  expect(await health()).not.toBe(0)
  const login = await fetch(`http://127.0.0.1:${env.GATEWAY_HTTP_PORT}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'quantri', password }) })
  expect(login.status).toBe(201)
})

test('Ctrl+C stops npm run demo cleanly: no tsx relay in its process group (it SIGKILLs a child busy for 60 ms), "stopping" said, the databases closed', { timeout: 120_000 }, async () => {
  expect(first?.pid, 'the demo of the test before').toBeDefined()
  const group = first!.pid!
  // tsx's command line relays a Ctrl+C to its child and SIGKILLs it unless the child answers
  // within about 60 ms: the demo's busy event loop often did not, and its databases were left open.
  const members = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== group) return []
      return [readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ')]
    } catch { return [] }
  })
  expect(members.some((cmd) => cmd.includes('simulators/demo.ts')), members.join('\n')).toBe(true)
  expect(members.filter((cmd) => /\.bin\/tsx|tsx\/dist\/cli/.test(cmd))).toEqual([])
  let out = ''
  first!.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString() })
  const exited = once(first!, 'exit')
  process.kill(-group, 'SIGINT')
  await exited
  expect(out).toContain('đang dừng / stopping…')
  // npm itself may be gone before its child: wait for the demo's own process to end.
  await expect.poll(() => existsSync(join(dataDir, 'state.db-wal')) || existsSync(join(dataDir, 'journal.db-wal')), { timeout: 30_000 }).toBe(false)
  expect(readdirSync(dataDir).filter((f) => f.endsWith('-wal'))).toEqual([])
})
