// Tiếp sóng on the live page: the relays of a station's stream at set hours, and a form to set
// one up (officials who may approve): URL, daily start and length, villages or the whole
// commune, how long a silence may last and whether to stop then (a fallback clip is set
// through the API: docs/broadcasts.md).
import { useState } from 'preact/hooks'
import type { Relay } from '../../../gateway/broadcasts/relay.js'
import { api, type ApiError, useList } from '../api.js'
import { dateTime, t } from '../i18n.js'

export function Relays ({ villages }: { villages: string[] }) {
  const [version, setVersion] = useState(0)
  const relays = useList<Relay>(`/api/relays?v=${version}`) ?? []
  const [title, setTitle] = useState('')
  const [url, setUrl] = useState('')
  const [time, setTime] = useState('17:20')
  const [durationMin, setDurationMin] = useState(40)
  const [silenceS, setSilenceS] = useState(30)
  const [all, setAll] = useState(true)
  const [chosen, setChosen] = useState<string[]>([])
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const create = () => {
    api<Relay>('POST', '/api/relays', {
      title, url, schedule: { kind: 'daily', time }, durationMin, silenceS, fallback: 'stop', targets: all ? { all: true } : { villages: chosen }
    }).then(() => { setMessage({ ok: true, text: t('saved') }); setVersion(version + 1) }, (err: ApiError) => setMessage({ ok: false, text: err.message }))
  }
  return (
    <section class='card' aria-label={t('relays')}>
      <h2>{t('relays')}</h2>
      <ul class='relays'>{relays.map((r) => (
        <li key={r.id} data-relay={r.id}><strong>{r.spec.title}</strong> · {r.spec.url} · {t(`relay_${r.status}`)}{r.nextAt !== null && <> · {t('relayNext')} {dateTime(r.nextAt)}</>}</li>
      ))}</ul>
      <form onSubmit={(e) => { e.preventDefault(); create() }}>
        <label>{t('titleWord')} <input name='relay-title' value={title} onInput={(e) => setTitle(e.currentTarget.value)} required /></label>
        <label>{t('relayUrl')} <input name='relay-url' type='url' value={url} onInput={(e) => setUrl(e.currentTarget.value)} required /></label>
        <label>{t('relayDailyAt')} <input name='relay-time' type='time' value={time} onInput={(e) => setTime(e.currentTarget.value)} /></label>
        <label>{t('relayMinutes')} <input name='relay-minutes' type='number' min={1} max={720} value={durationMin} onInput={(e) => setDurationMin(Number(e.currentTarget.value))} /></label>
        <label>{t('relaySilence')} <input name='relay-silence' type='number' min={2} max={600} value={silenceS} onInput={(e) => setSilenceS(Number(e.currentTarget.value))} /></label>
        <fieldset><legend>{t('where')}</legend>
          <label><input type='checkbox' checked={all} onChange={() => setAll(!all)} /> {t('wholeCommune')}</label>
          {!all && villages.map((v) => <label key={v}><input type='checkbox' checked={chosen.includes(v)} onChange={() => setChosen(chosen.includes(v) ? chosen.filter((x) => x !== v) : [...chosen, v])} /> {v}</label>)}
        </fieldset>
        <button type='submit'>{t('relayCreate')}</button>
        {message && <span class={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>{message.text}</span>}
      </form>
    </section>
  )
}
