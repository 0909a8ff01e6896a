// A field's history as a line (mean per bucket) inside its min-max band, with the
// reservoir's threshold lines drawn across. The gateway downsamples: whatever the range,
// at most a few hundred buckets come over the wire.
import { useEffect, useRef, useState } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { HistoryBucket } from '../../../gateway/store/telemetry-store.js'
import { get } from '../api.js'
import { language, num, t, tickLabel } from '../i18n.js'
import { errorText } from '../errors.js'

export const RANGES = ['6h', '24h', '7d', '30d', '1y'] as const
export type Range = (typeof RANGES)[number]
export interface Threshold { label: string; value: number; colour: string }

interface History { unit: string | null; from: number; to: number; buckets: HistoryBucket[] }

const ZONE = 'Asia/Ho_Chi_Minh'

export function HistoryChart ({ deviceId, field, title, thresholds = [], initialRange = '24h' }: { deviceId: string; field: string; title: string; thresholds?: Threshold[]; initialRange?: Range }) {
  const [range, setRange] = useState<Range>(initialRange)
  const [data, setData] = useState<History | null>(null)
  const [error, setError] = useState<string | null>(null)
  const box = useRef<HTMLDivElement>(null)

  useEffect(() => {
    let cancelled = false
    setData(null)
    get<History>(`/api/devices/${encodeURIComponent(deviceId)}/history?field=${field}&range=${range}&points=300`)
      .then((h) => { if (!cancelled) { setData(h); setError(null) } }, (err: Error) => { if (!cancelled) setError(errorText(err)) })
    return () => { cancelled = true }
  }, [deviceId, field, range])

  useEffect(() => {
    const el = box.current
    if (!el || !data || data.buckets.length === 0) return
    const b = data.buckets
    const values = [...b.map((x) => x.min), ...b.map((x) => x.max), ...thresholds.map((x) => x.value)]
    const lo = Math.min(...values)
    const hi = Math.max(...values)
    const pad = (hi - lo) * 0.08 || 1
    const plot = new uPlot({
      width: el.clientWidth,
      height: 260,
      ms: 1,
      tzDate: (ts) => uPlot.tzDate(new Date(ts), ZONE),
      // The whole range asked for, so "24 h" always looks like 24 hours, whatever has data.
      scales: { x: { time: true, range: [data.from, data.to] }, y: { range: [lo - pad, hi + pad] } },
      axes: [{ values: (_u, ticks) => ticks.map((ms) => tickLabel(ms, data.to - data.from)) }, { values: (_u, ticks) => ticks.map((v) => num(v, 2)) }],
      legend: { show: false },
      series: [
        {},
        { label: 'min', stroke: '#9fb3c8', width: 1 },
        { label: 'mean', stroke: '#0b5cad', width: 2 },
        { label: 'max', stroke: '#9fb3c8', width: 1 }
      ],
      bands: [{ series: [3, 1], fill: 'rgba(11,92,173,0.10)' }],
      hooks: { draw: [(u) => drawThresholds(u, thresholds)] }
    }, [b.map((x) => x.t), b.map((x) => x.min), b.map((x) => x.mean), b.map((x) => x.max)], el)
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 260 }))
    resize.observe(el)
    return () => { resize.disconnect(); plot.destroy() }
  }, [data, JSON.stringify(thresholds)])

  const last = data?.buckets[data.buckets.length - 1]
  return (
    <section class='chart' aria-label={`${t('history')}: ${title}`}>
      <div class='chart-head'>
        <h3>{title}{data?.unit ? ` (${data.unit})` : ''}</h3>
        <div class='ranges' role='group' aria-label={t('history')}>
          {RANGES.map((r) => <button key={r} type='button' aria-pressed={r === range} onClick={() => setRange(r)}>{r}</button>)}
        </div>
      </div>
      {error && <p class='error' role='alert'>{error}</p>}
      {!data && !error && <p class='muted'>{t('loading')}</p>}
      {data && data.buckets.length === 0 && <p class='muted'>{t('noData')}</p>}
      <div ref={box} class='plot' data-points={data?.buckets.length ?? 0} />
      {last && <p class='sr-summary'>{title}: {num(last.mean, 2)} {data?.unit ?? ''}</p>}
      <CsvExport deviceId={deviceId} field={field} range={range} />
      {thresholds.length > 0 && (
        <ul class='legend'>
          {thresholds.map((th) => <li key={th.label}><span class='swatch' style={{ borderColor: th.colour }} />{th.label}: {num(th.value, 2)} {data?.unit ?? ''}</li>)}
        </ul>
      )}
    </section>
  )
}

/** The readings of the shown range, or of any dates chosen, as a CSV file. */
function CsvExport ({ deviceId, field, range }: { deviceId: string; field: string; range: Range }) {
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  // Dates are days in Vietnam's time: from its midnight to the next midnight after "to".
  const day = (d: string, plus = 0) => new Date(Date.parse(`${d}T00:00:00+07:00`) + plus * 86_400_000).toISOString()
  const span = from && to && from <= to ? `from=${encodeURIComponent(day(from))}&to=${encodeURIComponent(day(to, 1))}` : `range=${range}`
  const href = `/api/devices/${encodeURIComponent(deviceId)}/history?field=${field}&${span}&points=2000&format=csv&lang=${language()}`
  return (
    <div class='csv-export filters'>
      <label>{t('logFrom')} <input type='date' value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
      <label>{t('logTo')} <input type='date' value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
      <a class='button' href={href} download>{t('downloadCsv')} ({from && to ? `${from} → ${to}` : range})</a>
    </div>
  )
}

function drawThresholds (u: uPlot, thresholds: readonly Threshold[]): void {
  const ctx = u.ctx
  ctx.save()
  ctx.lineWidth = 2 * devicePixelRatio
  ctx.setLineDash([8 * devicePixelRatio, 4 * devicePixelRatio])
  ctx.font = `${12 * devicePixelRatio}px sans-serif`
  for (const th of thresholds) {
    const y = u.valToPos(th.value, 'y', true)
    ctx.strokeStyle = th.colour
    ctx.beginPath()
    ctx.moveTo(u.bbox.left, y)
    ctx.lineTo(u.bbox.left + u.bbox.width, y)
    ctx.stroke()
    ctx.fillStyle = th.colour
    // Right-aligned above the line: clear of the y axis and of the newest readings' labels.
    ctx.textAlign = 'right'
    ctx.fillText(th.label, u.bbox.left + u.bbox.width - 4 * devicePixelRatio, y - 4 * devicePixelRatio)
  }
  ctx.restore()
}
