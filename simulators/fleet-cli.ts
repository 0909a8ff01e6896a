// The fleet's command line (run through `npm run fleet -- ...`, see fleet.ts).
// One status line every few seconds, Vietnamese first, English second.
import { parseArgs } from 'node:util'
import type { DeviceKind } from '../gateway/contract/index.js'
import { perKind } from '../gateway/kinds/index.js'
import { BASE_INTERVAL_MS } from './kinds.js'
import { startFleet, type FleetCounts } from './fleet.js'
import { loadCredentials, loadInventory } from './inventory.js'
import { atLocalHour, localHour } from './patterns.js'
import { SCENARIOS, type ScenarioName } from './scenario.js'

const USAGE = `usage: npm run fleet -- --inventory FILE --credentials FILE [options]

  --inventory FILE     inventory the gateway imported (YAML or CSV, every device with an id)
  --credentials FILE   JSON object { "<deviceId>": "<secret>" }
  --url URL            broker, mqtt://host:port (default mqtt://localhost:1883)
  --scenario NAME      ${SCENARIOS.join(' | ')} (default normal)
  --speed N            simulated time runs N times faster (default 1)
  --interval S         real seconds between readings for every kind
                       (default: ${Object.entries(BASE_INTERVAL_MS).map(([kind, ms]) => `${ms / 1000} s ${kind}`).join(', ')},
                       divided by speed, at least 1 s)
  --start-hour H       simulated local time of day at start, e.g. 5.75 for 05:45
  --keepalive S        MQTT keepalive in seconds (default 45)
  --stagger MS         milliseconds between two devices' first connects (default 25)
  --seed N             same seed, same fleet (default 1)
  --play-fail SHARE    loudspeakers fail this share of bulletins, 0 to 1 (default 0)
  --speakers-off SHARE this share of loudspeaker clusters stays switched off, 0 to 1 (default 0)
  --no-faults          no random faults (scenarios still apply)`

/** "12 345": digits grouped by a space, readable in both languages. */
export function grouped (n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')
}

/**
 * `rtspCameras`: the demo's cameras that speak RTSP instead of MQTT; counted apart, or "132/132"
 * beside the README's 138 devices leaves a newcomer looking for six.
 */
export function statusLine (c: FleetCounts, simMs: number, rtspCameras = 0): string {
  // Whole minutes first, so 06:05 never shows as 06:04.999.
  const minutes = Math.floor(localHour(simMs) * 60 + 1e-6)
  const clock = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
  const rtsp = rtspCameras > 0 ? ` (+${rtspCameras} camera RTSP)` : ''
  return `đã kết nối / connected ${c.connected}/${c.total}${rtsp} · tin nhắn / messages ${grouped(c.published)} · ` +
    `lệnh / commands ${grouped(c.commands)} · giờ mô phỏng / simulated time ${clock}`
}

function positive (name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${value}"`)
  return n
}

export async function main (argv: string[]): Promise<number> {
  let args
  try {
    args = parseArgs({
      args: argv,
      options: {
        inventory: { type: 'string' },
        credentials: { type: 'string' },
        url: { type: 'string', default: 'mqtt://localhost:1883' },
        scenario: { type: 'string', default: 'normal' },
        speed: { type: 'string' },
        interval: { type: 'string' },
        'start-hour': { type: 'string' },
        keepalive: { type: 'string' },
        stagger: { type: 'string' },
        seed: { type: 'string' },
        'play-fail': { type: 'string' },
        'speakers-off': { type: 'string' },
        'no-faults': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      },
      strict: true
    }).values
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (args.help) { console.log(USAGE); return 0 }
  if (!args.inventory || !args.credentials) { console.error(USAGE); return 2 }
  if (!(SCENARIOS as readonly string[]).includes(args.scenario)) {
    console.error(`unknown scenario "${args.scenario}"; one of ${SCENARIOS.join(', ')}`)
    return 2
  }

  const errors = new Map<string, number>()
  let fleet
  try {
    const speed = positive('speed', args.speed) ?? 1
    const interval = positive('interval', args.interval)
    const startHour = positive('start-hour', args['start-hour'])
    const keepaliveS = positive('keepalive', args.keepalive)
    const seed = positive('seed', args.seed)
    const playFailShare = positive('play-fail', args['play-fail'])
    const speakerOfflineShare = positive('speakers-off', args['speakers-off'])
    if ((playFailShare ?? 0) > 1 || (speakerOfflineShare ?? 0) > 1) throw new Error('--play-fail and --speakers-off are shares between 0 and 1')
    const intervalsMs: Partial<Record<DeviceKind, number>> = interval === undefined
      ? {}
      : perKind(() => interval * 1000)
    fleet = startFleet({
      url: args.url,
      devices: await loadInventory(args.inventory),
      credentials: await loadCredentials(args.credentials),
      scenario: args.scenario as ScenarioName,
      speed,
      intervalsMs,
      staggerMs: positive('stagger', args.stagger) ?? 25,
      faults: !args['no-faults'],
      ...(startHour !== undefined ? { simStart: atLocalHour(Date.now(), startHour) } : {}),
      ...(keepaliveS !== undefined ? { keepaliveS } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(playFailShare !== undefined ? { playFailShare } : {}),
      ...(speakerOfflineShare !== undefined ? { speakerOfflineShare } : {}),
      // Each kind of error is shown once, with the first device that met it; a hundred
      // devices refused by a broker that is down would otherwise flood the terminal.
      onError: (deviceId, err) => {
        const seen = errors.get(err.message) ?? 0
        if (seen === 0) console.error(`\n${deviceId}: ${err.message}`)
        errors.set(err.message, seen + 1)
      }
    })
  } catch (err) {
    console.error((err as Error).message)
    return 1
  }

  const running = fleet
  console.log(`kịch bản / scenario ${args.scenario} · tốc độ / speed ×${running.clock.speed} · ${args.url}`)
  const tty = process.stdout.isTTY
  const print = (): void => {
    const line = statusLine(running.counts(), running.clock.simNow())
    process.stdout.write(tty ? `\r${line}\x1b[K` : `${line}\n`)
  }
  const ticker = setInterval(print, 3000)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  clearInterval(ticker)
  print()
  process.stdout.write('\nđang dừng / stopping...\n')
  await running.stop()
  return 0
}
