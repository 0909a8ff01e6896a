// The admin's integration tokens (issue #22): make one with its grants, kinds, expiry and note
// (its secret shown once, here), see each one's last use, revoke it.
import { useEffect, useState } from 'preact/hooks'
import { DEVICE_KINDS } from '../../../gateway/contract/catalog.js'
import type { DeviceKind } from '../../../gateway/contract/kinds.js'
import type { ApiToken, Grant } from '../../../gateway/users/api-tokens.js'
import { api, type ApiError, get } from '../api.js'
import { errorText } from '../errors.js'
import { dateTime, kindName, t } from '../i18n.js'

const GRANT_LIST: Grant[] = ['devices.read', 'alarms.read', 'alarms.acknowledge', 'broadcasts.send']
const GRANT_WORDS = { 'devices.read': 'grantDevicesRead', 'alarms.read': 'grantAlarmsRead', 'alarms.acknowledge': 'grantAlarmsAcknowledge', 'broadcasts.send': 'grantBroadcastsSend' } as const

const toggle = <T,>(list: T[], item: T): T[] => list.includes(item) ? list.filter((x) => x !== item) : [...list, item]

export function TokensView () {
  const [tokens, setTokens] = useState<ApiToken[]>([])
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [form, setForm] = useState({ name: '', grants: ['devices.read'] as Grant[], kinds: ['water_sensor'] as DeviceKind[], expiresInDays: 365, note: '' })
  const reload = () => { get<ApiToken[]>('/api/tokens').then(setTokens, (err: ApiError) => setError(errorText(err))) }
  useEffect(reload, [])
  const add = (e: Event) => {
    e.preventDefault()
    api<{ token: ApiToken; secret: string }>('POST', '/api/tokens', form)
      .then((made) => { setSecret({ name: made.token.name, secret: made.secret }); setError(null); reload() }, (err: ApiError) => setError(errorText(err)))
  }
  const revoke = (token: ApiToken) => { api('DELETE', `/api/tokens/${token.id}`).then(reload, (err: ApiError) => setError(errorText(err))) }
  return (
    <div>
      <h1>{t('tokens')}</h1>
      <p class='muted'>{t('tokensHint')}</p>
      {error && <p class='error' role='alert'>{error}</p>}
      <div class='table-wrap'>
        <table class='list'>
          <thead><tr><th scope='col'>{t('name')}</th><th scope='col'>{t('grants')}</th><th scope='col'>{t('expires')}</th><th scope='col'>{t('lastUsed')}</th><th scope='col'>{t('state')}</th><th /></tr></thead>
          <tbody>
            {tokens.map((x) => (
              <tr key={x.id}>
                <td>{x.name}{x.note && <div class='muted small'>{x.note}</div>}</td>
                <td class='small'>{x.grants.map((g) => t(GRANT_WORDS[g])).join(', ')}{x.kinds.length > 0 && <div class='muted'>{x.kinds.map(kindName).join(', ')}</div>}</td>
                <td>{dateTime(x.expiresAt)}</td>
                <td>{x.lastUsedAt === null ? '—' : `${dateTime(x.lastUsedAt)} · ${x.lastUsedAddress ?? ''}`}</td>
                <td>{x.revokedAt !== null ? `⊘ ${t('revoked')}` : x.expiresAt <= Date.now() ? t('expired') : `✓ ${t('active')}`}</td>
                <td>{x.revokedAt === null && <button type='button' onClick={() => revoke(x)}>{t('revoke')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class='card form' onSubmit={add}>
        <h2>{t('addToken')}</h2>
        <label>{t('name')} <input required pattern='[a-z0-9][a-z0-9._\-]{1,39}' value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></label>
        <fieldset><legend>{t('grants')}</legend>
          {GRANT_LIST.map((g) => <label key={g} class='check'><input type='checkbox' checked={form.grants.includes(g)} onChange={() => setForm({ ...form, grants: toggle(form.grants, g) })} /> {t(GRANT_WORDS[g])}</label>)}
        </fieldset>
        <fieldset><legend>{t('deviceKinds')}</legend>
          {DEVICE_KINDS.map((k) => <label key={k} class='check'><input type='checkbox' checked={form.kinds.includes(k)} onChange={() => setForm({ ...form, kinds: toggle(form.kinds, k) })} /> {kindName(k)}</label>)}
        </fieldset>
        <label>{t('expiresInDays')} <input type='number' min={1} max={730} value={form.expiresInDays} onInput={(e) => setForm({ ...form, expiresInDays: Number(e.currentTarget.value) })} /></label>
        <label>{t('note')} <input value={form.note} maxLength={500} onInput={(e) => setForm({ ...form, note: e.currentTarget.value })} /></label>
        <button type='submit'>{t('addToken')}</button>
        {secret && <p role='status'>{t('tokenOnce')}: <strong>{secret.name}</strong> <code>{secret.secret}</code></p>}
      </form>
    </div>
  )
}
