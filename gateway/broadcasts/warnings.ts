// Automatic flood warnings. When a station's reservoir rises above its highest alarm level
// (báo động III, or the design flood level), the gateway speaks a bulletin in Vietnamese and
// sends it at emergency priority to the villages named downstream of that reservoir, played
// three times with five seconds between (the pattern Huế's sirens use above level III), and
// sends the same words through the notification channels. Who issues it, which station, the
// level against the alarm level, the trend, the time, the villages and what to do: the
// contents a flood warning must have (see ../shared/DOMAIN.md). When every cluster has
// answered, the warning's record says what really happened (played in full on N of M, and
// which did not and why) in the log and through the same channels (issue #13).
import type { Alarm } from '../alarms/catalog.js'
import type { EventBus } from '../events/bus.js'
import type { GatewayEvents } from '../events/events.js'
import type { Logger } from '../log.js'
import type { NotificationPayload } from '../notify/channels.js'
import { toPerson } from '../notify/notifier.js'
import type { Outbox } from '../notify/outbox.js'
import type { PrefsStore } from '../notify/prefs.js'
import { vn } from '../notify/text.js'
import type { Device } from '../registry/device.js'
import type { Registry } from '../registry/registry.js'
import type { Users } from '../users/users.js'
import type { AudioLibrary, Voice } from './audio.js'
import { missedLine, outcomeLine } from './outcome.js'
import type { BroadcastNotice, BroadcastService } from './service.js'

/** A level alarm at báo động III (stage 3) or the design flood (4) warns the villages downstream. */
const WARN_FROM_STAGE = 3
/** One warning per reservoir in this time, whichever of its stations or levels raised it. */
const QUIET_MS = 30 * 60_000
const SYSTEM = { actor: 'system', role: 'admin', mayApprove: true } as const

export interface WarningParts {
  bus: EventBus<GatewayEvents>
  broadcasts: BroadcastService
  audio: AudioLibrary
  registry: Registry
  outbox: Outbox
  users: Users
  prefs: PrefsStore
  webhookUrl: string | null
  commune: string
  voice: Voice
  ttlMin: number
  log: Logger
  now?: () => number
}

/** What the warning needs of a station: the commune's registry gives a Device, the province its basin map. */
export type WarnedStation = Pick<Device, 'name'> & { reservoir?: { name: string } | null }

/**
 * The words of the warning, as spoken and as sent: the issuer ("Ủy ban nhân dân <commune>",
 * or the province's for villages of other communes downstream), station, level against the
 * line, rate of rise, time, villages and what to do.
 */
export function warningText (alarm: Pick<Alarm, 'details' | 'startedAt'>, station: WarnedStation, villages: readonly string[], issuer: string): string {
  const d = alarm.details as { levelM?: number; thresholdM?: number; cmPerHour?: number | null }
  const at = new Date(alarm.startedAt + 7 * 3_600_000)
  const when = `${at.getUTCHours()} giờ ${String(at.getUTCMinutes()).padStart(2, '0')} phút, ngày ${at.getUTCDate()} tháng ${at.getUTCMonth() + 1}`
  const line = alarm.details.stage === 4 ? 'mực nước lũ thiết kế' : 'mức báo động ba'
  const level = d.levelM === undefined ? '' : `, mực nước đo được ${vn(d.levelM)} mét${d.thresholdM === undefined ? '' : `, trên ${line} ${vn(d.thresholdM)} mét`}`
  const trend = typeof d.cmPerHour === 'number' && d.cmPerHour > 0 ? `, nước đang lên ${vn(d.cmPerHour, 0)} xăng-ti-mét mỗi giờ` : ''
  const reservoir = station.reservoir ? `, ${station.reservoir.name}` : ''
  return `Thông báo khẩn cấp của ${issuer}. Lúc ${when}, tại ${station.name}${reservoir}${level}${trend}. ` +
    `Đề nghị bà con ${villages.join(', ')} khẩn trương đưa người và tài sản đến nơi cao an toàn, không qua lại sông suối, ngầm tràn, ` +
    'và theo dõi thông báo của chính quyền xã.'
}

export function startFloodWarnings (parts: WarningParts): () => void {
  const now = parts.now ?? Date.now
  const lastWarned = new Map<string, number>()
  const offEnded = parts.bus.on('broadcastEnded', (notice) => {
    if (notice.broadcast.alarmId !== null && notice.broadcast.createdBy === SYSTEM.actor) warningEnded(parts, notice, now())
  })
  const offAlarms = parts.bus.on('alarm', ({ alarm, change }) => {
    if ((change !== 'raised' && change !== 'worsened') || alarm.type !== 'water_level' || Number(alarm.details.stage) < WARN_FROM_STAGE || !alarm.deviceId) return
    const station = parts.registry.get(alarm.deviceId)
    if (!station) return
    const reservoir = station.reservoir?.name ?? station.id
    if (now() - (lastWarned.get(reservoir) ?? -Infinity) < QUIET_MS) return
    lastWarned.set(reservoir, now())
    const named = station.reservoir?.downstreamVillages.length ? station.reservoir.downstreamVillages : [station.village]
    const withSpeakers = new Set(parts.registry.list({ kind: 'speaker' }).map((d) => d.village))
    const villages = named.filter((v) => withSpeakers.has(v))
    const text = warningText(alarm, station, named, `Ủy ban nhân dân ${parts.commune}`)
    notify(parts, alarm.id, { event: 'broadcast.warning', alarm, text }, now())
    if (villages.length === 0) {
      parts.log.warn({ reservoir, villages: named }, 'flood warning: no loudspeaker cluster in the villages downstream')
      return
    }
    parts.audio.speak(text, parts.voice, SYSTEM.actor).then((clip) => {
      const b = parts.broadcasts.compose({
        title: `Cảnh báo lũ khẩn cấp: ${station.reservoir?.name ?? station.name}`.slice(0, 128), priority: 'emergency', clipId: clip.id,
        repeat: 3, gapS: 5, targets: { villages }, schedule: { kind: 'now' }, ttlS: parts.ttlMin * 60, action: 'send'
      }, SYSTEM, alarm.id)
      // Sent is not heard: the outcome is logged when every cluster has answered.
      parts.log.warn({ broadcastId: b.id, reservoir, villages }, 'automatic flood warning on air: waiting for every cluster to confirm it played')
    }).catch((err: unknown) => {
      parts.log.error({ err, reservoir }, 'automatic flood warning could not be spoken or sent: NO loudspeaker plays it; the notifications went out')
    })
  })
  return () => { offEnded(); offAlarms() }
}

/** The warning's record: how its airing really ended, logged and sent where the warning went. */
function warningEnded (parts: WarningParts, { broadcast: b, summary }: BroadcastNotice, at: number): void {
  const played = summary.outcome === 'played'
  const facts = { broadcastId: b.id, alarmId: b.alarmId, outcome: summary.outcome, played: summary.done, targeted: summary.targeted }
  if (played) parts.log.warn(facts, `automatic flood warning ${outcomeLine(summary, 'en')}`)
  else parts.log.error({ ...facts, missed: missedLine(summary.missed, 'en', 50) }, `automatic flood warning NOT played everywhere: ${outcomeLine(summary, 'en')}`)
  const text = `${b.title}: ${outcomeLine(summary, 'vi')}.` +
    (played ? '' : ` Chưa phát: ${missedLine(summary.missed, 'vi')}. Hãy phát lại cho các cụm loa này hoặc báo bằng cách khác.`) +
    ` / Automatic flood warning: ${outcomeLine(summary, 'en')}.`
  notify(parts, b.alarmId!, { event: 'broadcast.warning.outcome', alarm: { id: b.alarmId }, text, broadcast: { id: b.id, title: b.title, summary } }, at)
}

/** The same words to the webhook and to the officials' and operators' phones, now. */
function notify (parts: WarningParts, alarmId: number, payload: NotificationPayload, at: number): void {
  if (parts.webhookUrl) parts.outbox.enqueue(alarmId, 'webhook', parts.webhookUrl, payload)
  for (const user of parts.users.list()) {
    if (!user.enabled || (user.role !== 'official' && user.role !== 'operator')) continue
    // A flood warning is critical: quiet hours do not hold it back.
    toPerson(parts.outbox, parts.prefs.get(user.id), alarmId, payload, at)
  }
}
