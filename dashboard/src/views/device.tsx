// One device: its latest values, history of any numeric field, outages with start and end,
// its events, and the commands the viewer's role may send.
import { useEffect, useState } from 'preact/hooks'
import { FIELDS, isNumeric, type FieldSpec } from '../../../gateway/contract/catalog.js'
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import type { Outage } from '../../../gateway/http/outages.js'
import type { StoredEvent } from '../../../gateway/store/telemetry-store.js'
import { api, type ApiError, get, useList } from '../api.js'
import { AttentionBadges, OnlineBadge } from '../components/badges.js'
import { HistoryChart } from '../components/history-chart.js'
import { ago, dateTime, duration, fieldName, fieldValue, kindName, language, num, t } from '../i18n.js'
import type { DeviceKind } from '../../../gateway/contract/kinds.js'
import { eventName } from '../../../gateway/contract/event-words.js'
import { useLive } from '../live.js'
import { eventRange, thresholdsOf } from './water.js'
import { kindHref } from '../kind-pages.js'
import { AlarmTable } from './alarms.js'
import type { Alarm } from '../../../gateway/alarms/catalog.js'
import { errorText } from '../errors.js'
import type { Role } from '../../../gateway/users/roles.js'
import { CameraPicturesPanel } from './pictures.js'

/** The list a device belongs to: where "back" goes when there is no page to go back to. */

/** The dashboard page shown before this one, if the visit began elsewhere in the dashboard. */
let previousPage: string | null = null
addEventListener('hashchange', (e) => { previousPage = new URL(e.oldURL).hash || null })

/**
 * Back to the dashboard page shown before, or to the device's list when the page was opened
 * on its own (a new tab, a shared link: the browser's history would leave the dashboard).
 * A handler, not a "javascript:" link: the gateway's content security policy blocks those
 * (issue #14).
 */
function back (event: MouseEvent): void {
  if (!previousPage || previousPage.startsWith('#/device/')) return
  event.preventDefault()
  location.hash = previousPage
}

export function DeviceDetail ({ id, role }: { id: string; role: Role }) {
  const [fetched, setFetched] = useState<DeviceView & { commands?: string[] } | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    get<DeviceView & { commands?: string[] }>(`/api/devices/${encodeURIComponent(id)}`).then(setFetched, (err: ApiError) => setError(err.status === 403 ? t('forbidden') : errorText(err)))
  }, [id])
  const live = useLive(...(fetched ? [fetched.kind] : []))
  if (error) return <p class='error' role='alert'>{error}</p>
  if (!fetched) return <p class='muted'>{t('loading')}</p>
  const d = live.device(id) ?? fetched
  const numeric = Object.entries(FIELDS[d.kind] as Record<string, FieldSpec>).filter(([, s]) => isNumeric(s)).map(([name]) => name)
  return (
    <div class='device'>
      <p><a class='back' href={kindHref(d.kind)} onClick={back}>← {t('back')}</a></p>
      <h1>{d.name}</h1>
      <p class='muted'>{kindName(d.kind)} · {d.id} · {d.village}{d.site ? ` · ${d.site}` : ''} · {t('firmware')}: {d.firmware ?? '—'}</p>
      <p><OnlineBadge device={d} /> <span class='muted'>{t('lastSeen')}: {ago(d.lastSeen)}</span> <AttentionBadges attention={d.attention} /></p>
      {d.kind === 'camera' && <CameraPicturesPanel id={d.id} role={role} />}
      <div class='two-col'>
        <section>
          <h2>{t('latestValues')}</h2>
          <table class='values'>
            <tbody>
              {Object.keys(FIELDS[d.kind]).map((field) => (
                <tr key={field}><th scope='row'>{fieldName(d.kind, field)}</th><td data-field={field}>{fieldValue(d.kind, field, d.latest[field]?.value)}</td><td class='muted small'>{d.latest[field] ? ago(d.latest[field].ts) : ''}</td></tr>
              ))}
            </tbody>
          </table>
          <Commands device={d} offered={fetched.commands ?? []} />
        </section>
        <section>
          <FieldChart device={d} fields={numeric} />
        </section>
      </div>
      <section>
        <h2>{t('alarmHistory')}</h2>
        <DeviceAlarms id={d.id} />
      </section>
      <Outages id={d.id} />
      <Events id={d.id} kind={d.kind} />
    </div>
  )
}

function FieldChart ({ device, fields }: { device: DeviceView; fields: string[] }) {
  const alarms = useLive('alarms').alarms
  const [field, setField] = useState(device.kind === 'water_sensor' ? 'levelM' : fields[0] ?? '')
  if (!field) return null
  return (
    <>
      <label>{t('field')}{' '}
        <select value={field} onChange={(e) => setField((e.currentTarget).value)}>
          {fields.map((f) => <option key={f} value={f}>{fieldName(device.kind, f)}</option>)}
        </select>
      </label>
      <HistoryChart key={field} deviceId={device.id} field={field} title={fieldName(device.kind, field)} thresholds={field === 'levelM' ? thresholdsOf(device) : []} initialRange={field === 'levelM' ? eventRange(device, alarms.values()) : '24h'} />
    </>
  )
}

function DeviceAlarms ({ id }: { id: string }) {
  const alarms = useList<Alarm>(`/api/devices/${encodeURIComponent(id)}/alarms?limit=50`)
  return alarms ? <AlarmTable alarms={alarms} /> : null
}

function Outages ({ id }: { id: string }) {
  const outages = useList<Outage>(`/api/devices/${encodeURIComponent(id)}/outages?limit=20`)
  return (
    <section>
      <h2>{t('outages')}</h2>
      {outages && outages.length === 0 && <p class='muted'>—</p>}
      {outages && outages.length > 0 && (
        <table class='list'>
          <thead><tr><th scope='col'>{t('start')}</th><th scope='col'>{t('end')}</th><th scope='col'>{t('durationWord')}</th></tr></thead>
          <tbody>{outages.map((o) => <tr key={o.start}><td>{dateTime(o.start)}</td><td>{o.end ? dateTime(o.end) : <strong>{t('ongoing')}</strong>}</td><td>{o.durationMs === null ? '—' : duration(o.durationMs)}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  )
}

function Events ({ id, kind }: { id: string; kind: DeviceKind }) {
  const events = useList<StoredEvent>(`/api/devices/${encodeURIComponent(id)}/events?limit=20`)
  return (
    <section>
      <h2>{t('events')}</h2>
      {events && events.length === 0 && <p class='muted'>—</p>}
      <ul class='events'>{events?.map((e) => <li key={`${e.ts}-${e.type}`}>{dateTime(e.ts)} · <strong title={e.type}>{eventName(kind, e.type, language())}</strong>{e.message ? ` — ${e.message}` : ''}</li>)}</ul>
    </section>
  )
}

/** Only the commands the device can receive (an RTSP/ONVIF-only camera has none: issue #15). */
function Commands ({ device, offered }: { device: DeviceView; offered: readonly string[] }) {
  const [note, setNote] = useState<string | null>(null)
  const [volume, setVolume] = useState(60)
  const send = (name: string, params: Record<string, unknown> = {}) => {
    api('POST', `/api/devices/${encodeURIComponent(device.id)}/commands`, { name, params })
      .then(() => setNote(`✓ ${t('sent')}`), (err: ApiError) => setNote(`✕ ${errorText(err)}`))
  }
  if (offered.length === 0) return null
  return (
    <div class='commands'>
      <h2>{t('commands')}</h2>
      {offered.includes('set_volume') && (
        <>
          <label>{t('volume')} {num(volume, 0)}%
            <input type='range' min={0} max={100} value={volume} onInput={(e) => setVolume(Number((e.currentTarget).value))} />
          </label>
          <button type='button' onClick={() => send('set_volume', { volume })}>{t('setVolume')}</button>
        </>
      )}
      {offered.includes('stop') && <button type='button' onClick={() => send('stop')}>{t('stop')}</button>}
      {offered.includes('snapshot') && <button type='button' onClick={() => send('snapshot')}>{t('takeSnapshot')}</button>}
      {offered.includes('reboot') && <button type='button' onClick={() => send('reboot')}>{t('reboot')}</button>}
      {note && <p role='status'>{note}</p>}
    </div>
  )
}
