// Phát trực tiếp: an official who may approve bulletins chooses villages or the whole commune
// and the priority, and talks. The microphone is recorded by MediaRecorder (WebM/Opus) in
// quarter-second pieces posted in order to /api/live/<id>/audio; the page shows each
// cluster's state live (polled once a second) and ends the session everywhere on "stop".
// Below, the station relays (relays.tsx).
import { useEffect, useRef, useState } from 'preact/hooks'
import { DELIVERY_WORDS } from '../../../gateway/broadcasts/outcome.js'
import type { Broadcast, Delivery } from '../../../gateway/broadcasts/store.js'
import { api, type ApiError, get } from '../api.js'
import { language, t } from '../i18n.js'
import { useLive } from '../live.js'
import type { Approver } from './broadcast-row.js'
import { Relays } from './relays.js'

type Priority = 'routine' | 'priority' | 'emergency'
const PIECE_MS = 250

/** The microphone's pieces, posted one after another in order (the gateway refuses gaps). */
class Uplink {
  private seq = 0
  private chain = Promise.resolve()
  constructor (private readonly id: string, private readonly failed: (message: string) => void) {}
  send (piece: Blob): void {
    const seq = this.seq++
    this.chain = this.chain.then(() => api<undefined>('POST', `/api/live/${this.id}/audio?seq=${seq}`, piece)).then(() => undefined, (err: ApiError) => { this.failed(err.message) })
  }

  drained (): Promise<void> { return this.chain }
}

export function OnAirView ({ me }: { me: Approver }) {
  const live = useLive('speaker')
  const villages = [...new Set(live.list('speaker').map((d) => d.village))].sort()
  const [title, setTitle] = useState('')
  const [priority, setPriority] = useState<Priority>('routine')
  const [all, setAll] = useState(false)
  const [chosen, setChosen] = useState<string[]>([])
  const [session, setSession] = useState<Broadcast | null>(null)
  const [ended, setEnded] = useState<Broadcast | null>(null)
  const [clusters, setClusters] = useState<Delivery[]>([])
  const [error, setError] = useState<string | null>(null)
  const recorder = useRef<{ rec: MediaRecorder; stream: MediaStream; up: Uplink } | null>(null)

  // Each cluster's state, live, while on air and until every one has answered.
  const following = session ?? ended
  useEffect(() => {
    if (!following) return
    const timer = setInterval(() => {
      get<{ deliveries: Delivery[] }>(`/api/broadcasts/${following.id}`).then((d) => setClusters(d.deliveries), () => undefined)
    }, 1000)
    return () => clearInterval(timer)
  }, [following?.id])

  if (!me.mayApprove) return <div><h1>{t('goLive')}</h1><p class='muted'>{t('liveNotAllowed')}</p></div>

  const start = async () => {
    setError(null)
    let stream: MediaStream
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } })
    } catch (err) {
      setError(`${t('liveNoMic')}: ${(err as Error).message}`)
      return
    }
    try {
      const b = await api<Broadcast>('POST', '/api/live', { title: title.trim() || t('liveDefaultTitle'), priority, targets: all ? { all: true } : { villages: chosen } })
      const up = new Uplink(b.id, setError)
      const rec = new MediaRecorder(stream, MediaRecorder.isTypeSupported('audio/webm;codecs=opus') ? { mimeType: 'audio/webm;codecs=opus' } : {})
      rec.ondataavailable = (e) => { if (e.data.size > 0) up.send(e.data) }
      rec.start(PIECE_MS)
      recorder.current = { rec, stream, up }
      setEnded(null)
      setSession(b)
    } catch (err) {
      for (const track of stream.getTracks()) track.stop()
      setError((err as ApiError).message)
    }
  }

  const stop = async () => {
    const r = recorder.current
    if (!r || !session) return
    recorder.current = null
    await new Promise<void>((resolve) => { r.rec.onstop = () => resolve(); r.rec.stop() })
    for (const track of r.stream.getTracks()) track.stop()
    await r.up.drained()
    const b = await api<Broadcast>('POST', `/api/live/${session.id}/stop`, {}).catch((err: ApiError) => { setError(err.message); return session })
    setSession(null)
    setEnded(b)
  }

  const playing = clusters.filter((d) => d.state === 'playing')
  return (
    <div class='on-air'>
      <h1>{t('goLive')}</h1>
      {!session && (
        <form class='card' onSubmit={(e) => { e.preventDefault(); void start() }}>
          <p class='muted'>{t('liveHint')}</p>
          <label>{t('titleWord')} <input name='title' value={title} placeholder={t('liveDefaultTitle')} onInput={(e) => setTitle(e.currentTarget.value)} /></label>
          <label>{t('priority')} <select name='priority' value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)}>
            {(['routine', 'priority', 'emergency'] as const).map((p) => <option key={p} value={p}>{t(`p_${p}`)}</option>)}
          </select></label>
          <fieldset><legend>{t('where')}</legend>
            <label><input type='checkbox' name='all' checked={all} onChange={() => setAll(!all)} /> {t('wholeCommune')}</label>
            {!all && villages.map((v) => <label key={v}><input type='checkbox' name='village' value={v} checked={chosen.includes(v)} onChange={() => setChosen(chosen.includes(v) ? chosen.filter((x) => x !== v) : [...chosen, v])} /> {v}</label>)}
          </fieldset>
          <button type='submit' disabled={!all && chosen.length === 0}>● {t('liveStart')}</button>
        </form>
      )}
      {session && (
        <div class={`banner ${session.priority === 'emergency' ? 'critical' : ''}`} role='status' data-live={session.id}>
          <strong>● {t('liveOnAir')}: {session.title}</strong> · {t('livePlayingOn')} {playing.length}/{clusters.length} {t('clusterCount')}
          <button type='button' name='stop' onClick={() => { void stop() }}>■ {t('liveStop')}</button>
        </div>
      )}
      {ended && <p role='status' data-ended={ended.id}>{t('liveEnded')}: {ended.title} · <a href={`/api/audio/${ended.clipId}`} download>{t('liveRecording')}</a></p>}
      {error && <p class='error' role='alert'>{error}</p>}
      {following && (
        <table class='clusters'>
          <thead><tr><th>{t('clusters')}</th><th>{t('village')}</th><th>{t('state')}</th></tr></thead>
          <tbody>{clusters.map((d) => (
            <tr key={d.deviceId} data-device={d.deviceId} data-state={d.state}><td>{live.devices.get('speaker')?.get(d.deviceId)?.name ?? d.deviceId}</td><td>{d.village}</td><td>{DELIVERY_WORDS[d.state][language()]}</td></tr>
          ))}</tbody>
        </table>
      )}
      {!session && <Relays villages={villages} />}
    </div>
  )
}
