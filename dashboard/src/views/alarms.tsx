// The live alarm list (issue #15): grouped by village and by device or station, the worst
// first; acknowledge several at once with one comment; each alarm's thread of comments. The
// list holds its order while someone is typing or has alarms selected, so nothing moves under
// the operator's hands; new alarms wait below until the form is done.
import { useRef, useState } from 'preact/hooks'
import { rank, SEVERITIES, type Alarm, type Severity } from '../../../gateway/alarms/catalog.js'
import { api, type ApiError, useList } from '../api.js'
import { errorText } from '../errors.js'
import { ago, dateTime, t } from '../i18n.js'
import { useLive } from '../live.js'
import type { Words } from '../words.js'
import { AlarmThread } from './alarm-thread.js'
import { alarmName, alarmTodo, facts, SeverityBadge, Subject, subjectName } from './alarm-words.js'
import { MyNotifications } from './my-notifications.js'

export { alarmName } from './alarm-words.js'
export { AlarmBadge, ring } from './alarm-bell.js'

const worst = (list: Alarm[]): number => Math.min(...list.map((a) => rank(a.severity)))
const byWorst = (a: Alarm, b: Alarm): number => rank(a.severity) - rank(b.severity) || Number(a.acknowledged) - Number(b.acknowledged) || b.startedAt - a.startedAt

/** Village → subject → alarms, each level worst first. */
function order (alarms: Alarm[]): number[] {
  const villages = new Map<string, Map<string, Alarm[]>>()
  for (const a of alarms) {
    const subjects = villages.get(a.village) ?? villages.set(a.village, new Map()).get(a.village)!
    ;(subjects.get(a.subject) ?? subjects.set(a.subject, []).get(a.subject)!).push(a)
  }
  const sorted = [...villages.entries()].sort(([va, a], [vb, b]) => worst([...a.values()].flat()) - worst([...b.values()].flat()) || va.localeCompare(vb, 'vi'))
  return sorted.flatMap(([, subjects]) => [...subjects.values()].sort((a, b) => worst(a) - worst(b)).flatMap((list) => list.sort(byWorst).map((a) => a.id)))
}

/**
 * A picture fault (issue #20) carries the snapshot it was judged on: the police see it beside
 * the alarm (its thumbnail, a link to the whole), each view audited by the gateway. Only police
 * and the admin see camera alarms, and only they may see pictures.
 */
function AlarmPicture ({ alarm }: { alarm: Alarm }) {
  const at = alarm.details.snapshotAt
  if (typeof at !== 'number' || !alarm.deviceId) return null
  const src = `/api/devices/${encodeURIComponent(alarm.deviceId)}/snapshots/${at}`
  return <a href={src} target='_blank' rel='noopener'><img class='alarm-picture' src={`${src}?size=thumb`} alt={t('alarmPicture')} loading='lazy' /></a>
}

function AlarmRow ({ alarm, selected, onSelect, onBusy }: { alarm: Alarm; selected: boolean; onSelect: (on: boolean) => void; onBusy: (busy: boolean) => void }) {
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState(false)
  const type = (value: string) => { setComment(value); onBusy(value.length > 0) }
  const act = (action: 'acknowledge' | 'clear') => {
    api('POST', `/api/alarms/${alarm.id}/${action}`, comment ? { comment } : {}).then(() => { setError(null); type('') }, (err: ApiError) => setError(errorText(err)))
  }
  return (
    <li class={`alarm sev-line-${alarm.severity}`} data-alarm={alarm.type} data-id={alarm.id}>
      <div class='alarm-head'>
        <label class='pick'><input type='checkbox' checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} aria-label={`${t('select')}: ${alarmName(alarm)} — ${subjectName(alarm)}`} /></label>
        <div><SeverityBadge severity={alarm.severity} /> <strong>{alarmName(alarm)}</strong> — <Subject alarm={alarm} /></div>
      </div>
      <div class='small'>{facts(alarm)} <span class='muted'>{t('since')} {dateTime(alarm.startedAt)} ({ago(alarm.startedAt)})</span>
        {alarm.acknowledged ? <span class='badge ok'>✓ {t('acknowledged')} · {alarm.ackedBy}</span> : <span class='badge bad'>✕ {t('notAcknowledged')}</span>}
        {alarm.escalationLevel > 0 && <span class='badge sev-minor'>↑ {t('escalated')} {alarm.escalationLevel}</span>}
      </div>
      {alarmTodo(alarm) && <p class='small todo' data-todo><strong>{t('whatToDo')}:</strong> {alarmTodo(alarm)}</p>}
      <AlarmPicture alarm={alarm} />
      <div class='alarm-actions'>
        <input aria-label={t('comment')} placeholder={t('comment')} value={comment} maxLength={500} onInput={(e) => type(e.currentTarget.value)} />
        {!alarm.acknowledged && <button type='button' onClick={() => act('acknowledge')}>{t('acknowledge')}</button>}
        <button type='button' onClick={() => act('clear')}>{t('clearAlarm')}</button>
        <button type='button' aria-expanded={open} onClick={() => setOpen(!open)}>{t('thread')}</button>
      </div>
      {open && <AlarmThread alarm={alarm} onBusy={onBusy} />}
      {error && <p class='error' role='alert'>{error}</p>}
    </li>
  )
}

/** The bar for the selected alarms: one comment, acknowledged together. */
function SelectionBar ({ ids, onDone }: { ids: number[]; onDone: () => void }) {
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (e: Event) => {
    e.preventDefault()
    api('POST', '/api/alarms/acknowledge', { ids, ...(comment ? { comment } : {}) }).then(() => { setComment(''); setError(null); onDone() }, (err: ApiError) => setError(errorText(err)))
  }
  return (
    <form class='selection-bar' onSubmit={submit} aria-label={t('selectedAlarms')}>
      <strong>{ids.length} {t('selectedAlarms')}</strong>
      <input aria-label={t('commentForAll')} placeholder={t('commentForAll')} maxLength={500} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      <button type='submit'>{t('acknowledgeSelected')}</button>
      <button type='button' onClick={onDone}>{t('cancelSelection')}</button>
      {error && <p class='error' role='alert'>{error}</p>}
    </form>
  )
}

export function AlarmsView () {
  const live = useLive('alarms')
  const [severity, setSeverity] = useState<Severity | ''>('')
  const [unacked, setUnacked] = useState(false)
  const [history, setHistory] = useState(false)
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set())
  const [typing, setTyping] = useState<ReadonlySet<number>>(new Set())
  const held = useRef<number[]>([])
  const cleared = useList<Alarm>(history ? '/api/alarms?state=cleared&limit=200' : null)
  const shown = [...live.alarms.values()].filter((a) => (!severity || a.severity === severity) && (!unacked || !a.acknowledged))
  const byId = new Map(shown.map((a) => [a.id, a]))
  // While a form is open the order is held: gone alarms drop out, new ones wait below.
  const busy = selected.size > 0 || typing.size > 0
  const fresh = order(shown)
  const kept = busy ? held.current.filter((id) => byId.has(id)) : fresh
  const waiting = busy ? fresh.filter((id) => !kept.includes(id)) : []
  if (!busy) held.current = fresh
  const toggle = <T,>(set: ReadonlySet<T>, id: T, on: boolean): ReadonlySet<T> => { const next = new Set(set); if (on) next.add(id); else next.delete(id); return next }
  const rows = (ids: number[]) => ids.map((id, i) => {
    const a = byId.get(id)!
    const prev = i > 0 ? byId.get(ids[i - 1]!) : undefined
    return [
      prev?.village !== a.village && <li key={`v-${a.village}`} class='alarm-village'><h2>{a.village}</h2></li>,
      <AlarmRow key={a.id} alarm={a} selected={selected.has(a.id)} onSelect={(on) => setSelected(toggle(selected, a.id, on))} onBusy={(on) => setTyping((s) => toggle(s, a.id, on))} />
    ]
  })
  return (
    <div>
      <h1>{t('alarms')} ({shown.length})</h1>
      <div class='filters'>
        <label>{t('severity')}
          <select value={severity} onChange={(e) => setSeverity(e.currentTarget.value as Severity | '')}>
            <option value=''>—</option>
            {SEVERITIES.map((s) => <option key={s} value={s}>{t(`s_${s}` as keyof Words)}</option>)}
          </select>
        </label>
        <label class='check'><input type='checkbox' checked={unacked} onChange={(e) => setUnacked(e.currentTarget.checked)} />{t('notAcknowledged')}</label>
        <label class='check'><input type='checkbox' checked={history} onChange={(e) => setHistory(e.currentTarget.checked)} />{t('alarmHistory')}</label>
        {shown.length > 1 && <button type='button' onClick={() => setSelected(new Set(shown.filter((a) => !a.acknowledged).map((a) => a.id)))}>{t('selectAllUnacked')}</button>}
      </div>
      {selected.size > 0 && <SelectionBar ids={[...selected].filter((id) => byId.has(id))} onDone={() => setSelected(new Set())} />}
      {shown.length === 0 ? <p class='ok-note'>✓ {t('noAlarms')}</p> : <ul class='alarm-list'>{rows(kept)}</ul>}
      {waiting.length > 0 && (
        <section class='waiting' aria-live='polite'>
          <h2>{waiting.length} {t('newWhileBusy')}</h2>
          <ul class='alarm-list'>{rows(waiting)}</ul>
        </section>
      )}
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
              <td>{alarmName(a)} — {subjectName(a)} <span class='small muted'>{facts(a)}</span></td>
              <td>{dateTime(a.startedAt)}</td>
              <td>{a.clearedAt ? `${dateTime(a.clearedAt)} (${a.clearedBy ?? t('system')})` : <strong>{t('stillActive')}</strong>}</td>
              <td>{a.acknowledged ? `✓ ${a.ackedBy ?? ''}` : '✕'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
