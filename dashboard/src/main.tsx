// The dashboard's shell: who is signed in, the pages their role may open, the language
// switch and the live-link marker. Pages are addressed by the URL hash (#/cameras), so a
// reload or a bookmark lands on the same page.
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { DEVICE_KINDS, KINDS, type DeviceKind } from '../../gateway/kinds/index.js'
import { ROLE_KINDS, roleMay, type Permission, type Role } from '../../gateway/users/roles.js'
import { api, type ApiError, get, setCsrfToken, whenSignedOut } from './api.js'
import { LiveBanner, LiveDot } from './components/live-banner.js'
import { language, onLanguage, roleName, setLanguage, t } from './i18n.js'
import { live, useLive } from './live.js'
import './style.css'
import { AuditView } from './views/admin.js'
import { UsersView } from './views/admin-accounts.js'
import { DevicesAdminView } from './views/admin-devices.js'
import { TokensView } from './views/tokens.js'
import { AlarmBadge, AlarmsView, alarmName, ring } from './views/alarms.js'
import { subjectName } from './views/alarm-words.js'
import { BroadcastsView } from './views/broadcasts.js'
import { DeviceDetail } from './views/device.js'
import { MapView } from './views/map.js'
import { OnAirView } from './views/on-air.js'
import { OverviewView } from './views/overview.js'
import { CameraGridView } from './views/pictures.js'
import type { Words } from './words.js'
import { errorText } from './errors.js'
import { KIND_VIEWS, kindOfPage, kindPageTitle } from './kind-pages.js'

interface Me { username: string; displayName: string; role: Role; language: 'vi' | 'en'; mustChangePassword: boolean; mayApprove: boolean; csrfToken: string | null }

interface Page { path: string; title: () => string; kind?: DeviceKind; adminOnly?: boolean; permission?: Permission }
const page = (path: string, word: keyof Words, more: Omit<Page, 'path' | 'title'> = {}): Page => ({ path, title: () => t(word), ...more })

// Each kind's page comes from its definition (kind-pages.tsx), followed by the pages of what
// its devices do (the cameras' pictures, the loudspeakers' bulletins); the others are listed here.
const KIND_FEATURES: Partial<Record<DeviceKind, Page[]>> = {
  camera: [page('camera-grid', 'cameraGrid', { kind: 'camera', permission: 'pictures.view' })],
  speaker: [page('broadcasts', 'broadcasts', { permission: 'broadcasts.read' }), page('live', 'goLive', { permission: 'broadcasts.compose' })]
}
const PAGES: Page[] = [
  page('overview', 'overview'),
  page('alarms', 'alarms'),
  ...DEVICE_KINDS.flatMap((kind): Page[] => [{ path: KINDS[kind].page.path, title: () => kindPageTitle(kind), kind }, ...KIND_FEATURES[kind] ?? []]),
  page('map', 'map'),
  page('audit', 'audit', { adminOnly: true }),
  page('devices', 'manageDevices', { adminOnly: true }),
  page('users', 'users', { adminOnly: true }),
  page('tokens', 'tokens', { adminOnly: true })
]

const pagesOf = (role: Role) => PAGES.filter((p) => (!p.kind || ROLE_KINDS[role].includes(p.kind)) && (!p.adminOnly || role === 'admin') && (!p.permission || roleMay(role, p.permission)))
/** How long the first check of the session may take before the sign-in form shows. */
const SESSION_CHECK_MS = 10_000

function useHash (): string {
  const [hash, setHash] = useState(location.hash)
  useEffect(() => {
    const on = () => setHash(location.hash)
    addEventListener('hashchange', on)
    return () => removeEventListener('hashchange', on)
  }, [])
  return hash.replace(/^#\/?/, '')
}

function App () {
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  const [, setLang] = useState(language())
  useEffect(() => onLanguage(() => setLang(language())), [])
  const signedIn = (who: Me | null) => {
    setCsrfToken(who?.csrfToken ?? null)
    if (who && !who.mustChangePassword) live.start()
    else live.stop()
    setMe(who)
  }
  useEffect(() => {
    whenSignedOut(() => signedIn(null))
    live.onUnauthorized = () => signedIn(null)
    // Bounded: a first request lost on a village link left the page on "loading" for good;
    // the sign-in form is the way on (signing in asks the gateway again).
    get<Me>('/api/session', SESSION_CHECK_MS).then(signedIn, () => signedIn(null))
  }, [])
  if (me === undefined) return <p class='muted pad'>{t('loading')}</p>
  if (me === null) return <Login onDone={signedIn} />
  if (me.mustChangePassword) return <ChangePassword me={me} onDone={signedIn} />
  return <Shell me={me} onSignOut={() => { void api('DELETE', '/api/session').then(() => signedIn(null), () => signedIn(null)) }} />
}

function LanguageSwitch () {
  return <button type='button' class='lang' onClick={() => setLanguage(language() === 'vi' ? 'en' : 'vi')} lang={language() === 'vi' ? 'en' : 'vi'}>{t('language')}</button>
}

function Shell ({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const route = useHash()
  const pages = pagesOf(me.role)
  const [first, arg] = route.split('/')
  const here = first || 'overview'
  const allowed = here === 'device' || pages.some((p) => p.path === here)
  const kindPage = kindOfPage(here)
  const KindView = kindPage && KIND_VIEWS[kindPage]
  const kinds = ROLE_KINDS[me.role]
  const { critical } = useLive()
  useEffect(() => {
    live.onCritical = ring
    return () => { live.onCritical = () => undefined }
  }, [])
  return (
    <>
      <header class='top'>
        <a class='brand' href='#/overview'>{t('appTitle')}</a>
        <LiveDot />
        <span class='who'>{me.displayName} · {roleName(me.role)}</span>
        <LanguageSwitch />
        <button type='button' onClick={onSignOut}>{t('signOut')}</button>
      </header>
      <nav class='tabs' aria-label={t('menu')}>
        {pages.map((p) => <a key={p.path} href={`#/${p.path}`} aria-current={p.path === here ? 'page' : undefined}>{p.title()}{p.path === 'alarms' && <AlarmBadge />}</a>)}
      </nav>
      <LiveBanner />
      {critical && (
        <div class='banner critical' role='alert'>
          ‼ {t('newCritical')}: <a href='#/alarms' onClick={() => live.closeCritical()}>{alarmName(critical)} — {subjectName(critical)}</a>
          <button type='button' onClick={() => live.closeCritical()} aria-label={t('close')}>✕</button>
        </div>
      )}
      <main id='main'>
        {!allowed && <p class='error' role='alert'>{t('forbidden')}</p>}
        {allowed && here === 'overview' && <OverviewView kinds={kinds} />}
        {allowed && here === 'alarms' && <AlarmsView />}
        {allowed && KindView && <KindView />}
        {allowed && here === 'camera-grid' && <CameraGridView />}
        {allowed && here === 'broadcasts' && <BroadcastsView me={me} />}
        {allowed && here === 'live' && <OnAirView me={me} />}
        {allowed && here === 'map' && <MapView kinds={kinds} />}
        {allowed && here === 'audit' && <AuditView />}
        {allowed && here === 'devices' && <DevicesAdminView />}
        {allowed && here === 'users' && <UsersView me={me.username} />}
        {allowed && here === 'tokens' && <TokensView />}
        {here === 'device' && arg && <DeviceDetail key={arg} id={decodeURIComponent(arg)} role={me.role} />}
      </main>
    </>
  )
}

function Login ({ onDone }: { onDone: (me: Me) => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (e: Event) => {
    e.preventDefault()
    api<Me>('POST', '/api/session', { username, password }).then((me) => {
      if (!localStorage.getItem('lang')) setLanguage(me.language)
      onDone(me)
    }, (err: ApiError) => setError(err.status === 429 ? t('tooManyLogins') : err.status === 401 ? t('wrongLogin') : errorText(err)))
  }
  return (
    <main class='login'>
      <form class='card form' onSubmit={submit}>
        <h1>{t('appTitle')}</h1>
        <label>{t('username')} <input name='username' autocomplete='username' required value={username} onInput={(e) => setUsername((e.currentTarget).value)} /></label>
        <label>{t('password')} <input name='password' type='password' autocomplete='current-password' required value={password} onInput={(e) => setPassword((e.currentTarget).value)} /></label>
        {error && <p class='error' role='alert'>{error}</p>}
        <button type='submit'>{t('signIn')}</button>
        <LanguageSwitch />
      </form>
    </main>
  )
}

function ChangePassword ({ me, onDone }: { me: Me; onDone: (me: Me) => void }) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (e: Event) => {
    e.preventDefault()
    api<Me>('POST', '/api/session/password', { currentPassword: current, newPassword: next }).then(onDone, (err: ApiError) => setError(errorText(err)))
  }
  return (
    <main class='login'>
      <form class='card form' onSubmit={submit}>
        <h1>{t('changePassword')}</h1>
        <p>{me.displayName}: {t('mustChange')}</p>
        <label>{t('currentPassword')} <input type='password' autocomplete='current-password' required value={current} onInput={(e) => setCurrent((e.currentTarget).value)} /></label>
        <label>{t('newPassword')} <input type='password' autocomplete='new-password' required minLength={10} value={next} onInput={(e) => setNext((e.currentTarget).value)} /></label>
        {error && <p class='error' role='alert'>{error}</p>}
        <button type='submit'>{t('save')}</button>
      </form>
    </main>
  )
}

document.documentElement.lang = language()
render(<App />, document.getElementById('app')!)
