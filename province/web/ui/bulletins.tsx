// The province's bulletins: compose (text the boxes speak, or a file), target all communes, a
// list or a river basin (and villages), approve or reject others', send an emergency at once;
// follow each one live per commune and village: clusters played in full, which did not and
// why, which communes have not answered or could not be warned. Never "played" unless every
// targeted cluster of every commune played it in full (the commune's own words).
import { useEffect, useState } from 'preact/hooks'
import { api, get, type ApiError } from '../../../dashboard/src/api.js'
import { dateTime, language } from '../../../dashboard/src/i18n.js'
import { DELIVERY_WORDS, OUTCOME_WORDS, reasonText } from '../../../gateway/broadcasts/outcome.js'
import type { DeliveryState } from '../../../gateway/broadcasts/store.js'
import type { BulletinView, CommuneProof } from '../../bulletins/view.js'
import type { CommuneRow } from '../queries.js'
import { w, type Word } from './words.js'

export interface Me { username: string; name: string; role: 'staff' | 'viewer'; department: string | null; mayApprove: boolean; mayRequestPictures: boolean }

const outcomeWord = (o: BulletinView['outcome']): string => OUTCOME_WORDS[o][language()]
const communeWord = (o: CommuneProof['outcome']): string => w(`co_${o}` as Word)

function Compose ({ me, onDone }: { me: Me; onDone: () => void }) {
  const [communes, setCommunes] = useState<CommuneRow[]>([])
  const [mode, setMode] = useState<'all' | 'list' | 'basin'>('list')
  const [picked, setPicked] = useState<string[]>([])
  const [priority, setPriority] = useState('routine')
  const [error, setError] = useState<string | null>(null)
  useEffect(() => { get<CommuneRow[]>('/api/communes').then(setCommunes, () => setCommunes([])) }, [])
  const basins = [...new Set(communes.map((c) => c.basin).filter((b): b is string => b !== null))]
  const send = async (form: HTMLFormElement, action: 'submit' | 'send'): Promise<void> => {
    const f = new FormData(form)
    const field = (name: string): string => { const v = f.get(name); return typeof v === 'string' ? v : '' }
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0]
    const text = field('text').trim()
    const villages: Record<string, string[]> = {}
    for (const code of mode === 'list' ? picked : []) {
      const v = field(`villages-${code}`).split(',').map((s) => s.trim()).filter(Boolean)
      if (v.length) villages[code] = v
    }
    const audio = file ? await api<{ sha256: string }>('POST', '/api/bulletins/audio', file) : null
    await api('POST', '/api/bulletins', {
      title: field('title'), priority, ...(audio ? { audioSha256: audio.sha256 } : { text }), ttlS: Number(field('ttlMin')) * 60, action,
      targets: mode === 'all' ? { all: true } : mode === 'basin' ? { basin: field('basin') } : { communes: picked, villages }
    })
    form.reset()
    setPicked([])
    onDone()
  }
  const submit = (e: Event, action: 'submit' | 'send'): void => {
    e.preventDefault()
    const form = (e.target as HTMLElement).closest('form')!
    send(form, action).then(() => setError(null), (err: ApiError) => setError(err.message))
  }
  return (
    <form class='card form compose wide compose-bulletin' onSubmit={(e) => submit(e, 'submit')}>
      <h2>{w('compose')}</h2>
      <label>{w('bTitle')} <input name='title' required maxLength={128} /></label>
      <label>{w('priority')} <select name='priority' value={priority} onChange={(e) => setPriority((e.target as HTMLSelectElement).value)}>
        {(['routine', 'priority', 'emergency'] as const).map((p) => <option key={p} value={p}>{w(`p_${p}`)}</option>)}
      </select></label>
      <label>{w('speechText')} <textarea name='text' rows={3} maxLength={3000} /></label>
      <label>{w('orFile')} <input name='file' type='file' accept='audio/mpeg,audio/wav' /></label>
      <fieldset>
        <legend>{w('targets')}</legend>
        {(['all', 'list', 'basin'] as const).map((m) => <label key={m} class='check'><input type='radio' style='min-height:auto' name='mode' checked={mode === m} onChange={() => setMode(m)} /> {w(`t_${m}`)}</label>)}
        {mode === 'basin' && <select name='basin'>{basins.map((b) => <option key={b} value={b}>{b}</option>)}</select>}
        {mode === 'list' && communes.map((c) => (
          <div key={c.code} class='target-commune'>
            <label class='check'><input
              type='checkbox'
              name='commune'
              value={c.code}
              checked={picked.includes(c.code)}
              onChange={(e) => setPicked((e.target as HTMLInputElement).checked ? [...picked, c.code] : picked.filter((x) => x !== c.code))} /> {c.name}</label>
            {picked.includes(c.code) && <input name={`villages-${c.code}`} placeholder={w('villagesHint')} aria-label={`${w('village')} ${c.name}`} />}
          </div>
        ))}
      </fieldset>
      <label>{w('ttlMin')} <input name='ttlMin' type='number' min={1} max={10080} value={60} /></label>
      {error && <p class='error' role='alert'>{error}</p>}
      <div class='alarm-actions'>
        <button type='submit'>{w('submitForApproval')}</button>
        {priority === 'emergency' && me.mayApprove && <button type='button' class='danger' onClick={(e) => submit(e, 'send')}>{w('sendNow')}</button>}
      </div>
    </form>
  )
}

function CommuneLine ({ c }: { c: CommuneProof }) {
  const ok = c.outcome === 'played'
  return (
    <tbody data-commune={c.commune} data-outcome={c.outcome}>
      <tr>
        <th scope='row'>{c.name}</th>
        <td class={ok ? 'ok-note' : c.outcome === 'waiting' || c.outcome === 'airing' ? '' : 'bad-text'}>{communeWord(c.outcome)}</td>
        <td>{c.done}/{c.targeted}</td>
        <td class='small'>{c.reason ?? c.publishError ?? ''}</td>
      </tr>
      {c.villages.map((v) => (
        <tr key={v.village} data-village={v.village}>
          <td>↳ {v.village}</td><td>{v.done === v.targeted ? `✓ ${w('playedInFull')}` : ''}</td><td>{v.done}/{v.targeted}</td>
          <td class='small'>{v.missed.map((m) => `✕ ${m.name ?? m.deviceId}: ${DELIVERY_WORDS[m.state as DeliveryState][language()]} — ${reasonText(m.state as DeliveryState, m.reason, language())}`).join('; ')}</td>
        </tr>
      ))}
    </tbody>
  )
}

function Bulletin ({ me, b, onChange }: { me: Me; b: BulletinView; onChange: () => void }) {
  const [error, setError] = useState<string | null>(null)
  const act = (action: 'approve' | 'reject', comment?: string): void => {
    api('POST', `/api/bulletins/${b.id}/${action}`, { comment }).then(() => { setError(null); onChange() }, (err: ApiError) => setError(err.message))
  }
  const reviewing = b.status === 'pending' && me.mayApprove && b.createdBy !== me.username
  return (
    <li class={`card ${b.priority === 'emergency' ? 'sev-line-critical' : ''}`} data-bulletin={b.id}>
      <div><strong>{w(`p_${b.priority}` as Word)}</strong> — <strong>{b.title}</strong>{' '}
        {b.status === 'sent' ? <span class={`badge ${b.outcome === 'played' ? 'ok' : b.outcome === 'airing' ? '' : 'bad'}`} data-outcome={b.outcome}>{outcomeWord(b.outcome)} · {b.counts.done}/{b.counts.clusters} {w('clusters')}</span>
          : <span class='badge' data-status={b.status}>{w(`st_${b.status}` as Word)}</span>}
        {b.origin === 'flood' && <span class='badge bad'> {w('autoFlood')}</span>}
      </div>
      <div class='small muted'>{w('author')}: {b.createdBy} · {dateTime(b.createdAt)}{b.approvedBy && <> · {w('approver')}: {b.approvedBy}</>}{b.decisionComment && <> · “{b.decisionComment}”</>}</div>
      {b.text && <p class='small'>“{b.text}”</p>}
      {b.status === 'sent' && <p class='small'>{w('answered')}: {b.counts.answered}/{b.counts.communes} · {w('notWarned')}: {b.counts.notWarned}</p>}
      {b.communes.length > 0 && (
        <table class='bulletin-proof'>
          <thead><tr><th>{w('communes')}</th><th>{w('status')}</th><th>{w('clusters')}</th><th>{w('why')}</th></tr></thead>
          {b.communes.map((c) => <CommuneLine key={c.commune} c={c} />)}
        </table>
      )}
      {reviewing && (
        <div class='alarm-actions'>
          <button type='button' onClick={() => act('approve')}>{w('approve')}</button>
          <button type='button' onClick={() => { const why = prompt(w('rejectWhy')); if (why) act('reject', why) }}>{w('reject')}</button>
        </div>
      )}
      {error && <p class='error' role='alert'>{error}</p>}
    </li>
  )
}

export function Bulletins ({ me }: { me: Me }) {
  const [list, setList] = useState<BulletinView[] | null>(null)
  const load = (): void => { get<BulletinView[]>('/api/bulletins').then(setList, () => setList([])) }
  useEffect(() => { load(); const t = setInterval(load, 2000); return () => clearInterval(t) }, [])
  return (
    <section>
      <h1>{w('bulletins')}</h1>
      {me.role === 'staff' && <Compose me={me} onDone={load} />}
      {!list ? <p class='muted'>{w('loading')}</p> : list.length === 0 ? <p class='muted'>{w('none')}</p>
        : <ul class='bulletins'>{list.map((b) => <Bulletin key={b.id} me={me} b={b} onChange={load} />)}</ul>}
    </section>
  )
}
