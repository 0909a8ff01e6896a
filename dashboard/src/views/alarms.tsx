// The live alarm list: the worst first, filters, acknowledge and clear with a comment, and
// the history of cleared alarms. Also each device's alarm history, and the ring of a new
// critical alarm.
import { useState } from 'preact/hooks'
import { ALARM_TYPES, rank, SEVERITIES, type Alarm, type Severity } from '../../../gateway/alarms/catalog.js'
import { api, type ApiError, useList } from '../api.js'
import { ago, dateTime, language, num, t } from '../i18n.js'
import { useLive } from '../live.js'
import type { Words } from '../words.js'
import { MyNotifications } from './my-notifications.js'

const SYMBOL = { critical: '‼', major: '!', minor: '▲', warning: '△' } as const
export const alarmName = (a: Alarm): string => ALARM_TYPES[a.type][language()]

function facts (a: Alarm): string {
  const d = a.details
  const parts: string[] = []
  if (typeof d.levelM === 'number') parts.push(`${num(d.levelM, 2)} m${typeof d.thresholdM === 'number' ? ` ≥ ${num(d.thresholdM, 2)} m` : ''}`)
  if (typeof d.cmPerHour === 'number') parts.push(`${num(d.cmPerHour, 1)} cm/h`)
  const next = d.next as { type: Alarm['type']; levelM: number; hours: number | null } | null | undefined
  if (next?.hours != null) parts.push(`→ ${ALARM_TYPES[next.type][language()]} ${num(next.levelM, 2)} m: ${t('reachedIn')} ${num(next.hours, 1)} h`)
  if (typeof d.dark === 'number' && typeof d.total === 'number') parts.push(`${d.dark}/${d.total} ✕`)
  if (typeof d.batteryPct === 'number') parts.push(`${num(d.batteryPct, 0)} %`)
  return parts.join(' · ')
}

export function SeverityBadge ({ severity }: { severity: Severity }) {
  return <span class={`badge sev-${severity}`}>{SYMBOL[severity]} {t(`s_${severity}` as keyof Words)}</span>
}

function AlarmRow ({ alarm }: { alarm: Alarm }) {
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string | null>(null)
  const act = (action: 'acknowledge' | 'clear') => {
    api('POST', `/api/alarms/${alarm.id}/${action}`, comment ? { comment } : {}).then(() => setError(null), (err: ApiError) => setError(err.message))
  }
  const subject = alarm.deviceId ? <a href={`#/device/${encodeURIComponent(alarm.deviceId)}`}>{alarm.deviceId}</a> : <strong>{alarm.village}</strong>
  return (
    <li class={`alarm sev-line-${alarm.severity}`} data-alarm={alarm.type}>
      <div><SeverityBadge severity={alarm.severity} /> <strong>{alarmName(alarm)}</strong> — {subject} <span class='muted'>· {alarm.village}</span></div>
      <div class='small'>{facts(alarm)} <span class='muted'>{t('since')} {dateTime(alarm.startedAt)} ({ago(alarm.startedAt)})</span>
        {alarm.acknowledged ? <span class='badge ok'>✓ {t('acknowledged')} · {alarm.ackedBy}</span> : <span class='badge bad'>✕ {t('notAcknowledged')}</span>}
        {alarm.escalationLevel > 0 && <span class='badge sev-minor'>↑ {t('escalated')} {alarm.escalationLevel}</span>}
      </div>
      {alarm.state === 'active' && (
        <div class='alarm-actions'>
          <input aria-label={t('comment')} placeholder={t('comment')} value={comment} onInput={(e) => setComment((e.currentTarget).value)} />
          {!alarm.acknowledged && <button type='button' onClick={() => act('acknowledge')}>{t('acknowledge')}</button>}
          <button type='button' onClick={() => act('clear')}>{t('clearAlarm')}</button>
        </div>
      )}
      {error && <p class='error' role='alert'>{error}</p>}
    </li>
  )
}

export function AlarmsView () {
  const live = useLive('alarms')
  const [severity, setSeverity] = useState<Severity | ''>('')
  const [unacked, setUnacked] = useState(false)
  const [history, setHistory] = useState(false)
  const cleared = useList<Alarm>(history ? '/api/alarms?state=cleared&limit=200' : null)
  const active = [...live.alarms.values()]
    .filter((a) => (!severity || a.severity === severity) && (!unacked || !a.acknowledged))
    .sort((a, b) => rank(a.severity) - rank(b.severity) || Number(a.acknowledged) - Number(b.acknowledged) || b.startedAt - a.startedAt)
  return (
    <div>
      <h1>{t('alarms')} ({active.length})</h1>
      <div class='filters'>
        <label>{t('severity')}
          <select value={severity} onChange={(e) => setSeverity((e.currentTarget).value as Severity | '')}>
            <option value=''>—</option>
            {SEVERITIES.map((s) => <option key={s} value={s}>{t(`s_${s}` as keyof Words)}</option>)}
          </select>
        </label>
        <label class='check'><input type='checkbox' checked={unacked} onChange={(e) => setUnacked((e.currentTarget).checked)} />{t('notAcknowledged')}</label>
        <label class='check'><input type='checkbox' checked={history} onChange={(e) => setHistory((e.currentTarget).checked)} />{t('alarmHistory')}</label>
      </div>
      {active.length === 0 ? <p class='ok-note'>✓ {t('noAlarms')}</p> : <ul class='alarm-list'>{active.map((a) => <AlarmRow key={a.id} alarm={a} />)}</ul>}
      <MyNotifications />
      {history && cleared && (
        <section>
          <h2>{t('alarmHistory')}</h2>
          <AlarmTable alarms={cleared} />
        </section>
      )}
    </div>
  )
}

export function AlarmTable ({ alarms }: { alarms: Alarm[] }) {
  if (alarms.length === 0) return <p class='muted'>—</p>
  return (
    <div class='table-wrap'>
      <table class='list'>
        <thead><tr><th scope='col'>{t('severity')}</th><th scope='col'>{t('alarms')}</th><th scope='col'>{t('start')}</th><th scope='col'>{t('end')}</th><th scope='col'>{t('acknowledged')}</th></tr></thead>
        <tbody>
          {alarms.map((a) => (
            <tr key={a.id}>
              <td><SeverityBadge severity={a.severity} /></td>
              <td>{alarmName(a)} — {a.deviceId ?? a.village} <span class='small muted'>{facts(a)}</span></td>
              <td>{dateTime(a.startedAt)}</td>
              <td>{a.clearedAt ? `${dateTime(a.clearedAt)}${a.clearedBy ? ` (${a.clearedBy})` : ''}` : <strong>{t('ongoing')}</strong>}</td>
              <td>{a.acknowledged ? `✓ ${a.ackedBy ?? ''}` : '✕'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The count in the menu: active alarms nobody acknowledged; red when one is critical. */
export function AlarmBadge () {
  const live = useLive('alarms')
  const open = [...live.alarms.values()].filter((a) => !a.acknowledged)
  if (open.length === 0) return null
  const critical = open.some((a) => a.severity === 'critical')
  return <span class={`count-badge ${critical ? 'critical' : ''}`} aria-label={`${open.length} ${t('notAcknowledged')}`}>{open.length}</span>
}

/** Two tones, twice: a new critical alarm must not go unheard. Web Audio: no sound file to ship. */
export function ring (): void {
  try {
    const ctx = new AudioContext()
    const gain = ctx.createGain()
    gain.gain.value = 0.2
    gain.connect(ctx.destination)
    ;[880, 660, 880, 660].forEach((hz, i) => {
      const osc = ctx.createOscillator()
      osc.frequency.value = hz
      osc.connect(gain)
      osc.start(ctx.currentTime + i * 0.3)
      osc.stop(ctx.currentTime + i * 0.3 + 0.25)
    })
    setTimeout(() => { void ctx.close() }, 2000)
  } catch {
    // No audio device (or blocked until the page is touched): the banner still shows.
  }
}
