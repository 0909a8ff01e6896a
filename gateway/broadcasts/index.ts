// The broadcast feature, assembled for the gateway: audio library, groups, bulletins and
// their scheduler, live sessions and relays, automatic flood warnings.
import type { DiskFaults } from '../disk-full.js'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import type { AlarmEngine } from '../alarms/engine.js'
import type { CommandDispatcher } from '../commands/dispatcher.js'
import type { Config } from '../config/settings.js'
import type { Db } from '../db/database.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents } from '../events/events.js'
import type { Logger } from '../log.js'
import type { Outbox } from '../notify/outbox.js'
import type { PrefsStore } from '../notify/prefs.js'
import type { Registry } from '../registry/registry.js'
import type { Users } from '../users/users.js'
import { AudioLibrary } from './audio.js'
import { LiveSessions } from './live.js'
import { Relays } from './relay.js'
import { BroadcastService, type BroadcastNotice } from './service.js'
import { BroadcastStore } from './store.js'
import { SpeakerGroups } from './targets.js'
import { startFloodWarnings } from './warnings.js'

export interface BroadcastFeature {
  service: BroadcastService
  store: BroadcastStore
  audio: AudioLibrary
  groups: SpeakerGroups
  live: LiveSessions
  relays: Relays
  recent: () => BroadcastNotice[]
  /** Once HTTP listens: the address clusters fetch audio from. */
  listening: (httpPort: number) => void
  stop: () => Promise<void>
}

export function startBroadcasts (config: Config, parts: {
  db: Db; registry: Registry; commands: CommandDispatcher; alarms: AlarmEngine; bus: EventBus<GatewayEvents>
  outbox: Outbox; users: Users; prefs: PrefsStore; log: Logger; disk?: DiskFaults
}): BroadcastFeature {
  const audio = new AudioLibrary(parts.db, join(config.dataDir, 'audio'))
  const groups = new SpeakerGroups(parts.db, parts.registry)
  const store = new BroadcastStore(parts.db)
  let publicUrl = config.publicUrl?.replace(/\/$/, '') ?? ''
  const service = new BroadcastService({
    store, audio, groups, registry: parts.registry, commands: parts.commands, alarms: parts.alarms, bus: parts.bus, log: parts.log, disk: parts.disk, publicUrl: () => publicUrl
  })
  const live = new LiveSessions({ service, store, audio, registry: parts.registry, groups, log: parts.log, idleMs: config.liveIdleS * 1000 })
  const relays = new Relays({ db: parts.db, live, service, store, audio, registry: parts.registry, groups, alarms: parts.alarms, log: parts.log })
  let relayTimer: NodeJS.Timeout | null = null
  const stopWarnings = startFloodWarnings({
    bus: parts.bus, broadcasts: service, audio, registry: parts.registry, outbox: parts.outbox, users: parts.users, prefs: parts.prefs,
    webhookUrl: config.webhookUrl ?? null, commune: config.commune, voice: config.speechVoice, ttlMin: config.warningTtlMin, log: parts.log
  })
  return {
    service, store, audio, groups, live, relays,
    recent: () => store.list({ limit: 50 }).map((broadcast) => ({ broadcast, summary: store.summary(broadcast.id) })),
    listening (httpPort) {
      publicUrl ||= `http://${lanHost(config.httpHost)}:${httpPort}`
      parts.log.info({ publicUrl }, 'loudspeaker clusters fetch bulletin audio here (GATEWAY_PUBLIC_URL to change it)')
      service.start()
      relayTimer = setInterval(() => { void relays.tick() }, 1000)
      relayTimer.unref()
    },
    async stop () {
      if (relayTimer) clearInterval(relayTimer)
      await live.stopAll()
      stopWarnings()
      service.stop()
    }
  }
}

/** The address clusters on the village network can reach when HTTP listens on every address. */
function lanHost (httpHost: string): string {
  if (httpHost !== '::' && httpHost !== '0.0.0.0') return httpHost.includes(':') ? `[${httpHost}]` : httpHost
  for (const addresses of Object.values(networkInterfaces())) {
    const lan = addresses?.find((a) => a.family === 'IPv4' && !a.internal)
    if (lan) return lan.address
  }
  return '127.0.0.1'
}
