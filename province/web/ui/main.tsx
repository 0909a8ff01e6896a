// The province's views: communes on a plan and in a list with their health, province-wide
// and communes' open alarms (staff acknowledge), one commune's devices with a station's water
// level from the provincial store, and every commune's broadcast log (CSV). Same stack, API
// helper, styles and i18n as the commune dashboard.
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { api, get, setCsrfToken, whenSignedOut, ApiError } from '../../../dashboard/src/api.js'
import { dateTime, ago, kindName, language, onLanguage, setLanguage } from '../../../dashboard/src/i18n.js'
import type { DeviceKind } from '../../../gateway/contract/kinds.js'
import '../../../dashboard/src/style.css'
import type { CommuneRow } from '../queries.js'
import { Alarms } from './alarms.js'
import { Basin } from './basin.js'
import { Bulletins, type Me } from './bulletins.js'
import { Pictures } from './pictures.js'
import { w } from './words.js'

interface Device { id: string; kind: DeviceKind; name: string | null; village: string | null; online: boolean; since: string }
interface Bucket { t: number; mean: number | null }

const useRoute = (): string => {
  const [hash, setHash] = useState(location.hash || '#/communes')
  useEffect(() => { const on = (): void => setHash(location.hash || '#/communes'); addEventListener('hashchange', on); return () => removeEventListener('hashchange', on) }, [])
  return hash
}

function Login ({ onIn }: { onIn: (me: Me) => void }) {
  const [error, setError] = useState<string | null>(null)
  const submit = (e: Event): void => {
    e.preventDefault()
    const f = new FormData(e.target as HTMLFormElement)
    api<{ user: Me; csrfToken: string }>('POST', '/api/session', { username: f.get('username'), password: f.get('password') })
      .then((s) => { setCsrfToken(s.csrfToken); onIn(s.user) }, () => setError(w('wrongLogin')))
  }
  return (
    <main class='login'>
      <form class='card form' onSubmit={submit}>
        <h1>{w('title')}</h1>
        <label>{w('username')} <input name='username' autocomplete='username' required /></label>
        <label>{w('password')} <input name='password' type='password' autocomplete='current-password' required /></label>
        {error && <p class='error' role='alert'>{error}</p>}
        <button type='submit'>{w('signIn')}</button>
      </form>
    </main>
  )
}

function DevicesOnline ({ c }: { c: CommuneRow }) {
  return <>{Object.entries(c.devices).map(([kind, d]) => <span key={kind} class='small'>{kindName(kind as DeviceKind)}: {d.online}/{d.total} </span>)}</>
}

/** Communes by latitude and longitude on a plain plan (no tile server): colour and symbol tell the box's state. */
function Plan ({ list }: { list: CommuneRow[] }) {
  const placed = list.filter((c) => c.lat !== null && c.lon !== null)
  if (placed.length === 0) return null
  const lats = placed.map((c) => c.lat!)
  const lons = placed.map((c) => c.lon!)
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)]
  const x = (lon: number): number => 80 + ((lon - minLon) / (maxLon - minLon || 1)) * 440
  const y = (lat: number): number => 260 - ((lat - minLat) / (maxLat - minLat || 1)) * 220
  return (
    <svg class='card' viewBox='0 0 600 300' role='img' aria-label={w('map')} style='width:100%;max-width:720px'>
      {placed.map((c) => (
        <a key={c.code} href={`#/commune/${c.code}`}>
          <circle cx={x(c.lon!)} cy={y(c.lat!)} r='14' fill={c.online ? '#c6f6d5' : '#fed7d7'} stroke={c.online ? '#22543d' : '#822727'} stroke-width='2' />
          <text x={x(c.lon!)} y={y(c.lat!) + 5} text-anchor='middle' font-size='14'>{c.online ? '✓' : '✕'}</text>
          <text x={x(c.lon!)} y={y(c.lat!) + 32} text-anchor='middle' font-size='13'>{c.name}{c.openAlarms ? ` (${c.openAlarms})` : ''}</text>
        </a>
      ))}
    </svg>
  )
}

function Communes () {
  const [list, setList] = useState<CommuneRow[] | null>(null)
  useEffect(() => { const load = (): void => { get<CommuneRow[]>('/api/communes').then(setList, () => setList([])) }; load(); const t = setInterval(load, 5000); return () => clearInterval(t) }, [])
  if (!list) return <p class='muted'>{w('loading')}</p>
  return (
    <section>
      <h1>{w('communes')}</h1>
      <Plan list={list} />
      <table class='communes'>
        <thead><tr><th>{w('name')}</th><th>{w('box')}</th><th>{w('lag')}</th><th>{w('devicesOnline')}</th><th>{w('openAlarms')}</th></tr></thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.code} data-commune={c.code}>
              <td><a href={`#/commune/${c.code}`}>{c.name}</a></td>
              <td class={c.online ? 'ok-note' : 'bad-text'}>{c.online ? `✓ ${w('online')}` : `✕ ${w('offline')}`} <span class='muted small'>{ago(c.lastHeartbeat)}</span></td>
              <td>{c.lagRows} {w('rows')}{c.lagAgeS !== null ? ` · ${Math.round(c.lagAgeS)} s` : ''}</td>
              <td><DevicesOnline c={c} /></td>
              <td>{c.openAlarms}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** A station's level as a simple line (mean per bucket), drawn without a library. */
function Level ({ commune, id }: { commune: string; id: string }) {
  const [buckets, setBuckets] = useState<Bucket[] | null>(null)
  useEffect(() => { get<{ buckets: Bucket[] }>(`/api/communes/${commune}/devices/${encodeURIComponent(id)}/history`).then((h) => setBuckets(h.buckets), () => setBuckets([])) }, [commune, id])
  const pts = (buckets ?? []).filter((b): b is { t: number; mean: number } => b.mean !== null)
  if (pts.length === 0) return <p class='muted small'>{buckets ? w('none') : w('loading')}</p>
  const [t0, t1] = [pts[0]!.t, pts.at(-1)!.t]
  const [lo, hi] = [Math.min(...pts.map((p) => p.mean)), Math.max(...pts.map((p) => p.mean))]
  const path = pts.map((p, i) => `${i ? 'L' : 'M'}${(10 + ((p.t - t0) / (t1 - t0 || 1)) * 580).toFixed(1)},${(110 - ((p.mean - lo) / (hi - lo || 1)) * 100).toFixed(1)}`).join(' ')
  return (
    <figure class='level'>
      <svg viewBox='0 0 600 120' role='img' aria-label={`${w('history')}: ${lo.toFixed(2)}–${hi.toFixed(2)} m`} style='width:100%;max-width:600px;background:#fff'><path d={path} fill='none' stroke='#0b5cad' stroke-width='2' /></svg>
      <figcaption class='small muted'>{w('history')}: {lo.toFixed(2)}–{hi.toFixed(2)} m, {pts.length} điểm</figcaption>
    </figure>
  )
}

function Commune ({ code }: { code: string }) {
  const [list, setList] = useState<Device[] | null>(null)
  const [station, setStation] = useState<string | null>(null)
  useEffect(() => { get<Device[]>(`/api/communes/${code}/devices`).then(setList, () => setList([])) }, [code])
  return (
    <section>
      <a href='#/communes'>{w('back')}</a>
      <h1>{code}</h1>
      <h2>{w('devices')}</h2>
      {!list ? <p class='muted'>{w('loading')}</p> : (
        <table class='devices'>
          <thead><tr><th>{w('name')}</th><th>{w('kind')}</th><th>{w('village')}</th><th>{w('status')}</th></tr></thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id} data-device={d.id}>
                <td>{d.kind === 'water_sensor' ? <button type='button' aria-pressed={station === d.id} onClick={() => setStation(d.id)}>{d.name ?? d.id}</button> : d.name ?? d.id}</td>
                <td>{kindName(d.kind)}</td><td>{d.village}</td>
                <td class={d.online ? 'ok-note' : 'bad-text'}>{d.online ? `✓ ${w('online')}` : `✕ ${w('offline')}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {station && <Level commune={code} id={station} />}
    </section>
  )
}

function Broadcasts () {
  const [rows, setRows] = useState<Array<Record<string, unknown>> | null>(null)
  useEffect(() => { get<Array<Record<string, unknown>>>('/api/broadcasts').then(setRows, (err: unknown) => { setRows(err instanceof ApiError ? [] : []) }) }, [])
  return (
    <section>
      <h1>{w('broadcasts')}</h1>
      <p><a href='/api/broadcasts?format=csv' download>{w('downloadCsv')}</a></p>
      <table class='broadcast-log'>
        <thead><tr><th>{w('communes')}</th><th>{w('name')}</th><th>{w('priority')}</th><th>{w('status')}</th><th>{w('time')}</th></tr></thead>
        <tbody>{(rows ?? []).map((r) => <tr key={`${String(r.commune)}-${String(r.id)}`}><td>{String(r.communeName ?? r.commune)}</td><td>{String(r.title)}</td><td>{String(r.priority)}</td><td>{String(r.status)}</td><td>{dateTime(Number(r.createdAt))}</td></tr>)}</tbody>
      </table>
    </section>
  )
}

function App () {
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  const [, redraw] = useState(0)
  const route = useRoute()
  useEffect(() => {
    whenSignedOut(() => setMe(null))
    get<{ user: Me; csrfToken: string }>('/api/session').then((s) => { setCsrfToken(s.csrfToken); setMe(s.user) }, () => setMe(null))
    return onLanguage(() => redraw((n) => n + 1))
  }, [])
  if (me === undefined) return <p class='muted pad'>{w('loading')}</p>
  if (me === null) return <Login onIn={setMe} />
  const commune = /^#\/commune\/([a-z0-9-]+)$/.exec(route)?.[1]
  return (
    <>
      <header class='top'>
        <a class='brand' href='#/communes'>{w('title')}</a>
        <span class='who'>{me.name}</span>
        <button type='button' class='lang' onClick={() => setLanguage(language() === 'vi' ? 'en' : 'vi')}>{w('language')}</button>
        <button type='button' onClick={() => { void api('DELETE', '/api/session').then(() => setMe(null)) }}>{w('signOut')}</button>
      </header>
      <nav class='tabs' aria-label='menu'>
        <a href='#/communes' aria-current={route === '#/communes' ? 'page' : undefined}>{w('communes')}</a>
        <a href='#/alarms' aria-current={route === '#/alarms' ? 'page' : undefined}>{w('alarms')}</a>
        <a href='#/bulletins' aria-current={route === '#/bulletins' ? 'page' : undefined}>{w('bulletins')}</a>
        <a href='#/broadcasts' aria-current={route === '#/broadcasts' ? 'page' : undefined}>{w('broadcasts')}</a>
        <a href='#/basin' aria-current={route === '#/basin' ? 'page' : undefined}>{w('basinMap')}</a>
        {me.role === 'staff' && <a href='#/pictures' aria-current={route === '#/pictures' ? 'page' : undefined}>{w('pictures')}</a>}
      </nav>
      <main class='pad'>
        {commune ? <Commune code={commune} /> : route === '#/alarms' ? <Alarms me={me} /> : route === '#/broadcasts' ? <Broadcasts /> : route === '#/bulletins' ? <Bulletins me={me} /> : route === '#/basin' ? <Basin me={me} /> : route === '#/pictures' ? <Pictures mayAsk={me.mayRequestPictures} /> : <Communes />}
      </main>
    </>
  )
}

render(<App />, document.getElementById('app')!)
