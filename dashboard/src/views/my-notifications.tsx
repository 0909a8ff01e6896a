// "Nhận thông báo": how this person wants to be told of alarms: by SMS and/or Zalo, from
// which severity, and quiet hours (critical alarms come through anyway).
import { useEffect, useState } from 'preact/hooks'
import { SEVERITIES, type Severity } from '../../../gateway/alarms/catalog.js'
import { api, type ApiError, get } from '../api.js'
import { t } from '../i18n.js'
import type { Words } from '../words.js'
import { errorText } from '../errors.js'

interface Prefs { phone: string | null; zaloUserId: string | null; channels: Array<'sms' | 'zalo'>; minSeverity: Severity; quietFrom: string | null; quietTo: string | null }

export function MyNotifications () {
  const [prefs, setPrefs] = useState<Prefs | null>(null)
  const [note, setNote] = useState<string | null>(null)
  useEffect(() => { get<Prefs>('/api/session/notifications').then(setPrefs, () => setPrefs(null)) }, [])
  if (!prefs) return null
  const change = (p: Partial<Prefs>) => setPrefs({ ...prefs, ...p })
  const toggle = (c: 'sms' | 'zalo', on: boolean) => change({ channels: on ? [...new Set([...prefs.channels, c])] : prefs.channels.filter((x) => x !== c) })
  const save = (e: Event) => {
    e.preventDefault()
    api<Prefs>('PUT', '/api/session/notifications', prefs).then((p) => { setPrefs(p); setNote(`✓ ${t('saved')}`) }, (err: ApiError) => setNote(`✕ ${errorText(err)}`))
  }
  const text = (v: string) => (v.trim() === '' ? null : v.trim())
  return (
    <form class='card form wide' onSubmit={save} aria-labelledby='my-notifications'>
      <h2 id='my-notifications'>{t('myNotifications')}</h2>
      <label>{t('phone')} <input inputMode='tel' value={prefs.phone ?? ''} onInput={(e) => change({ phone: text((e.currentTarget).value) })} /></label>
      <label>{t('zaloId')} <input inputMode='numeric' value={prefs.zaloUserId ?? ''} onInput={(e) => change({ zaloUserId: text((e.currentTarget).value) })} /></label>
      <label class='check'><input type='checkbox' checked={prefs.channels.includes('sms')} onChange={(e) => toggle('sms', (e.currentTarget).checked)} /> SMS</label>
      <label class='check'><input type='checkbox' checked={prefs.channels.includes('zalo')} onChange={(e) => toggle('zalo', (e.currentTarget).checked)} /> Zalo</label>
      <label>{t('minSeverity')}
        <select value={prefs.minSeverity} onChange={(e) => change({ minSeverity: (e.currentTarget).value as Severity })}>
          {SEVERITIES.map((s) => <option key={s} value={s}>{t(`s_${s}` as keyof Words)}</option>)}
        </select>
      </label>
      <label>{t('quietFrom')} <input type='time' value={prefs.quietFrom ?? ''} onInput={(e) => change({ quietFrom: text((e.currentTarget).value) })} /></label>
      <label>{t('quietTo')} <input type='time' value={prefs.quietTo ?? ''} onInput={(e) => change({ quietTo: text((e.currentTarget).value) })} /></label>
      <p class='muted small'>{t('quietNote')}</p>
      <button type='submit'>{t('save')}</button>
      {note && <p role='status'>{note}</p>}
    </form>
  )
}
