// The basin map (issue #19), maintained by the province's staff on this page: for each
// reservoir or river station of a commune, the villages downstream with their communes. When
// a station rises above báo động III the province warns the villages of the other communes
// listed here; every change is pushed to the boxes at once (PUT/DELETE /api/basin-stations).
import { useEffect, useState } from 'preact/hooks'
import { api, get, type ApiError } from '../../../dashboard/src/api.js'
import type { BasinStation } from '../../bulletins/flood.js'
import type { CommuneRow } from '../queries.js'
import type { Me } from './bulletins.js'
import { useCommuneDevices } from './devices.js'
import { w } from './words.js'

const villagesOf = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean)

function StationForm ({ communes, editing, onDone }: { communes: CommuneRow[]; editing: BasinStation | null; onDone: () => void }) {
  const [commune, setCommune] = useState(editing?.commune ?? '')
  const stations = useCommuneDevices(commune, 'water_sensor')
  const [error, setError] = useState<string | null>(null)
  const submit = (e: Event): void => {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    const f = new FormData(form)
    const field = (name: string): string => { const v = f.get(name); return typeof v === 'string' ? v.trim() : '' }
    const downstream = communes.map((c) => ({ commune: c.code, villages: villagesOf(field(`down-${c.code}`)) })).filter((d) => d.villages.length > 0)
    if (!downstream.some((d) => d.commune !== commune)) { setError(w('noDownstream')); return }
    api('PUT', '/api/basin-stations', { commune, stationId: field('stationId'), name: field('name'), reservoir: field('reservoir') || null, basin: field('basin') || null, downstream })
      .then(() => { form.reset(); setError(null); onDone() }, (err: ApiError) => setError(err.message))
  }
  const down = (code: string): string => editing?.downstream.find((d) => d.commune === code)?.villages.join(', ') ?? ''
  return (
    <form class='card form compose wide basin-station' onSubmit={submit}>
      <h2>{editing ? `${w('editStation')}: ${editing.name}` : w('addStation')}</h2>
      <p class='muted'>{w('basinNote')}</p>
      <label>{w('communes')} <select name='commune' required value={commune} disabled={editing !== null} onChange={(e) => setCommune((e.target as HTMLSelectElement).value)}>
        <option value=''>—</option>
        {communes.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
      </select></label>
      <label>{w('stationId')} <input name='stationId' required list='basin-station-ids' readOnly={editing !== null} defaultValue={editing?.stationId ?? ''} /></label>
      <datalist id='basin-station-ids'>{stations.map((s) => <option key={s.id} value={s.id}>{s.name ?? s.id}{s.village ? ` (${s.village})` : ''}</option>)}</datalist>
      <label>{w('stationName')} <input name='name' required maxLength={120} defaultValue={editing?.name ?? ''} /></label>
      <label>{w('reservoir')} <input name='reservoir' maxLength={120} defaultValue={editing?.reservoir ?? ''} /></label>
      <label>{w('basin')} <input name='basin' maxLength={120} defaultValue={editing?.basin ?? ''} /></label>
      <fieldset>
        <legend>{w('downstream')}</legend>
        {communes.map((c) => <label key={c.code}>{c.name} <input name={`down-${c.code}`} placeholder={w('downstreamHint')} defaultValue={down(c.code)} /></label>)}
      </fieldset>
      {error && <p class='error' role='alert'>{error}</p>}
      <button type='submit'>{w('saveStation')}</button>
    </form>
  )
}

export function Basin ({ me }: { me: Me }) {
  const [map, setMap] = useState<BasinStation[] | null>(null)
  const [communes, setCommunes] = useState<CommuneRow[]>([])
  const [editing, setEditing] = useState<BasinStation | null>(null)
  const [removing, setRemoving] = useState<string | null>(null)
  const load = (): void => { get<BasinStation[]>('/api/basin-stations').then(setMap, () => setMap([])) }
  useEffect(() => { load(); get<CommuneRow[]>('/api/communes').then(setCommunes, () => setCommunes([])) }, [])
  const name = (code: string): string => communes.find((c) => c.code === code)?.name ?? code
  const remove = (s: BasinStation): void => {
    void api('DELETE', `/api/basin-stations/${s.commune}/${encodeURIComponent(s.stationId)}`).then(() => { setRemoving(null); load() })
  }
  return (
    <section>
      <h1>{w('basinMap')}</h1>
      {me.role === 'staff' && <StationForm key={editing ? `${editing.commune}/${editing.stationId}` : 'new'} communes={communes} editing={editing} onDone={() => { setEditing(null); load() }} />}
      <table class='basin-map'>
        <thead><tr><th scope='col'>{w('communes')}</th><th scope='col'>{w('stationName')}</th><th scope='col'>{w('reservoir')}</th><th scope='col'>{w('basin')}</th><th scope='col'>{w('downstream')}</th><th /></tr></thead>
        <tbody>{(map ?? []).map((s) => {
          const key = `${s.commune}/${s.stationId}`
          return (
            <tr key={key} data-station={key}>
              <td>{name(s.commune)}</td><td>{s.name} <span class='muted small'>{s.stationId}</span></td><td>{s.reservoir ?? '—'}</td><td>{s.basin ?? '—'}</td>
              <td>{s.downstream.map((d) => `${name(d.commune)}: ${d.villages.join(', ')}`).join('; ')}</td>
              <td>{me.role === 'staff' && (removing === key
                ? <button type='button' class='danger' onClick={() => remove(s)}>{w('confirmRemove')}</button>
                : <><button type='button' onClick={() => setEditing(s)}>{w('edit')}</button> <button type='button' onClick={() => setRemoving(key)}>{w('remove')}</button></>)}</td>
            </tr>
          )
        })}</tbody>
      </table>
      {map?.length === 0 && <p class='muted'>{w('none')}</p>}
    </section>
  )
}
