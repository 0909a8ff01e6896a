// What the cameras see (issue #20), for the police and the admin only: a thumbnail per camera
// in the list, the latest picture and the reference on a camera's page (with marking a
// reference), and a grid of a village's cameras. Every picture is fetched from the gateway's
// audited routes (gateway/http/pictures.ts), never cached (no-store): each one shown is a line
// in the audit log. Thumbnails load lazily, so a long list fetches only what is scrolled to.
import { useEffect, useState } from 'preact/hooks'
import type { Alarm } from '../../../gateway/alarms/catalog.js'
import type { ReferenceInfo } from '../../../gateway/pictures/snapshots.js'
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import { roleMay, type Role } from '../../../gateway/users/roles.js'
import { api, type ApiError, get } from '../api.js'
import { OnlineBadge } from '../components/badges.js'
import { errorText } from '../errors.js'
import { actorName, ago, dateTime, t } from '../i18n.js'
import { useLive } from '../live.js'
import { alarmName, SeverityBadge } from './alarm-words.js'

/** One camera as GET /api/pictures lists it. */
export interface CameraPictures { id: string; name: string; village: string; latestAt: number | null; reference: ReferenceInfo | null }

const REFRESH_MS = 60_000
const base = (id: string) => `/api/devices/${encodeURIComponent(id)}`

/** The time of each camera's latest snapshot (of one village, or all), asked again every minute. */
export function usePictures (village: string | null): Map<string, CameraPictures> | null {
  const [list, setList] = useState<Map<string, CameraPictures> | null>(null)
  useEffect(() => {
    let stop = false
    const load = () => {
      get<CameraPictures[]>(`/api/pictures${village ? `?village=${encodeURIComponent(village)}` : ''}`)
        .then((l) => { if (!stop) setList(new Map(l.map((c) => [c.id, c]))) }, () => { if (!stop) setList(new Map()) })
    }
    load()
    const timer = setInterval(load, REFRESH_MS)
    return () => { stop = true; clearInterval(timer) }
  }, [village])
  return list
}

/** A small picture, the downscaled copy the gateway made, fetched when scrolled into view. */
export function Thumb ({ id, at, wide }: { id: string; at: number | null | undefined; wide?: boolean }) {
  if (!at) return <span class={`thumb none${wide ? ' wide' : ''}`}>{t('noPicture')}</span>
  return <img class={`thumb${wide ? ' wide' : ''}`} loading='lazy' decoding='async' src={`${base(id)}/snapshots/${at}?size=thumb`} alt={`${t('latestPicture')} ${dateTime(at)}`} title={dateTime(at)} width={320} height={180} />
}

/** The camera's active alarms, worst first: the tile's fault badges. */
function faultsOf (alarms: Iterable<Alarm>, id: string): Alarm[] {
  const order = ['critical', 'major', 'minor', 'warning']
  return [...alarms].filter((a) => a.deviceId === id).sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity))
}

/** The grid: one village's cameras at a glance, each with its picture, name, state and faults. */
export function CameraGridView () {
  const live = useLive('camera', 'alarms')
  const cameras = live.list('camera')
  const villages = [...new Set(cameras.map((d) => d.village))].sort((a, b) => a.localeCompare(b, 'vi'))
  const [chosen, setChosen] = useState<string | null>(null)
  const village = chosen ?? villages[0] ?? null
  const pictures = usePictures(village)
  const shown = cameras.filter((d) => d.village === village).sort((a, b) => a.name.localeCompare(b.name, 'vi'))
  return (
    <div>
      <h1>{t('cameraGrid')}</h1>
      <div class='filters'>
        <label>{t('village')}
          <select value={village ?? ''} onChange={(e) => setChosen((e.currentTarget).value)}>
            {villages.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </label>
        <span class='muted count'>{shown.length}</span>
      </div>
      <p class='muted small'>{t('picturesPrivate')}</p>
      {villages.length === 0 && <p class='muted'>{t('loading')}</p>}
      <ul class='picture-grid'>
        {shown.map((d) => <Tile key={d.id} device={d} at={pictures?.get(d.id)?.latestAt} faults={faultsOf(live.alarms.values(), d.id)} />)}
      </ul>
    </div>
  )
}

function Tile ({ device, at, faults }: { device: DeviceView; at: number | null | undefined; faults: Alarm[] }) {
  return (
    <li class={`tile${faults.length > 0 ? ` sev-line-${faults[0]!.severity}` : ''}`} data-camera={device.id}>
      <a href={`#/device/${encodeURIComponent(device.id)}`}><Thumb id={device.id} at={at} wide /></a>
      <p><a href={`#/device/${encodeURIComponent(device.id)}`}><strong class='device-name'>{device.name}</strong></a></p>
      <p><OnlineBadge device={device} /> {at ? <span class='muted small'>{ago(at)}</span> : null}</p>
      {faults.length > 0 && <p class='faults'>{faults.map((a) => <span key={a.id} class='fault'><SeverityBadge severity={a.severity} /> {alarmName(a)}</span>)}</p>}
    </li>
  )
}

interface Kept { times: number[]; reference: ReferenceInfo | null }

/** On a camera's page: its latest picture with its time, the reference beside it, and marking one. */
export function CameraPicturesPanel ({ id, role }: { id: string; role: Role }) {
  const [kept, setKept] = useState<Kept | null>(null)
  const [refused, setRefused] = useState(false)
  const [asking, setAsking] = useState(false)
  const [note, setNote] = useState<string | null>(null)
  const load = () => { get<Kept>(`${base(id)}/snapshots`).then(setKept, () => setRefused(true)) }
  useEffect(load, [id])
  if (refused || !roleMay(role, 'pictures.view')) return null
  if (!kept) return <p class='muted'>{t('loading')}</p>
  const latest = kept.times.at(-1) ?? null
  const ref = kept.reference
  const mark = () => {
    if (latest === null) return
    api<ReferenceInfo>('PUT', `${base(id)}/reference`, { at: latest })
      .then(() => { setAsking(false); setNote(`✓ ${t('referenceSaved')}`); load() }, (err: ApiError) => { setAsking(false); setNote(`✕ ${errorText(err)}`) })
  }
  return (
    <section class='camera-pictures'>
      <h2>{t('pictures')}</h2>
      <p class='muted small'>{t('picturesPrivate')}</p>
      <div class='picture-pair'>
        <figure>
          {latest === null
            ? <p class='thumb none wide'>{t('noPicture')}</p>
            : <img class='picture' src={`${base(id)}/snapshots/${latest}`} alt={t('latestPicture')} width={640} height={360} />}
          <figcaption><strong>{t('latestPicture')}</strong>{latest !== null && <> · {t('takenAt')} {dateTime(latest)} ({ago(latest)})</>}</figcaption>
        </figure>
        <figure>
          {ref
            ? <img class='picture' src={`${base(id)}/reference?v=${ref.markedAt}`} alt={t('referencePicture')} width={640} height={360} />
            : <p class='thumb none wide'>{t('noReference')}</p>}
          <figcaption>
            <strong>{t('referencePicture')}</strong>
            {ref && <> · {t('takenAt')} {dateTime(ref.takenAt)} · {t('markedBy')} {actorName(ref.markedBy)} {t('at')} {dateTime(ref.markedAt)}</>}
          </figcaption>
        </figure>
      </div>
      {roleMay(role, 'pictures.reference') && latest !== null && !asking && (
        <button type='button' class='mark-reference' onClick={() => { setNote(null); setAsking(true) }}>{t('markReference')}</button>
      )}
      {asking && latest !== null && (
        <div class='confirm' role='alertdialog' aria-label={t('markReference')}>
          <p>{t('referenceQuestion')} {dateTime(latest)}</p>
          <button type='button' class='confirm-reference' onClick={mark}>{t('confirm')}</button>
          <button type='button' onClick={() => setAsking(false)}>{t('cancel')}</button>
        </div>
      )}
      {note && <p role='status'>{note}</p>}
    </section>
  )
}
