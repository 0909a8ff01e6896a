// How an alarm is named and described on every page: the device by its name and village, the
// id beside it (issue #15); the level alarm by the line the water is above; the facts in words.
import { ALARM_TYPES, alarmTypeName, LEVEL_STAGES, type Alarm, type AlarmSpec, type Severity } from '../../../gateway/alarms/catalog.js'
import { inWords, trendWords } from '../../../gateway/alarms/time-words.js'
import { language, num, t } from '../i18n.js'
import type { Words } from '../words.js'

const SYMBOL = { critical: '‼', major: '!', minor: '▲', warning: '△' } as const
export const alarmName = (a: Pick<Alarm, 'type' | 'details'>): string => alarmTypeName(a, language())
/** What to do about an alarm of this type, when its kind says (camera alarms: gateway/kinds/camera.ts). */
export const alarmTodo = (a: Pick<Alarm, 'type'>): string | null => (ALARM_TYPES[a.type] as AlarmSpec | undefined)?.todo?.[language()] ?? null

/** "Trạm đo đập chính · Thôn Khe Trăn" for a device, the village for a village alarm. */
export const subjectName = (a: Pick<Alarm, 'deviceId' | 'deviceName' | 'village'>): string =>
  a.deviceId ? `${a.deviceName ?? a.deviceId} · ${a.village}` : a.village

/** The subject as a link to its device, with the id beside it for those who know devices by id. */
export function Subject ({ alarm }: { alarm: Alarm }) {
  if (!alarm.deviceId) return <strong>{alarm.village}</strong>
  return (
    <span class='subject'>
      <a href={`#/device/${encodeURIComponent(alarm.deviceId)}`}>{alarm.deviceName ?? alarm.deviceId}</a>
      <span class='muted'> · {alarm.village}</span> <code class='muted small'>{alarm.deviceId}</code>
    </span>
  )
}

export function facts (a: Alarm): string {
  const d = a.details
  const parts: string[] = []
  if (typeof d.levelM === 'number') parts.push(`${num(d.levelM, 2)} m${typeof d.thresholdM === 'number' ? ` ≥ ${num(d.thresholdM, 2)} m` : ''}`)
  const trend = trendWords(typeof d.cmPerHour === 'number' ? d.cmPerHour : null, language())
  if (trend) parts.push(`${d.risingFast === true ? `${t('risingFast')}: ` : ''}${trend.word}`)
  const next = d.next as { stage: number; levelM: number; hours: number | null } | null | undefined
  const stage = LEVEL_STAGES.find((s) => s.stage === next?.stage)
  if (next?.hours != null && stage) parts.push(`→ ${stage[language()]} (${num(next.levelM, 2)} m) ${inWords(next.hours, language())}`)
  if (typeof d.dark === 'number' && typeof d.total === 'number') parts.push(`${d.dark}/${d.total} ✕`)
  if (typeof d.batteryPct === 'number') parts.push(`${num(d.batteryPct, 0)} %`)
  return parts.join(' · ')
}

export function SeverityBadge ({ severity }: { severity: Severity }) {
  return <span class={`badge sev-${severity}`}>{SYMBOL[severity]} {t(`s_${severity}` as keyof Words)}</span>
}
