// `npm start`: the gateway as a long-running service. Configuration errors stop it with
// every problem listed; SIGTERM/SIGINT stop it cleanly (pending journal commits are
// flushed; whatever has not reached the store yet waits in the journal for the next start).
import { startGateway } from './app.js'
import { missingTools } from './broadcasts/audio.js'
import { ConfigError, loadConfig } from './config/load.js'
import type { Config } from './config/settings.js'
import { createLogger } from './log.js'

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
  log.fatal({ err }, 'gateway failed to start')
  process.exit(1)
})
log.info({ mqtt: gateway.mqtt.tcp.port, http: gateway.http.port, dataDir: config.dataDir }, 'gateway running')
const missing = missingTools()
if (missing.length > 0) log.warn({ missing }, `spoken bulletins, audio uploads and automatic flood warnings need these Debian packages: apt-get install ${missing.join(' ')}`)

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
