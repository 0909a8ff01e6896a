// `npm start`: the gateway as a long-running service. Configuration errors stop it with
// every problem listed; SIGTERM/SIGINT stop it cleanly (pending journal commits are
// flushed; whatever has not reached the store yet waits in the journal for the next start).
import { startGateway } from './app.js'
import { missingTools } from './broadcasts/audio.js'
import { ConfigError, loadConfig } from './config/load.js'
import type { Config } from './config/settings.js'
import { createLogger } from './log.js'
import { startFailure } from './start-errors.js'

// Settings come from GATEWAY_* variables (or GATEWAY_CONFIG_FILE), never from arguments.
const USAGE = 'usage: npm start   (settings: GATEWAY_* environment variables or GATEWAY_CONFIG_FILE, listed in README.md; devices and accounts: npm run gateway -- --help)'
const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE)
  process.exit(0)
}
if (args.length > 0) {
  process.stderr.write(`npm start takes no arguments (got '${args[0]}'); settings are GATEWAY_* environment variables. See: npm start -- --help\n`)
  process.exit(2)
}

let config: Config
try {
  config = loadConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stderr.write(`${err.message}\n`)
  process.exit(1)
}
const log = createLogger(config.logLevel)
const gateway = await startGateway(config, log).catch((err: unknown) => {
  // A port or the data folder taken: one line that says so; a fault of ours: the log with its stack.
  const problem = startFailure(err, config)
  if (problem) process.stderr.write(`${problem}\n`)
  else log.fatal({ err }, 'gateway failed to start')
  process.exit(1)
})
log.info({ mqtt: gateway.mqtt.tcp.port, http: gateway.http.port, dataDir: config.dataDir }, 'gateway running')
void missingTools().then((missing) => {
  if (missing.length > 0) log.warn({ missing }, `spoken bulletins, audio uploads and automatic flood warnings need these Debian packages: apt-get install ${missing.join(' ')}`)
})

// An error nobody caught (in a timer, say) leaves some part in a state nobody knows: say so
// in the log, with the error, and exit non-zero so the service manager starts a clean gateway
// (deploy/commune-gateway.service restarts it). Node's default printed a bare stack to stderr.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    log.fatal({ err, event }, 'uncaught error; exiting so that the service manager starts the gateway again')
    process.exit(70)
  })
}

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping')
    gateway.stop().then(() => process.exit(0), (err: unknown) => {
      log.error({ err }, 'unclean stop')
      process.exit(1)
    })
  })
}
