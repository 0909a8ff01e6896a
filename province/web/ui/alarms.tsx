// The province's alarms page: the province-wide alarms (staff acknowledge them) and every
// commune's open alarms. A flood warning a village did not play in full (issue #19) says
// which village, how many of its clusters played it, which did not and why, and how far it
// has escalated and when it last did: the province's staff see there that nobody has
// acknowledged it yet, not only in the service's log.
import { useEffect, useState } from 'preact/hooks'
import { api, get } from '../../../dashboard/src/api.js'
import { dateTime, language } from '../../../dashboard/src/i18n.js'
import { ALARM_TYPES } from '../../../gateway/alarms/catalog.js'
import type { Me } from './bulletins.js'
import { ruleName, w } from './words.js'

interface MissedCluster { id: string; name: string | null; state: string; reason: string | null }
interface FloodDetails { title?: string; communeName?: string; village?: string; done?: number; targeted?: number; clusters?: MissedCluster[] }
interface ProvinceAlarm {
  id: string; rule: string; subject: string; details: FloodDetails | null; raisedAt: string
  acknowledgedBy: string | null; escalation: number; escalatedAt: string | null
}
interface CommuneAlarm { commune: string; alarmId: string; type: string; severity: string; subject: string; deviceId: string | null; startedAt: string | null }

/** The rule whose alarms escalate until acknowledged (province/bulletins/escalation.ts). */
const ESCALATING = 'flood_warning_unplayed'

/** A commune alarm's name from the gateway's own catalogue, in the reader's language. */
const alarmName = (type: string): string => {
  const entry = (ALARM_TYPES as Record<string, { vi: string; en: string } | undefined>)[type]
  return entry ? entry[language()] : type
}

function Escalation ({ a }: { a: ProvinceAlarm }) {
  if (a.rule !== ESCALATING && a.escalation === 0) return null
  const when = a.escalatedAt === null ? w('notEscalated') : `${w('lastEscalated')} ${dateTime(Number(a.escalatedAt))}`
  return <span class={a.escalation > 0 ? 'badge bad' : 'badge'} data-escalation={a.escalation}>{w('escalation')}: {a.escalation} · {when}</span>
}

function FloodVillage ({ d }: { d: FloodDetails }) {
  return (
    <div class='small' data-flood-village>
      {d.communeName} — {d.village}: {d.done ?? 0}/{d.targeted ?? 0} {w('clusters')} {w('playedInFull')} · {d.title}
      {(d.clusters ?? []).length > 0 && <ul>{d.clusters!.map((c) => <li key={c.id}>{c.name ?? c.id}: {c.reason ?? c.state}</li>)}</ul>}
    </div>
  )
}

function ProvinceAlarmItem ({ a, me, reload }: { a: ProvinceAlarm; me: Me; reload: () => void }) {
  return (
    <li class='card' data-rule={a.rule} data-subject={a.subject}>
      <strong>{ruleName(a.rule)}</strong> — {a.subject} <span class='muted small'>{dateTime(Number(a.raisedAt))}</span>{' '}
      <Escalation a={a} />{' '}
      {a.acknowledgedBy ? <span class='ok-note'>{w('acknowledged')}: {a.acknowledgedBy}</span>
        : me.role === 'staff' && <button type='button' onClick={() => { void api('POST', `/api/alarms/${a.id}/acknowledge`).then(reload) }}>{w('acknowledge')}</button>}
      {a.rule === ESCALATING && a.details && <FloodVillage d={a.details} />}
    </li>
  )
}

export function Alarms ({ me }: { me: Me }) {
  const [data, setData] = useState<{ province: ProvinceAlarm[]; communes: CommuneAlarm[] } | null>(null)
  const load = (): void => { get<{ province: ProvinceAlarm[]; communes: CommuneAlarm[] }>('/api/alarms').then(setData, () => setData({ province: [], communes: [] })) }
  useEffect(() => { load(); const t = setInterval(load, 5000); return () => clearInterval(t) }, [])
  if (!data) return <p class='muted'>{w('loading')}</p>
  return (
    <section>
      <h1>{w('alarms')}</h1>
      <h2>{w('provinceAlarms')}</h2>
      {data.province.length === 0 && <p class='muted'>{w('none')}</p>}
      <ul class='province-alarms'>
        {data.province.map((a) => <ProvinceAlarmItem key={a.id} a={a} me={me} reload={load} />)}
      </ul>
      <h2>{w('communeAlarms')}</h2>
      <table>
        <tbody>
          {data.communes.map((a) => <tr key={`${a.commune}-${a.alarmId}`}><td><a href={`#/commune/${a.commune}`}>{a.commune}</a></td><td>{alarmName(a.type)}</td><td>{a.severity}</td><td>{a.deviceId ?? a.subject}</td><td>{dateTime(a.startedAt === null ? null : Number(a.startedAt))}</td></tr>)}
        </tbody>
      </table>
    </section>
  )
}
