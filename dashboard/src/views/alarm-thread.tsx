// An alarm's thread (issue #15): what happened to it and what people said, with who and when,
// oldest first; a comment can be added at any time, acknowledged or not.
import { useEffect, useState } from 'preact/hooks'
import { LEVEL_STAGES, type Alarm, type AlarmHistoryEntry } from '../../../gateway/alarms/catalog.js'
import { api, get, type ApiError } from '../api.js'
import { dateTime, language, t } from '../i18n.js'
import { errorText } from '../errors.js'
import type { Words } from '../words.js'

const stageName = (stage: unknown): string => LEVEL_STAGES.find((s) => s.stage === stage)?.[language()] ?? t('belowLevels')

function what (h: AlarmHistoryEntry): string {
  switch (h.what) {
    case 'stage_changed': return `${Number(h.details?.toStage) > Number(h.details?.fromStage) ? t('h_stage_up') : t('h_stage_down')}: ${stageName(h.details?.toStage)}`
    case 'escalated': return `${t('h_escalated')} ${Number(h.details?.level ?? 0)}`
    case 'cleared': return h.details?.replacedBy ? t('h_replaced') : t('h_cleared')
    default: return t(`h_${h.what}` as keyof Words)
  }
}

export function AlarmThread ({ alarm, onBusy }: { alarm: Alarm; onBusy: (busy: boolean) => void }) {
  const [history, setHistory] = useState<AlarmHistoryEntry[] | null>(null)
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string | null>(null)
  // Fetched again whenever the alarm changes (a new comment, a crossing, an acknowledgement).
  useEffect(() => {
    get<{ history: AlarmHistoryEntry[] }>(`/api/alarms/${alarm.id}`).then((a) => setHistory(a.history), (err: ApiError) => setError(errorText(err)))
  }, [alarm.id, alarm.updatedAt])
  const type = (value: string) => { setComment(value); onBusy(value.length > 0) }
  const send = (e: Event) => {
    e.preventDefault()
    api<Alarm>('POST', `/api/alarms/${alarm.id}/comment`, { comment }).then(() => { type(''); setError(null) }, (err: ApiError) => setError(errorText(err)))
  }
  return (
    <div class='thread'>
      {history === null
        ? <p class='muted small'>{t('loading')}</p>
        : (
          <ol class='thread-list'>
            {history.filter((h) => h.what !== 'updated' && h.what !== 'severity_raised').map((h, i) => (
              <li key={i} class={h.comment ? 'has-comment' : ''}>
                <span class='small muted'>{dateTime(h.at)} · {h.actor ?? t('system')}</span> <span>{what(h)}</span>
                {h.comment && <blockquote>{h.comment}</blockquote>}
              </li>
            ))}
          </ol>
        )}
      {alarm.state === 'active' && (
        <form class='alarm-actions' onSubmit={send}>
          <input aria-label={t('addComment')} placeholder={t('addComment')} required maxLength={500} value={comment} onInput={(e) => type(e.currentTarget.value)} />
          <button type='submit'>{t('sendComment')}</button>
        </form>
      )}
      {error && <p class='error' role='alert'>{error}</p>}
    </div>
  )
}
