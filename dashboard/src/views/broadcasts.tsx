// The officials' broadcast page: compose a bulletin (speech from typed Vietnamese, or an
// uploaded file, with a preview), choose priority, where and when; submit it, approve or
// reject others' (for those who may), send an emergency at once; follow every bulletin live,
// cluster by cluster (broadcast-row.tsx); an emergency not played in full everywhere on top,
// with "send again"; the broadcast log for a period, as CSV or a printable page.
import { useState } from 'preact/hooks'
import type { AudioClip } from '../../../gateway/broadcasts/audio.js'
import type { Broadcast } from '../../../gateway/broadcasts/store.js'
import { api, type ApiError, useList } from '../api.js'
import { language, t } from '../i18n.js'
import { useLive } from '../live.js'
import { BroadcastRow, clipLength, MissedEmergency, PRIORITY_SYMBOL, w, type Approver } from './broadcast-row.js'
import { errorText } from '../errors.js'

export type { Approver }

export function BroadcastsView ({ me }: { me: Approver }) {
  const live = useLive('broadcasts', 'speaker')
  const list = [...live.broadcasts.values()].sort((a, b) => b.broadcast.createdAt - a.broadcast.createdAt)
  const missed = list.filter((n) => n.broadcast.priority === 'emergency' && (n.summary.outcome === 'partly_played' || n.summary.outcome === 'not_played'))
  return (
    <div>
      <h1>{t('broadcasts')}</h1>
      {missed.map((n) => <MissedEmergency key={n.broadcast.id} me={me} b={n.broadcast} summary={n.summary} />)}
      <div class='broadcast-page'>
        <section aria-label={t('broadcasts')}>
          <BroadcastLog />
          {list.length === 0 ? <p class='muted'>{t('noBroadcasts')}</p> : <ul class='alarm-list'>{list.map((n) => <BroadcastRow key={n.broadcast.id} me={me} b={n.broadcast} summary={n.summary} />)}</ul>}
        </section>
        <Compose me={me} villages={[...new Set(live.list('speaker').map((d) => d.village))].sort()} />
      </div>
    </div>
  )
}

function Compose ({ me, villages }: { me: Approver; villages: string[] }) {
  const groups = useList<{ name: string }>('/api/speaker-groups') ?? []
  const [title, setTitle] = useState('')
  const [text, setText] = useState('')
  const [voice, setVoice] = useState('north')
  const [clip, setClip] = useState<AudioClip | null>(null)
  const [priority, setPriority] = useState<'routine' | 'priority' | 'emergency'>('routine')
  const [all, setAll] = useState(false)
  const [chosen, setChosen] = useState<string[]>([])
  const [chosenGroups, setChosenGroups] = useState<string[]>([])
  const [when, setWhen] = useState<'now' | 'at' | 'daily' | 'weekly'>('now')
  const [at, setAt] = useState('')
  const [time, setTime] = useState('06:00')
  const [days, setDays] = useState<number[]>([1])
  const [ttlMin, setTtlMin] = useState(60)
  const [repeat, setRepeat] = useState(1)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((x) => x !== value) : [...list, value])
  const fail = (err: ApiError) => { setBusy(false); setMessage({ ok: false, text: errorText(err) }) }

  const speak = () => {
    setBusy(true)
    api<AudioClip>('POST', '/api/audio/speech', { text, voice }).then((c) => { setBusy(false); setClip(c) }, fail)
  }
  const upload = (file: File) => {
    setBusy(true)
    uploadAudio(file).then((c) => { setBusy(false); setClip(c) }, fail)
  }
  const send = (action: 'draft' | 'submit' | 'send') => {
    if (!clip) { setMessage({ ok: false, text: t('needAudio') }); return }
    const schedule = when === 'now' ? { kind: 'now' } : when === 'at' ? { kind: 'at', at: new Date(`${at}:00+07:00`).getTime() } : when === 'daily' ? { kind: 'daily', time } : { kind: 'weekly', time, days }
    setBusy(true)
    api<Broadcast>('POST', '/api/broadcasts', {
      title, priority, clipId: clip.id, repeat, targets: { all, villages: chosen, groups: chosenGroups }, schedule, ttlS: ttlMin * 60, action
    }).then((b) => { setBusy(false); setMessage({ ok: true, text: `${b.title}: ${w(`st_${b.status}`)}` }) }, fail)
  }

  return (
    <form class='card form compose' onSubmit={(e) => { e.preventDefault(); send('submit') }}>
      <h2>{t('compose')}</h2>
      <label>{t('titleWord')} <input required maxLength={128} value={title} onInput={(e) => setTitle(e.currentTarget.value)} /></label>
      <fieldset>
        <legend>{t('audio')}</legend>
        <label>{t('textToRead')} <textarea rows={4} maxLength={3000} value={text} onInput={(e) => setText(e.currentTarget.value)} /></label>
        <label>{t('voice')} <select value={voice} onChange={(e) => setVoice(e.currentTarget.value)}>
          {['north', 'central', 'south'].map((v) => <option key={v} value={v}>{w(`v_${v}`)}</option>)}
        </select></label>
        <button type='button' disabled={busy || text.trim() === ''} onClick={speak}>♪ {t('makeSpeech')}</button>
        <label>{t('uploadFile')} <input type='file' accept='audio/mpeg,audio/wav,.mp3,.wav' onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f) upload(f) }} /></label>
        {clip && <p>{t('preview')} ({clipLength(clip.durationMs)}): <audio controls preload='none' src={`/api/audio/${clip.id}`} /></p>}
      </fieldset>
      <label>{t('priority')} <select value={priority} onChange={(e) => setPriority(e.currentTarget.value as typeof priority)}>
        {(['routine', 'priority', 'emergency'] as const).map((p) => <option key={p} value={p}>{PRIORITY_SYMBOL[p]} {w(`p_${p}`)}</option>)}
      </select></label>
      <fieldset>
        <legend>{t('where')}</legend>
        <label class='check'><input type='checkbox' checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />{t('wholeCommune')}</label>
        {!all && villages.map((v) => <label key={v} class='check'><input type='checkbox' checked={chosen.includes(v)} onChange={() => setChosen(toggle(chosen, v))} />{v}</label>)}
        {!all && groups.map((g) => <label key={g.name} class='check'><input type='checkbox' checked={chosenGroups.includes(g.name)} onChange={() => setChosenGroups(toggle(chosenGroups, g.name))} />{t('groups')}: {g.name}</label>)}
      </fieldset>
      <fieldset>
        <legend>{t('schedule')}</legend>
        <select aria-label={t('schedule')} value={when} onChange={(e) => setWhen(e.currentTarget.value as typeof when)}>
          {(['now', 'at', 'daily', 'weekly'] as const).map((k) => <option key={k} value={k}>{w(`sch_${k}`)}</option>)}
        </select>
        {when === 'at' && <input type='datetime-local' aria-label={t('sch_at')} required value={at} onInput={(e) => setAt(e.currentTarget.value)} />}
        {(when === 'daily' || when === 'weekly') && <input type='time' aria-label={t('schedule')} required value={time} onInput={(e) => setTime(e.currentTarget.value)} />}
        {when === 'weekly' && t('weekdays').split(',').map((name, i) => (
          <label key={name} class='check'><input type='checkbox' checked={days.includes(i + 1)} onChange={() => setDays(days.includes(i + 1) ? days.filter((d) => d !== i + 1) : [...days, i + 1])} />{name}</label>
        ))}
      </fieldset>
      <label>{t('repeatTimes')} <input type='number' min={1} max={5} value={repeat} onInput={(e) => setRepeat(Number(e.currentTarget.value))} /></label>
      <label>{t('validFor')} <input type='number' min={1} max={10080} value={ttlMin} onInput={(e) => setTtlMin(Number(e.currentTarget.value))} /></label>
      <div class='commands'>
        <button type='button' disabled={busy} onClick={() => send('draft')}>{t('saveDraft')}</button>
        <button type='submit' disabled={busy}>{t('submitForApproval')}</button>
        {me.mayApprove && priority === 'emergency' && <button type='button' class='danger' disabled={busy} onClick={() => send('send')}>‼ {t('sendEmergency')}</button>}
      </div>
      {message && <p class={message.ok ? 'ok-note' : 'error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
    </form>
  )
}

/** The broadcast log of a period (local days), to download as CSV or print for the commune's file. */
function BroadcastLog () {
  const day = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10)
  const [from, setFrom] = useState(day(Date.now() - 30 * 86_400_000))
  const [to, setTo] = useState(day(Date.now()))
  const query = (format: string) => `/api/broadcast-log?format=${format}&from=${from}&to=${to}&lang=${language()}`
  return (
    <fieldset class='broadcast-log'>
      <legend>{t('broadcastLog')}</legend>
      <label>{t('logFrom')} <input type='date' value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
      <label>{t('logTo')} <input type='date' value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
      <a href={query('csv')} download>⬇ {t('downloadCsv')}</a> · <a href={query('html')} target='_blank' rel='noopener'>{t('printable')}</a>
    </fieldset>
  )
}

/** Sends a file as it is (audio/mpeg or audio/wav), with the session's CSRF header like every change. */
async function uploadAudio (file: File): Promise<AudioClip> {
  const type = file.type === 'audio/wav' || file.name.toLowerCase().endsWith('.wav') ? 'audio/wav' : 'audio/mpeg'
  return api<AudioClip>('POST', '/api/audio', new Blob([file], { type }))
}
