// One bulletin on the broadcast page: what happened to its clusters (never "played out" unless
// every one played it in full), what an approver must see before releasing it, the reason a
// rejected one's author reads, and "send again" to the clusters that missed it.
import { useEffect, useState } from 'preact/hooks'
import { DELIVERY_WORDS, isMissed, OUTCOME_WORDS, outcomeLine, playedCount, reasonText } from '../../../gateway/broadcasts/outcome.js'
import { decisionWords } from '../../../gateway/broadcasts/decision-words.js'
import type { Broadcast, Delivery, DeliveryState, Summary } from '../../../gateway/broadcasts/store.js'
import { api, type ApiError, get } from '../api.js'
import { actorName, dateTime, duration, language, num, t } from '../i18n.js'
import { useLive } from '../live.js'
import type { Words } from '../words.js'
import { errorText } from '../errors.js'

export interface Approver { username: string; mayApprove: boolean }

export const PRIORITY_SYMBOL = { routine: '○', priority: '◆', emergency: '‼' } as const
const STATES: DeliveryState[] = ['done', 'playing', 'delivered', 'sent', 'queued', 'failed', 'timed_out', 'expired']
export const w = (key: string): string => t(key as keyof Words)
/** A clip's length: seconds under a minute (a spoken bulletin often is). */
export const clipLength = (ms: number): string => (ms < 60_000 ? `${num(ms / 1000, 0)} ${language() === 'vi' ? 'giây' : 's'}` : duration(ms))

interface Detail extends Broadcast {
  deliveries: Delivery[]
  clip: { text: string | null; source: 'upload' | 'speech'; durationMs: number } | null
  reach: { count: number; villages: Array<{ village: string; clusters: Array<{ id: string; name: string }> }> } | null
}

/** The bulletin's state in words: its lifecycle until it airs, then what happened to its clusters. */
function StateBadge ({ b, summary }: { b: Broadcast; summary: Summary }) {
  if (summary.targeted === 0 || b.status === 'cancelled') return <span class='badge'>{w(`st_${b.status}`)}</span>
  const o = summary.outcome
  return <span class={`badge ${o === 'played' ? 'ok' : o === 'airing' ? '' : 'bad'}`} data-outcome={o}>{OUTCOME_WORDS[o][language()]} · {playedCount(summary, language())}</span>
}

/** An emergency that did not play in full everywhere, at the top of the page, with "send again". */
export function MissedEmergency ({ me, b, summary }: { me: Approver; b: Broadcast; summary: Summary }) {
  return (
    <div class='banner critical' role='alert' data-missed={b.id}>
      <span>‼ {t('emergencyMissed')}: <strong>{b.title}</strong> — {outcomeLine(summary, language())}. {t('notPlayedOn')}: {summary.missed.map((m) => m.name ?? m.deviceId).join(', ')}</span>
      {me.mayApprove && <ResendButton id={b.id} />}
    </div>
  )
}

function ResendButton ({ id }: { id: string }) {
  const [error, setError] = useState<string | null>(null)
  return (<>
    <button type='button' onClick={() => { api('POST', `/api/broadcasts/${id}/resend`, {}).then(() => setError(null), (err: ApiError) => setError(errorText(err))) }}>↻ {t('resend')}</button>
    {error && <span class='error' role='alert'>{error}</span>}
  </>)
}

export function BroadcastRow ({ me, b, summary }: { me: Approver; b: Broadcast; summary: Summary }) {
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const act = (action: string, body: unknown = {}) => { api('POST', `/api/broadcasts/${b.id}/${action}`, body).then(() => setError(null), (err: ApiError) => setError(errorText(err))) }
  const mine = b.createdBy === me.username
  const reviewing = b.status === 'pending' && me.mayApprove && !mine
  const missed = summary.outcome === 'partly_played' || summary.outcome === 'not_played'
  return (
    <li class={`alarm ${b.priority === 'emergency' ? 'sev-line-critical' : ''}`} data-broadcast={b.id}>
      <div><strong>{PRIORITY_SYMBOL[b.priority]} {w(`p_${b.priority}`)}</strong> — <strong>{b.title}</strong> <StateBadge b={b} summary={summary} />{b.province && <> <span class='badge province' data-province={b.province.id}>{t('fromProvince')}: {b.province.issuer}</span></>}</div>
      <div class='small muted'>{t('author')}: {actorName(b.createdBy)} · {dateTime(b.createdAt)}{b.approvedBy && b.status !== 'rejected' && <> · {t('approver')}: {actorName(b.approvedBy)}</>}{b.decisionComment && b.status !== 'rejected' && <> · “{decisionWords(b.decisionComment, language())}”</>}</div>
      {b.cancelReason && <p class='small' data-cancel-reason>{t('cancelledBecause')}: “{b.cancelReason}”</p>}
      {b.status === 'rejected' && <p class='error' data-rejection>{t('rejectedBy')} {b.approvedBy}: “{b.decisionComment}”</p>}
      {summary.targeted > 0 && (
        <div class='small' data-summary>
          {t('clusters')}: {summary.targeted} · {STATES.filter((s) => summary[s] > 0).map((s) => <span key={s} class={`badge ${s === 'done' ? 'ok' : isMissed(s) ? 'bad' : ''}`}>{DELIVERY_WORDS[s][language()]}: {summary[s]}</span>)}
        </div>
      )}
      {missed && summary.missed.length > 0 && (
        <ul class='small missed'>{summary.missed.map((m) => <li key={m.deviceId}>✕ {m.name ?? m.deviceId} ({m.village}): {DELIVERY_WORDS[m.state][language()]}{reasonText(m.state, m.reason, language()) && ` — ${reasonText(m.state, m.reason, language())}`}</li>)}</ul>
      )}
      {/* An approver's own bulletin waits for another (service.ts): say so, or it looks stuck (the demo has one approver). */}
      {b.status === 'pending' && mine && me.mayApprove && <p class='small' data-waits-for-approver>{t('waitsForOtherApprover')}</p>}
      {reviewing && <Review b={b} onApprove={() => act('approve')} onReject={(comment) => act('reject', { comment })} />}
      <div class='alarm-actions'>
        {b.status === 'draft' && mine && <button type='button' onClick={() => act('submit')}>{t('submitForApproval')}</button>}
        {missed && me.mayApprove && <ResendButton id={b.id} />}
        {['draft', 'pending', 'scheduled', 'sent'].includes(b.status) && (mine || me.mayApprove) && (b.province ? <ProvinceCancel onCancel={(reason) => act('cancel', { reason })} /> : <button type='button' onClick={() => act('cancel')}>{t('cancelBroadcast')}</button>)}
        {summary.targeted > 0 && <button type='button' aria-expanded={open} onClick={() => setOpen(!open)}>{t('clusters')}</button>}
        {summary.targeted > 0 && <a href={`/api/broadcast-log?format=html&broadcast=${b.id}&lang=${language()}`} target='_blank' rel='noopener'>{t('logOfThis')}</a>}
      </div>
      {error && <p class='error' role='alert'>{error}</p>}
      {open && <Deliveries id={b.id} version={summary} />}
    </li>
  )
}

/** A bulletin from the province is never dropped silently: cancelling it asks why, and the reason goes up. */
function ProvinceCancel ({ onCancel }: { onCancel: (reason: string) => void }) {
  const [asking, setAsking] = useState(false)
  const [reason, setReason] = useState('')
  if (!asking) return <button type='button' onClick={() => setAsking(true)}>{t('cancelBroadcast')}</button>
  return (
    <span class='province-cancel'>
      <label>{t('cancelWhy')} <input value={reason} required maxLength={500} onInput={(e) => setReason((e.target as HTMLInputElement).value)} /></label>
      <button type='button' disabled={reason.trim() === ''} onClick={() => onCancel(reason.trim())}>{t('cancelBroadcast')}</button>
    </span>
  )
}

function scheduleText (b: Broadcast): string {
  const s = b.schedule
  switch (s.kind) {
    case 'now': return t('sch_now')
    case 'at': return `${t('sch_at')} ${dateTime(s.at)}`
    case 'daily': return `${t('sch_daily')} ${s.time}`
    case 'weekly': return `${t('sch_weekly')} ${s.time} (${s.days.map((d) => t('weekdays').split(',')[d - 1]).join(', ')})`
  }
}

/** What the approver releases: the words, the audio, priority, who hears it, when and for how long, who wrote it. */
function Review ({ b, onApprove, onReject }: { b: Broadcast; onApprove: () => void; onReject: (reason: string) => void }) {
  const [detail, setDetail] = useState<Detail | null>(null)
  const [rejecting, setRejecting] = useState(false)
  const [reason, setReason] = useState('')
  useEffect(() => { get<Detail>(`/api/broadcasts/${b.id}`).then(setDetail, () => undefined) }, [b.id])
  const targets = [...b.targets.villages, ...b.targets.groups.map((g) => `${t('groups')}: ${g}`), ...b.targets.devices]
  return (
    <div class='card review' data-review>
      <h3>{t('toReview')}</h3>
      <dl>
        <dt>{detail?.clip?.source === 'upload' ? t('audio') : t('spokenText')}</dt>
        <dd>{detail?.clip ? (detail.clip.text ? <blockquote data-text>{detail.clip.text}</blockquote> : t('uploadedAudio')) : t('loading')}</dd>
        <dt>{t('listen')}</dt><dd><audio controls preload='none' src={`/api/audio/${b.clipId}`} /> ({clipLength(b.durationMs)}{b.repeat > 1 ? ` × ${b.repeat}` : ''})</dd>
        <dt>{t('priority')}</dt><dd>{PRIORITY_SYMBOL[b.priority]} {w(`p_${b.priority}`)}</dd>
        <dt>{t('where')}</dt><dd>{b.targets.all ? t('wholeCommune') : targets.join(', ')}</dd>
        <dt>{t('reach')}</dt>
        <dd data-reach>{detail === null ? t('loading') : detail.reach === null ? t('targetsGone') : <>
          <strong>{detail.reach.count} {t('clusterCount')}</strong>: {detail.reach.villages.map((v) => `${v.village} (${v.clusters.length})`).join(', ')}
        </>}</dd>
        <dt>{t('schedule')}</dt><dd>{scheduleText(b)}</dd>
        <dt>{t('validUntil')}</dt><dd>{Math.round(b.ttlMs / 60_000)} {t('minutes')}</dd>
        <dt>{t('author')}</dt><dd>{actorName(b.createdBy)} · {dateTime(b.submittedAt ?? b.createdAt)}</dd>
      </dl>
      <div class='alarm-actions'>
        <button type='button' onClick={onApprove}>✓ {t('approve')}</button>
        {!rejecting && <button type='button' onClick={() => setRejecting(true)}>✕ {t('reject')}</button>}
      </div>
      {rejecting && (
        <form class='alarm-actions' onSubmit={(e) => { e.preventDefault(); onReject(reason) }}>
          <label>{t('rejectReason')} <textarea required rows={2} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
          <button type='submit' disabled={reason.trim() === ''}>✕ {t('confirmReject')}</button>
        </form>
      )}
    </div>
  )
}

function Deliveries ({ id, version }: { id: string; version: Summary }) {
  const live = useLive('speaker')
  const [rows, setRows] = useState<Delivery[] | null>(null)
  useEffect(() => { get<{ deliveries: Delivery[] }>(`/api/broadcasts/${id}`).then((b) => setRows(b.deliveries), () => setRows([])) }, [id, JSON.stringify(version)])
  if (!rows) return <p class='muted'>{t('loading')}</p>
  return (
    <div class='table-wrap'>
      <table class='list'>
        <thead><tr><th>{t('village')}</th><th>{t('device')}</th><th>{t('state')}</th><th>{t('start')}</th><th>{t('end')}</th><th>{t('reason')}</th></tr></thead>
        <tbody>{rows.map((d) => (
          <tr key={`${d.airingAt}-${d.deviceId}`}><td>{d.village}</td><td><a href={`#/device/${encodeURIComponent(d.deviceId)}`}>{live.device(d.deviceId)?.name ?? d.deviceId}</a></td>
            <td>{d.state === 'done' ? '✓ ' : isMissed(d.state) ? '✕ ' : '… '}{DELIVERY_WORDS[d.state][language()]}</td>
            <td>{dateTime(d.startedAt)}</td><td>{dateTime(d.finishedAt)}</td><td>{reasonText(d.state, d.reason, language())}</td></tr>
        ))}</tbody>
      </table>
    </div>
  )
}
