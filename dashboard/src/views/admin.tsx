// The admin's audit log: who did what, when, from where, in words (accounts: admin-accounts.tsx).
import { useEffect, useState } from 'preact/hooks'
import type { AuditEntry } from '../../../gateway/users/audit.js'
import { type ApiError, get } from '../api.js'
import { AUDIT_ACTIONS, DETAIL_VALUES, DETAIL_WORDS } from '../../../gateway/users/audit-words.js'
import { actorName, dateTime, kindName, language, roleName, t } from '../i18n.js'
import { KIND_NAMES } from '../../../gateway/contract/catalog.js'
import type { DeviceKind } from '../../../gateway/contract/kinds.js'
import { ROLE_NAMES, type Role } from '../../../gateway/users/roles.js'
import { errorText } from '../errors.js'

const actionName = (action: string): string => (AUDIT_ACTIONS as Record<string, { vi: string; en: string } | undefined>)[action]?.[language()] ?? action

/** An action's details as "ghi chú: …; qua: shell", not raw JSON. */
function Details ({ details }: { details: unknown }) {
  if (details === null || details === undefined) return null
  if (typeof details !== 'object') return <>{detailValue(details)}</>
  return <>{Object.entries(details).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `${DETAIL_WORDS[k]?.[language()] ?? k}: ${keyedValue(k, v)}`).join('; ')}</>
}

/** A device kind, a role or a coded outcome in words ("Camera an ninh trật tự", "Công an xã"), not its code. */
function keyedValue (key: string, v: unknown): string {
  if (key === 'kind' && typeof v === 'string' && v in KIND_NAMES) return kindName(v as DeviceKind)
  if (key === 'role' && typeof v === 'string' && v in ROLE_NAMES) return roleName(v as Role)
  if (typeof v === 'string' && DETAIL_VALUES[key]?.[v]) return DETAIL_VALUES[key][v][language()]
  return detailValue(v)
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
