// One camera's picture, asked for by the province (issue #20): staff whose account may ask name
// one camera of one commune and a reason; the list shows their own requests, and a picture is
// loaded only when they open it (each view audited at the province, never cached).
import { useEffect, useState } from 'preact/hooks'
import { api, get, type ApiError } from '../../../dashboard/src/api.js'
import { dateTime } from '../../../dashboard/src/i18n.js'
import type { PictureRequest } from '../../pictures/requests.js'
import type { CommuneRow } from '../queries.js'
import { useCommuneDevices } from './devices.js'
import { w, type Word } from './words.js'

function Ask ({ onDone }: { onDone: () => void }) {
  const [communes, setCommunes] = useState<CommuneRow[]>([])
  const [commune, setCommune] = useState('')
  const cameras = useCommuneDevices(commune, 'camera')
  const [error, setError] = useState<string | null>(null)
  useEffect(() => { get<CommuneRow[]>('/api/communes').then(setCommunes, () => setCommunes([])) }, [])
  const submit = (e: Event): void => {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    const f = new FormData(form)
    api('POST', '/api/pictures', { commune, cameraId: f.get('cameraId'), reason: f.get('reason') })
      .then(() => { form.reset(); setError(null); onDone() }, (err: ApiError) => setError(err.message))
  }
  return (
    <form class='card form ask-picture' onSubmit={submit}>
      <h2>{w('askPicture')}</h2>
      <p class='muted'>{w('picturePrivacy')}</p>
      <label>{w('communes')} <select name='commune' required value={commune} onChange={(e) => setCommune((e.target as HTMLSelectElement).value)}>
        <option value=''>—</option>
        {communes.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
      </select></label>
      <label>{w('camera')} <select name='cameraId' required>
        {cameras.map((c) => <option key={c.id} value={c.id}>{c.name ?? c.id}{c.village ? ` (${c.village})` : ''}</option>)}
      </select></label>
      <label>{w('pictureReason')} <input name='reason' required minLength={3} maxLength={500} /></label>
      {error && <p class='error' role='alert'>{error}</p>}
      <button type='submit'>{w('askPicture')}</button>
    </form>
  )
}

export function Pictures ({ mayAsk }: { mayAsk: boolean }) {
  const [rows, setRows] = useState<PictureRequest[] | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const load = (): void => { get<PictureRequest[]>('/api/pictures').then(setRows, () => setRows([])) }
  useEffect(() => { load(); const timer = setInterval(load, 2000); return () => clearInterval(timer) }, [])
  return (
    <section>
      <h1>{w('pictures')}</h1>
      {mayAsk && <Ask onDone={load} />}
      <table class='pictures'>
        <thead><tr><th scope='col'>{w('time')}</th><th scope='col'>{w('communes')}</th><th scope='col'>{w('camera')}</th><th scope='col'>{w('pictureReason')}</th><th scope='col'>{w('status')}</th><th scope='col'>{w('picture')}</th></tr></thead>
        <tbody>{(rows ?? []).map((r) => (
          <tr key={r.id} data-request={r.id}>
            <td>{dateTime(r.requestedAt)}</td><td>{r.commune}</td><td>{r.cameraId}</td><td>{r.reason}</td>
            <td>{w(`ps_${r.status}` as Word)}{r.answer ? `: ${r.answer}` : ''}</td>
            <td>{r.status === 'received' && !r.pruned
              ? (open === r.id
                ? <figure><img src={`/api/pictures/${r.id}/image`} alt={`${r.cameraId} ${dateTime(r.takenAt)}`} width={480} /><figcaption>{w('takenAt')} {dateTime(r.takenAt)}</figcaption></figure>
                : <button type='button' onClick={() => setOpen(r.id)}>{w('showPicture')}</button>)
              : r.pruned ? w('picturePruned') : '—'}</td>
          </tr>
        ))}</tbody>
      </table>
    </section>
  )
}
