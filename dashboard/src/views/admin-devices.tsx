// The admin's device page (issue #15 point 7): add a device (its secret made by the gateway
// and shown here once), edit its name, village and position (thresholds stay as they are),
// disable or enable it, give it a new secret, remove it. Villages come from the registry's
// list (VillagePicker). Every action goes through the gateway's API and its audit log.
import { useEffect, useState } from 'preact/hooks'
import { DEVICE_KINDS, ID_PREFIX as PREFIX } from '../../../gateway/contract/catalog.js'
import type { DeviceKind } from '../../../gateway/contract/kinds.js'
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import type { DeviceWithSecret } from '../../../gateway/registry/device.js'
import { api, type ApiError, get } from '../api.js'
import { errorText } from '../errors.js'
import { kindName, t } from '../i18n.js'
import { NO_VILLAGE, VillagePicker, villageReady, type VillageChoice } from './village-picker.js'

/** A refusal in the reader's language; a misspelled village names the close matches. */
export function refusalText (err: unknown): string {
  const details = (err as ApiError | null)?.details as { closeMatches?: string[] } | undefined
  if (details?.closeMatches) return `${t('unknownVillage')}${details.closeMatches.length > 0 ? ` ${t('didYouMean')}: ${details.closeMatches.join(', ')}.` : ''}`
  return errorText(err)
}

interface Place { name: string; site: string; lat: string; lon: string }
const placeOf = (d?: DeviceView): Place => ({ name: d?.name ?? '', site: d?.site ?? '', lat: d?.lat?.toString() ?? '', lon: d?.lon?.toString() ?? '' })
/** The fields as the API takes them: empty site and position are none. */
const placeBody = (p: Place, v: VillageChoice, editing: boolean) => ({
  name: p.name.trim(), village: v.village.trim(), ...(v.isNew ? { newVillage: true } : {}),
  ...(p.site.trim() ? { site: p.site.trim() } : editing ? { site: null } : {}),
  ...(p.lat && p.lon ? { lat: Number(p.lat), lon: Number(p.lon) } : editing ? { lat: null, lon: null } : {})
})

function PlaceFields ({ place, onChange }: { place: Place; onChange: (p: Place) => void }) {
  return (
    <>
      <label>{t('name')} <input name='name' required maxLength={120} value={place.name} onInput={(e) => onChange({ ...place, name: (e.currentTarget).value })} /></label>
      <label>{t('site')} <input name='site' maxLength={120} value={place.site} onInput={(e) => onChange({ ...place, site: (e.currentTarget).value })} /></label>
      <div class='pair'>
        <label>{t('latitude')} <input name='lat' type='number' step='any' min={-90} max={90} value={place.lat} onInput={(e) => onChange({ ...place, lat: (e.currentTarget).value })} /></label>
        <label>{t('longitude')} <input name='lon' type='number' step='any' min={-180} max={180} value={place.lon} onInput={(e) => onChange({ ...place, lon: (e.currentTarget).value })} /></label>
      </div>
    </>
  )
}

/** The secret of a device, shown this once. */
function SecretOnce ({ shown, onDone }: { shown: DeviceWithSecret; onDone: () => void }) {
  return (
    <div class='card secret-once' role='status'>
      <h2>{t('deviceSecret')}</h2>
      <p>{shown.device.name} · <code>{shown.device.id}</code></p>
      <p><code class='secret'>{shown.secret}</code></p>
      <button type='button' onClick={onDone}>{t('secretNoted')}</button>
    </div>
  )
}

export function DevicesAdminView () {
  const [devices, setDevices] = useState<DeviceView[] | null>(null)
  const [villages, setVillages] = useState<string[]>([])
  const [text, setText] = useState('')
  const [editing, setEditing] = useState<string | null>(null)
  const [removing, setRemoving] = useState<string | null>(null)
  const [secret, setSecret] = useState<DeviceWithSecret | null>(null)
  const [error, setError] = useState<string | null>(null)
  const reload = () => {
    get<DeviceView[]>('/api/devices').then(setDevices, (err: ApiError) => setError(errorText(err)))
    get<string[]>('/api/villages').then(setVillages, (err: ApiError) => setError(errorText(err)))
  }
  useEffect(reload, [])
  const done = (next?: DeviceWithSecret) => { setError(null); setEditing(null); setRemoving(null); if (next) setSecret(next); reload() }
  const act = (p: Promise<unknown>) => { p.then(() => done(), (err: unknown) => setError(refusalText(err))) }
  const q = text.trim().toLowerCase()
  const shown = (devices ?? []).filter((d) => !q || d.name.toLowerCase().includes(q) || d.id.includes(q) || d.village.toLowerCase().includes(q))
  return (
    <div>
      <h1>{t('manageDevices')}</h1>
      {secret && <SecretOnce shown={secret} onDone={() => setSecret(null)} />}
      {error && <p class='error' role='alert'>{error}</p>}
      <div class='admin-page'>
      <AddDevice villages={villages} onAdded={(created) => done(created)} />
      <section>
      <h2>{t('devicesList')}</h2>
      <div class='filters'>
        <label>{t('search')} <input type='search' value={text} onInput={(e) => setText((e.currentTarget).value)} /></label>
        <span class='muted count'>{shown.length} / {devices?.length ?? 0}</span>
      </div>
      <ul class='admin-list'>
        {shown.map((d) => (
          <li key={d.id} data-device={d.id}>
            <div class='admin-row'>
              <div class='grow'><strong class='device-name'>{d.name}</strong> <span class='muted small'>{d.id} · {kindName(d.kind)} · {d.village}{d.site ? ` · ${d.site}` : ''}</span></div>
              <span class={`badge ${d.enabled ? 'ok' : 'muted'}`}>{d.enabled ? t('active') : t('disabled')}</span>
              <div class='row-actions'>
                <button type='button' onClick={() => setEditing(editing === d.id ? null : d.id)}>{t('edit')}</button>
                <button type='button' onClick={() => act(api('PATCH', `/api/devices/${encodeURIComponent(d.id)}`, { enabled: !d.enabled }))}>{d.enabled ? t('disable') : t('enable')}</button>
                <button type='button' onClick={() => { api<DeviceWithSecret>('POST', `/api/devices/${encodeURIComponent(d.id)}/credentials`, {}).then(done, (err: unknown) => setError(refusalText(err))) }}>{t('newSecret')}</button>
                {removing === d.id
                  ? <button type='button' class='danger' onClick={() => act(api('DELETE', `/api/devices/${encodeURIComponent(d.id)}`))}>{t('confirmRemove')}</button>
                  : <button type='button' onClick={() => setRemoving(d.id)}>{t('remove')}</button>}
              </div>
            </div>
            {editing === d.id && <EditDevice device={d} villages={villages} onSaved={() => done()} onCancel={() => setEditing(null)} />}
          </li>
        ))}
      </ul>
      </section>
      </div>
    </div>
  )
}

function AddDevice ({ villages, onAdded }: { villages: string[]; onAdded: (created: DeviceWithSecret) => void }) {
  const [kind, setKind] = useState<DeviceKind>('camera')
  const [id, setId] = useState('')
  const [place, setPlace] = useState(placeOf())
  const [village, setVillage] = useState<VillageChoice>(NO_VILLAGE)
  const [error, setError] = useState<string | null>(null)
  const submit = (e: Event) => {
    e.preventDefault()
    api<DeviceWithSecret>('POST', '/api/devices', { kind, ...(id.trim() ? { id: id.trim() } : {}), ...placeBody(place, village, false) }).then((created) => {
      setId(''); setPlace(placeOf()); setVillage(NO_VILLAGE); setError(null); onAdded(created)
    }, (err: unknown) => setError(refusalText(err)))
  }
  return (
    <form class='card form wide' onSubmit={submit} aria-label={t('addDevice')}>
      <h2>{t('addDevice')}</h2>
      <label>{t('kind')}
        <select name='kind' value={kind} onChange={(e) => setKind((e.currentTarget).value as DeviceKind)}>
          {DEVICE_KINDS.map((k) => <option key={k} value={k}>{kindName(k)}</option>)}
        </select>
      </label>
      <label>{t('deviceId')} <span class='muted small'>{t('idHint')} {PREFIX[kind]}-…</span>
        <input name='id' pattern={`${PREFIX[kind]}-[a-z0-9_-]+`} placeholder={`${PREFIX[kind]}-001`} value={id} onInput={(e) => setId((e.currentTarget).value)} />
      </label>
      <PlaceFields place={place} onChange={setPlace} />
      <VillagePicker villages={villages} choice={village} onChange={setVillage} />
      {error && <p class='error' role='alert'>{error}</p>}
      <button type='submit' disabled={!villageReady(village)}>{t('addDevice')}</button>
    </form>
  )
}

function EditDevice ({ device, villages, onSaved, onCancel }: { device: DeviceView; villages: string[]; onSaved: () => void; onCancel: () => void }) {
  const [place, setPlace] = useState(placeOf(device))
  const [village, setVillage] = useState<VillageChoice>({ village: device.village, isNew: false, confirmed: false })
  const [error, setError] = useState<string | null>(null)
  const submit = (e: Event) => {
    e.preventDefault()
    api('PATCH', `/api/devices/${encodeURIComponent(device.id)}`, placeBody(place, village, true)).then(onSaved, (err: unknown) => setError(refusalText(err)))
  }
  return (
    <form class='form wide edit-device' onSubmit={submit} aria-label={t('edit')}>
      <PlaceFields place={place} onChange={setPlace} />
      <VillagePicker villages={villages} choice={village} onChange={setVillage} />
      {error && <p class='error' role='alert'>{error}</p>}
      <div class='row-actions'>
        <button type='submit' disabled={!villageReady(village)}>{t('save')}</button>
        <button type='button' onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  )
}
