// The operators' page: each station's level against its reservoir's alarm levels, how fast
// it rises, when it reaches the next level, and the history with the thresholds drawn.
import { useState } from 'preact/hooks'
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import { AttentionBadges, OnlineBadge } from '../components/badges.js'
import { HistoryChart, type Threshold } from '../components/history-chart.js'
import { ago, num, t } from '../i18n.js'
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

function Trend ({ d }: { d: DeviceView }) {
  const rate = d.outlook?.cmPerHour ?? null
  if (rate === null) return <span class='muted'>{t('unknownTrend')}</span>
  const word = rate > 0.5 ? t('rising') : rate < -0.5 ? t('falling') : t('steady')
  const arrow = rate > 0.5 ? '↑' : rate < -0.5 ? '↓' : '→'
  return <span class={rate > 5 ? 'bad-text' : ''}>{arrow} {num(rate, 1)} cm/h ({word})</span>
}

export function WaterView () {
  const live = useLive('water_sensor')
  const stations = live.list('water_sensor').sort((a, b) => b.attention.length - a.attention.length || a.name.localeCompare(b.name, 'vi'))
  const [selected, setSelected] = useState<string | null>(null)
  const chosen = stations.find((s) => s.id === selected) ?? stations[0]
  return (
    <div>
      <h1>{t('water')}</h1>
      <div class='stations'>
        {stations.map((d) => {
          const level = d.latest.levelM?.value
          const next = d.outlook?.next
          return (
            <article key={d.id} class={`station ${d.attention.length > 0 ? 'has-problem' : ''} ${chosen?.id === d.id ? 'chosen' : ''}`}>
              <h2><a href={`#/device/${encodeURIComponent(d.id)}`}>{d.name}</a></h2>
              <p class='muted small'>{d.reservoir?.name ?? '—'} · {d.village}</p>
              <p class='big' data-testid={`level-${d.id}`}>{typeof level === 'number' ? `${num(level, 2)} m` : '—'}</p>
              <p>{t('trend')}: <Trend d={d} /></p>
              {next && <p>{t('nextLevel')}: {t(next.name)} {num(next.levelM, 2)} m{next.hours !== null ? ` — ${t('reachedIn')} ${num(next.hours, 1)} h` : ''}</p>}
              <p><OnlineBadge device={d} /> <span class='muted small'>{ago(d.lastSeen)}</span></p>
              <AttentionBadges attention={d.attention} />
              <button type='button' aria-pressed={chosen?.id === d.id} onClick={() => setSelected(d.id)}>{t('history')}</button>
            </article>
          )
        })}
      </div>
      {chosen && <HistoryChart key={chosen.id} deviceId={chosen.id} field='levelM' title={`${t('level')} — ${chosen.name}`} thresholds={thresholdsOf(chosen)} />}
    </div>
  )
}
