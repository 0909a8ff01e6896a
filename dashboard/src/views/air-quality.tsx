// The air page: each station's VN_AQI of the last hour in its band's colour with the band's
// Vietnamese name, the pollutant that set it, the guideline's advice, the 24 hours before it
// as coloured bars (the trend) and yesterday's daily index; then a pollutant's history.
// Colour is never alone: the number, the band's name and the arrow say the same.
import { useState } from 'preact/hooks'
import { AQI_BANDS, bandOf, type AqiBand } from '../../../gateway/aqi/bands.js'
import { BREAKPOINTS, POLLUTANT_INFO } from '../../../gateway/aqi/breakpoints.js'
import { POLLUTANT_FIELDS } from '../../../gateway/aqi/fields.js'
import type { AirOutlook } from '../../../gateway/aqi/outlook.js'
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import { AttentionBadges, OnlineBadge } from '../components/badges.js'
import { HistoryChart, type Threshold } from '../components/history-chart.js'
import { ago, hourMinute, language, t } from '../i18n.js'
import { kindPageTitle } from '../kind-pages.js'
import { useLive } from '../live.js'
import { ARROW } from './water.js'

const airOutlook = (d: DeviceView): AirOutlook | null => (d.outlook && 'trend' in d.outlook ? d.outlook : null)
/** Dark text on the light bands (green, yellow, orange), white on the dark ones. */
const inkOn = (band: AqiBand): string => (band.rgb[0] * 0.299 + band.rgb[1] * 0.587 + band.rgb[2] * 0.114 > 150 ? '#111' : '#fff')
const DIRECTION_WORD = { up: 'aqiUp', down: 'aqiDown', steady: 'aqiSteady' } as const

/** PM2.5's breakpoints (Bảng 2) drawn on its chart, each in the colour of the band it opens. */
const pm25Lines = (): Threshold[] => BREAKPOINTS.pm25.slice(1, AQI_BANDS.length).map((value, i) => {
  const band = AQI_BANDS[i + 1] ?? AQI_BANDS[0]!
  return { label: band.name[language()], value, colour: band.hex }
})

function IndexBadge ({ aqi, testId }: { aqi: number; testId: string }) {
  const band = bandOf(aqi)
  return (
    <span class='aqi' data-testid={testId} data-band={band.id} style={{ background: band.hex, color: inkOn(band) }}>
      <b>{aqi}</b> {band.name[language()]}
    </span>
  )
}

/** The 24 hours before, one bar each, as tall as the index and in its band's colour. */
function TrendBars ({ outlook, id }: { outlook: AirOutlook; id: string }) {
  const top = Math.max(200, ...outlook.trend.map((p) => p.aqi ?? 0))
  return (
    <div class='aqi-trend' data-testid={`trend-${id}`} role='img' aria-label={`${t('aqiTrend')}: ${outlook.trend.map((p) => p.aqi ?? '—').join(', ')}`}>
      {outlook.trend.map((p) => p.aqi === null
        ? <span key={p.hourStart} class='bar none' />
        : <span key={p.hourStart} class='bar' title={`${hourMinute(p.hourStart)}: ${p.aqi}`} style={{ height: `${Math.max(4, 100 * p.aqi / top)}%`, background: bandOf(p.aqi).hex }} />)}
    </div>
  )
}

function Station ({ d, chosen, choose }: { d: DeviceView; chosen: boolean; choose: () => void }) {
  const o = airOutlook(d)
  const hourly = o?.hourly ?? null
  const band = hourly ? bandOf(hourly.aqi) : null
  return (
    <article class={`station ${d.attention.length > 0 ? 'has-problem' : ''} ${chosen ? 'chosen' : ''}`}>
      <h2><a href={`#/device/${encodeURIComponent(d.id)}`}>{d.name}</a></h2>
      <p class='muted small'>{d.village}</p>
      {hourly && band
        ? (
          <>
            <p class='big'><IndexBadge aqi={hourly.aqi} testId={`aqi-${d.id}`} /></p>
            <p class='small'>{t('aqiHourly')} {hourMinute(hourly.hourStart)}–{hourMinute(hourly.hourStart + 3_600_000)} · {t('dominant')}: {POLLUTANT_INFO[hourly.dominant].label}{hourly.beyond ? ` · ${t('aqiBeyond')}` : ''}</p>
            {o?.direction && <p data-trend={o.direction}>{ARROW[o.direction]} {t(DIRECTION_WORD[o.direction])}</p>}
            <p class='small'><b>{t('adviceGeneral')}:</b> {band.adviceGeneral[language()]}</p>
            <p class='small'><b>{t('adviceSensitive')}:</b> {band.adviceSensitive[language()]}</p>
          </>
        )
        : <p class='muted' data-testid={`aqi-${d.id}`}>{t('noIndex')}</p>}
      {o && <TrendBars outlook={o} id={d.id} />}
      {o?.yesterday && <p class='small'>{t('aqiYesterday')}: <IndexBadge aqi={o.yesterday.aqi} testId={`aqi-day-${d.id}`} /></p>}
      <p><OnlineBadge device={d} /> <span class='muted small'>{ago(d.lastSeen)}</span></p>
      <AttentionBadges attention={d.attention} />
      <button type='button' aria-pressed={chosen} onClick={choose}>{t('history')}</button>
    </article>
  )
}

export function AirView () {
  const live = useLive('air_quality')
  // The worst air first: that is where someone has to act.
  const stations = live.list('air_quality').sort((a, b) => (airOutlook(b)?.hourly?.aqi ?? -1) - (airOutlook(a)?.hourly?.aqi ?? -1) || a.name.localeCompare(b.name, 'vi'))
  const [selected, setSelected] = useState<string | null>(null)
  const chosen = stations.find((s) => s.id === selected) ?? stations[0]
  return (
    <div>
      <h1>{kindPageTitle('air_quality')}</h1>
      <p class='muted small'>{t('aqiSource')}</p>
      <div class='stations'>
        {stations.map((d) => <Station key={d.id} d={d} chosen={chosen?.id === d.id} choose={() => setSelected(d.id)} />)}
      </div>
      {chosen && <HistoryChart key={chosen.id} deviceId={chosen.id} field={POLLUTANT_FIELDS.pm25} title={`PM2.5 — ${chosen.name}`} thresholds={pm25Lines()} initialRange='24h' />}
    </div>
  )
}
