// The admin's account page (issue #15 point 7): add an account, reset a password (a
// temporary one made by the gateway and shown once, or one typed that passes the strength
// rule), change a role, switch an account off or on, remove it. One's own account cannot be
// removed, demoted or switched off from here (the gateway refuses it too), and the last admin
// never can; one's own password is changed by signing in again, not reset from the list. The person's open sessions end on any of these changes.
import { useEffect, useState } from 'preact/hooks'
import { ROLES, type Role } from '../../../gateway/users/roles.js'
import type { User } from '../../../gateway/users/users.js'
import { api, type ApiError, get } from '../api.js'
import { errorText } from '../errors.js'
import { roleName, t } from '../i18n.js'

interface Shown { username: string; password: string | null }

export function UsersView ({ me }: { me: string }) {
  const [users, setUsers] = useState<User[]>([])
  const [shown, setShown] = useState<Shown | null>(null)
  const [resetting, setResetting] = useState<number | null>(null)
  const [removing, setRemoving] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const failed = (err: ApiError) => setError(errorText(err))
  const reload = () => { get<User[]>('/api/users').then(setUsers, failed) }
  useEffect(reload, [])
  const patch = (u: User, change: Partial<User>) => { api('PATCH', `/api/users/${u.id}`, change).then(() => { setError(null); reload() }, failed) }
  const remove = (u: User) => { api('DELETE', `/api/users/${u.id}`).then(() => { setRemoving(null); setError(null); reload() }, failed) }
  return (
    <div>
      <h1>{t('users')}</h1>
      {shown && (
        <div class='card secret-once' role='status'>
          <p>{t('passwordReset')} <strong>{shown.username}</strong>. {t('mustChangeNext')}</p>
          {shown.password && <p>{t('oneTimePassword')}: <code class='secret'>{shown.password}</code></p>}
          <button type='button' onClick={() => setShown(null)}>{t('secretNoted')}</button>
        </div>
      )}
      {error && <p class='error' role='alert'>{error}</p>}
      <ul class='admin-list'>
        {users.map((u) => {
          const self = u.username === me
          return (
            <li key={u.id} data-user={u.username}>
              <div class='admin-row'>
                <div class='grow'>
                  <strong>{u.displayName}</strong> <span class='muted small'>{u.username}{self ? ` (${t('you')})` : ''}</span>
                  {u.role === 'official' && (
                    <label class='check small'><input type='checkbox' checked={u.mayApprove} onChange={() => patch(u, { mayApprove: !u.mayApprove })} /> {t('mayApprove')}</label>
                  )}
                </div>
                <label class='small'>{t('changeRole')}{' '}
                  <select name='role' value={u.role} disabled={self} onChange={(e) => patch(u, { role: (e.currentTarget).value as Role })}>
                    {ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
                  </select>
                </label>
                <span class={`badge ${u.enabled ? 'ok' : 'muted'}`}>{u.enabled ? t('active') : t('disabled')}</span>
                <div class='row-actions'>
                  {!self && <button type='button' onClick={() => setResetting(resetting === u.id ? null : u.id)}>{t('resetPassword')}</button>}
                  {!self && <button type='button' onClick={() => patch(u, { enabled: !u.enabled })}>{u.enabled ? t('disable') : t('enable')}</button>}
                  {!self && (removing === u.id
                    ? <button type='button' class='danger' onClick={() => remove(u)}>{t('confirmRemove')}</button>
                    : <button type='button' onClick={() => setRemoving(u.id)}>{t('remove')}</button>)}
                </div>
              </div>
              {resetting === u.id && <ResetPassword user={u} onDone={(s) => { setResetting(null); setShown(s); setError(null) }} />}
            </li>
          )
        })}
      </ul>
      <AddUser onAdded={(s) => { setShown(s); reload() }} />
    </div>
  )
}

function ResetPassword ({ user, onDone }: { user: User; onDone: (shown: Shown) => void }) {
  const [typed, setTyped] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (e: Event) => {
    e.preventDefault()
    api<{ username: string; oneTimePassword?: string }>('POST', `/api/users/${user.id}/password`, typed ? { password: typed } : {})
      .then((r) => onDone({ username: r.username, password: r.oneTimePassword ?? null }), (err: ApiError) => setError(errorText(err)))
  }
  return (
    <form class='form wide' onSubmit={submit} aria-label={t('resetPassword')}>
      <label>{t('typedPassword')} <input name='typedPassword' type='password' autocomplete='new-password' minLength={10} value={typed} onInput={(e) => setTyped((e.currentTarget).value)} /></label>
      {error && <p class='error' role='alert'>{error}</p>}
      <button type='submit'>{t('resetPassword')}</button>
    </form>
  )
}

function AddUser ({ onAdded }: { onAdded: (shown: Shown) => void }) {
  const [form, setForm] = useState({ username: '', displayName: '', role: 'operator' as Role })
  const [error, setError] = useState<string | null>(null)
  const add = (e: Event) => {
    e.preventDefault()
    api<User & { oneTimePassword: string }>('POST', '/api/users', form).then((u) => {
      setError(null); setForm({ username: '', displayName: '', role: 'operator' }); onAdded({ username: u.username, password: u.oneTimePassword })
    }, (err: ApiError) => setError(errorText(err)))
  }
  return (
    <form class='card form' onSubmit={add}>
      <h2>{t('addUser')}</h2>
      <label>{t('username')} <input required value={form.username} onInput={(e) => setForm({ ...form, username: (e.currentTarget).value })} /></label>
      <label>{t('fullName')} <input required value={form.displayName} onInput={(e) => setForm({ ...form, displayName: (e.currentTarget).value })} /></label>
      <label>{t('role')}
        <select value={form.role} onChange={(e) => setForm({ ...form, role: (e.currentTarget).value as Role })}>
          {ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
        </select>
      </label>
      {error && <p class='error' role='alert'>{error}</p>}
      <button type='submit'>{t('addUser')}</button>
    </form>
  )
}
