// The admin's pages: the audit log (who did what, when, from where) and the accounts.
import { useEffect, useState } from 'preact/hooks'
import type { AuditEntry } from '../../../gateway/users/audit.js'
import { ROLES, type Role } from '../../../gateway/users/roles.js'
import type { User } from '../../../gateway/users/users.js'
import { api, type ApiError, get } from '../api.js'
import { AUDIT_ACTIONS, DETAIL_VALUES, DETAIL_WORDS } from '../../../gateway/users/audit-words.js'
import { actorName, dateTime, language, roleName, t } from '../i18n.js'
import { errorText } from '../errors.js'

const actionName = (action: string): string => (AUDIT_ACTIONS as Record<string, { vi: string; en: string } | undefined>)[action]?.[language()] ?? action

/** An action's details as "ghi chú: …; qua: shell", not raw JSON. */
function Details ({ details }: { details: unknown }) {
  if (details === null || details === undefined) return null
  if (typeof details !== 'object') return <>{detailValue(details)}</>
  return <>{Object.entries(details).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `${DETAIL_WORDS[k]?.[language()] ?? k}: ${(typeof v === 'string' ? DETAIL_VALUES[k]?.[v]?.[language()] : undefined) ?? detailValue(v)}`).join('; ')}</>
}

function detailValue (v: unknown): string {
  if (typeof v === 'boolean') return v ? t('yes') : t('no')
  if (v === 'shell') return t('shell')
  if (typeof v === 'string' || typeof v === 'number') return String(v)
  if (Array.isArray(v)) return v.map(detailValue).join(', ')
  return typeof v === 'object' && v !== null ? Object.values(v).map(detailValue).join(' ') : ''
}

export function AuditView () {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null)
  const [actor, setActor] = useState('')
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const query = actor ? `?actor=${encodeURIComponent(actor)}` : ''
    get<AuditEntry[]>(`/api/audit${query}`).then(setEntries, (err: ApiError) => setError(errorText(err)))
  }, [actor])
  return (
    <div>
      <h1>{t('audit')}</h1>
      <div class='filters'><label>{t('who')} <input type='search' value={actor} onChange={(e) => setActor((e.currentTarget).value.trim())} /></label></div>
      {error && <p class='error' role='alert'>{error}</p>}
      <div class='table-wrap'>
        <table class='list'>
          <thead><tr><th scope='col'>{t('when')}</th><th scope='col'>{t('who')}</th><th scope='col'>{t('action')}</th><th scope='col'>{t('target')}</th><th scope='col'>{t('address')}</th><th scope='col'>{t('details')}</th></tr></thead>
          <tbody>
            {entries?.map((e) => (
              <tr key={e.id}>
                <td>{dateTime(e.at)}</td><td>{actorName(e.actor)}{e.role ? <span class='muted small'> ({roleName(e.role)})</span> : null}</td>
                <td title={e.action}>{actionName(e.action)}</td><td>{e.target ?? '—'}</td><td>{e.address ?? '—'}</td>
                <td class='small'><Details details={e.details} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

export function UsersView () {
  const [users, setUsers] = useState<User[]>([])
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [form, setForm] = useState({ username: '', displayName: '', role: 'operator' as Role })
  const reload = () => { get<User[]>('/api/users').then(setUsers, (err: ApiError) => setError(errorText(err))) }
  useEffect(reload, [])
  const add = (e: Event) => {
    e.preventDefault()
    api<User & { oneTimePassword: string }>('POST', '/api/users', form)
      .then((u) => { setCreated({ username: u.username, password: u.oneTimePassword }); setError(null); reload() }, (err: ApiError) => setError(errorText(err)))
  }
  const patch = (u: User, change: Partial<User>) => { api('PATCH', `/api/users/${u.id}`, change).then(reload, (err: ApiError) => setError(errorText(err))) }
  return (
    <div>
      <h1>{t('users')}</h1>
      {error && <p class='error' role='alert'>{error}</p>}
      <table class='list'>
        <thead><tr><th scope='col'>{t('username')}</th><th scope='col'>{t('fullName')}</th><th scope='col'>{t('role')}</th><th scope='col'>{t('state')}</th><th /></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td><td>{u.displayName}</td>
              <td>{roleName(u.role)}{u.role === 'official' && (
                <label class='check small'><input type='checkbox' checked={u.mayApprove} onChange={() => patch(u, { mayApprove: !u.mayApprove })} /> {t('mayApprove')}</label>
              )}</td>
              <td>{u.enabled ? `✓ ${t('active')}` : `⊘ ${t('disabled')}`}</td>
              <td><button type='button' onClick={() => patch(u, { enabled: !u.enabled })}>{u.enabled ? t('disable') : t('enable')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class='card form' onSubmit={add}>
        <h2>{t('addUser')}</h2>
        <label>{t('username')} <input required value={form.username} onInput={(e) => setForm({ ...form, username: (e.currentTarget).value })} /></label>
        <label>{t('fullName')} <input required value={form.displayName} onInput={(e) => setForm({ ...form, displayName: (e.currentTarget).value })} /></label>
        <label>{t('role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: (e.currentTarget).value as Role })}>
            {ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
          </select>
        </label>
        <button type='submit'>{t('addUser')}</button>
        {created && <p role='status'>{t('oneTimePassword')}: <strong>{created.username}</strong> / <code>{created.password}</code></p>}
      </form>
    </div>
  )
}
