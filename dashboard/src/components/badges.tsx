// State shown by words and a symbol as well as colour: readable for the colour-blind, on a
// greyscale screen, and by a screen reader.
import type { Attention } from '../../../gateway/live/attention.js'
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import { alarmTypeName } from '../../../gateway/alarms/catalog.js'
import { language, t } from '../i18n.js'
import type { Words } from '../words.js'

export function OnlineBadge ({ device }: { device: Pick<DeviceView, 'online' | 'since' | 'lastSeen' | 'enabled'> }) {
  if (!device.enabled) return <span class='badge muted'>⊘ {t('disabled')}</span>
  if (device.online) return <span class='badge ok'>● {t('online')}</span>
  if (device.since === null && device.lastSeen === null) return <span class='badge muted'>○ {t('neverSeen')}</span>
  return <span class='badge bad'>✕ {t('offline')}</span>
}

const SYMBOL = { critical: '‼', major: '!', minor: '▲', warning: '△' } as const

/** A mark's name is its alarm type's (a level mark names the line the water is above). */
const attentionName = (a: Attention): string =>
  a.code === 'never_seen' ? t('neverSeen') : alarmTypeName({ type: a.code, details: { stage: a.stage } }, language())

export function AttentionBadges ({ attention }: { attention: readonly Attention[] }) {
  return (
    <span class='attention'>
      {attention.map((a) => (
        <span key={`${a.code}${a.stage ?? ''}`} class={`badge sev-${a.severity}`} title={t(`s_${a.severity}` as keyof Words)}>
          {SYMBOL[a.severity]} {attentionName(a)}
        </span>
      ))}
    </span>
  )
}

/** A yes/no fact where "yes" is good (stream alive, recording) or bad (tamper). */
export function Flag ({ value, good }: { value: unknown; good: boolean }) {
  if (typeof value !== 'boolean') return <span class='muted'>—</span>
  const fine = value === good
  return <span class={fine ? 'flag ok' : 'flag bad'}>{fine ? '✓' : '✕'} {value ? t('yes') : t('no')}</span>
}
