// The operators' page: each station's level against its reservoir's alarm levels, how fast
// it rises, when it reaches the next level, and the history with the thresholds drawn, opened
// on the last 6 h while a level is crossed or the water rises fast.
import { useState } from 'preact/hooks'
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import type { LevelOutlook } from '../../../gateway/kinds/behaviour/behaviour.js'
import { AttentionBadges, OnlineBadge } from '../components/badges.js'
import type { Alarm } from '../../../gateway/alarms/catalog.js'
import { inWords, trendWords } from '../../../gateway/alarms/time-words.js'
import { HistoryChart, type Range, type Threshold } from '../components/history-chart.js'
import { ago, language, num, t } from '../i18n.js'
import { useLive } from '../live.js'

const COLOURS = { level1M: '#b7791f', level2M: '#c05621', level3M: '#c53030', designFloodM: '#702459', checkFloodM: '#44337a', normalM: '#2f855a' } as const

/** The reservoir's alarm and reference levels as chart lines. */
export function thresholdsOf (d: DeviceView): Threshold[] {
  const r = d.reservoir
  if (!r) return []
  const levels: Array<[keyof typeof COLOURS, number | undefined]> = [
    ['normalM', r.referenceLevels.normalM], ['level1M', r.alarmLevels.level1M], ['level2M', r.alarmLevels.level2M],
    ['level3M', r.alarmLevels.level3M], ['designFloodM', r.referenceLevels.designFloodM]
  ]
  return levels.filter((l): l is [keyof typeof COLOURS, number] => l[1] !== undefined).map(([name, value]) => ({ label: t(name), value, colour: COLOURS[name] }))
}

export const ARROW = { up: '↑', down: '↓', steady: '→' } as const

/** A station's level outlook (every water station has one; other kinds have theirs). */
const levelOutlook = (d: DeviceView): LevelOutlook | null => (d.outlook && 'cmPerHour' in d.outlook ? d.outlook : null)
/** Above this the trend is shown as a danger (the default of the rapid-rise alarm is 20 cm/h). */
const FAST_CM_PER_H = 5

/** The trend in words that follow the sign of the slope (issue #15). */
function Trend ({ d }: { d: DeviceView }) {
  const rate = levelOutlook(d)?.cmPerHour ?? null
  const trend = trendWords(rate, language())
  if (rate === null || !trend) return <span class='muted'>{t('unknownTrend')}</span>
  return <span class={rate > FAST_CM_PER_H ? 'bad-text' : ''} data-trend={trend.direction}>{ARROW[trend.direction]} {trend.word}</span>
}

/** The chart opens on the last 6 h when a line is crossed or the water rises fast: the event fills it (issue #15). */
export function eventRange (d: DeviceView, alarms: Iterable<Alarm>): Range {
  for (const a of alarms) if (a.deviceId === d.id && (a.type === 'water_level' || a.type === 'rapid_rise')) return '6h'
  return d.attention.some((x) => x.code === 'water_level') ? '6h' : '24h'
}

export function WaterView () {
  const live = useLive('water_sensor')
  const alarms = useLive('alarms').alarms
  const stations = live.list('water_sensor').sort((a, b) => b.attention.length - a.attention.length || a.name.localeCompare(b.name, 'vi'))
  const [selected, setSelected] = useState<string | null>(null)
  const chosen = stations.find((s) => s.id === selected) ?? stations[0]
  return (
    <div>
      <h1>{t('water')}</h1>
      <div class='stations'>
        {stations.map((d) => {
          const level = d.latest.levelM?.value
          const next = levelOutlook(d)?.next
          return (
            <article key={d.id} class={`station ${d.attention.length > 0 ? 'has-problem' : ''} ${chosen?.id === d.id ? 'chosen' : ''}`}>
              <h2><a href={`#/device/${encodeURIComponent(d.id)}`}>{d.name}</a></h2>
              <p class='muted small'>{d.reservoir?.name ?? '—'} · {d.village}</p>
              <p class='big' data-testid={`level-${d.id}`}>{typeof level === 'number' ? `${num(level, 2)} m` : '—'}</p>
              <p>{t('trend')}: <Trend d={d} /></p>
              {next && <p>{t('nextLevel')}: {t(next.name)} {num(next.levelM, 2)} m{next.hours !== null ? ` — ${inWords(next.hours, language())}` : ''}</p>}
              <p><OnlineBadge device={d} /> <span class='muted small'>{ago(d.lastSeen)}</span></p>
              <AttentionBadges attention={d.attention} />
              <button type='button' aria-pressed={chosen?.id === d.id} onClick={() => setSelected(d.id)}>{t('history')}</button>
            </article>
          )
        })}
      </div>
      {chosen && <HistoryChart key={chosen.id} deviceId={chosen.id} field='levelM' title={`${t('level')} — ${chosen.name}`} thresholds={thresholdsOf(chosen)} initialRange={eventRange(chosen, alarms.values())} />}
    </div>
  )
}
