// The attacker of `npm run bench:login-flood`, in its own process so that its work does not
// slow the measurements: keeps `concurrency` requests in flight until killed, and prints
// how they were answered (status → count) on SIGTERM.
//   login: unauthenticated logins, a new random username each, from --from (one address) or,
//          with --from spread, each from a random 127.x.y.z address;
//   large: unauthenticated 4.9 MB CSV posts to /api/devices/import.
import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: {
  url: { type: 'string' }, mode: { type: 'string', default: 'login' }, concurrency: { type: 'string', default: '64' }, from: { type: 'string', default: '127.0.0.2' }
} })
const { hostname, port } = new URL(values.url!)
const LARGE = Buffer.alloc(4_900_000, 'a')
const answers: Record<string, number> = {}
let stopping = false

function from (): string {
  if (values.from !== 'spread') return values.from
  const b = randomBytes(3)
  return `127.${b[0]}.${b[1]}.${Math.max(2, b[2]!)}`
}

function once (): Promise<void> {
  const large = values.mode === 'large'
  const body = large ? LARGE : Buffer.from(JSON.stringify({ username: `u${randomBytes(6).toString('hex')}`, password: randomBytes(8).toString('hex') }))
  return new Promise((resolve) => {
    const req = request({ host: hostname, port, method: 'POST', path: large ? '/api/devices/import' : '/api/session', localAddress: from(), agent: false,
      headers: { 'content-type': large ? 'text/csv' : 'application/json', 'content-length': body.length } }, (res) => {
      res.resume()
      res.on('end', () => { answers[res.statusCode ?? 0] = (answers[res.statusCode ?? 0] ?? 0) + 1; resolve() })
    })
    req.on('error', (err: NodeJS.ErrnoException) => { answers[err.code ?? 'error'] = (answers[err.code ?? 'error'] ?? 0) + 1; resolve() })
    req.end(body)
  })
}

async function worker (): Promise<void> {
  while (!stopping) await once()
}

process.on('SIGTERM', () => {
  stopping = true
  process.stdout.write(JSON.stringify(answers) + '\n', () => process.exit(0))
})
await Promise.all(Array.from({ length: Number(values.concurrency) }, worker))
