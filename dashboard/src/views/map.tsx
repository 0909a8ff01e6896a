// Devices on a plain plan by latitude and longitude: no tile server, so it works when the
// box is offline; under them, the admin's offline tiles when there are some (map-tiles.tsx). Shape tells the kind, colour and symbol tell the state. Zoom and pan with
// the buttons, the wheel, a drag or two fingers (pan-zoom.ts).
import type { DeviceKind } from '../../../gateway/contract/kinds.js'
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import { kindName, t } from '../i18n.js'
import { useLive } from '../live.js'
import { KindLegendShape, KindShape } from '../kind-pages.js'
import { Tiles, useTileInfo } from './map-tiles.js'
import { usePanZoom } from './pan-zoom.js'

const W = 1000
const H = 640
const PAD = 40

function state (d: DeviceView): 'ok' | 'warn' | 'bad' {
  if (!d.online) return 'bad'
  return d.attention.length > 0 ? 'warn' : 'ok'
}
const SYMBOL = { ok: '✓', warn: '!', bad: '✕' } as const

function Marker ({ d, x, y }: { d: DeviceView; x: number; y: number }) {
  const s = state(d)
  const label = `${d.name} — ${kindName(d.kind)} — ${d.online ? t('online') : t('offline')}${d.attention.length ? ` (${d.attention.length})` : ''}`
  return (
    <a href={`#/device/${encodeURIComponent(d.id)}`} aria-label={label}>
      <title>{label}</title>
      <g class={`marker ${s}`} transform={`translate(${x},${y})`}>
        <KindShape kind={d.kind} />
        <text y='4' text-anchor='middle'>{SYMBOL[s]}</text>
      </g>
    </a>
  )
}

export function MapView ({ kinds }: { kinds: readonly DeviceKind[] }) {
  const live = useLive(...kinds)
  const pz = usePanZoom(W, H)
  const tiles = useTileInfo()
  const devices = kinds.flatMap((k) => live.list(k))
  const placed = devices.filter((d) => d.lat !== null && d.lon !== null)
  if (placed.length === 0) return <div><h1>{t('map')}</h1><p class='muted'>{t('noLocation')}</p></div>
  const lats = placed.map((d) => d.lat!)
  const lons = placed.map((d) => d.lon!)
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)]
  // Equirectangular with the longitude squeezed by cos(latitude): true shapes at a commune's scale.
  const squeeze = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180)
  const spanX = Math.max((maxLon - minLon) * squeeze, 1e-4)
  const spanY = Math.max(maxLat - minLat, 1e-4)
  const scale = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY)
  const x = (lon: number) => PAD + (lon - minLon) * squeeze * scale
  const y = (lat: number) => H - PAD - (lat - minLat) * scale
  const plan = { x, y, lon: (px: number) => minLon + (px - PAD) / (squeeze * scale), lat: (py: number) => minLat + (H - PAD - py) / scale, width: W, height: H }
  const villages = new Map<string, { lat: number; lon: number; n: number }>()
  for (const d of placed) {
    const v = villages.get(d.village) ?? { lat: 0, lon: 0, n: 0 }
    villages.set(d.village, { lat: v.lat + d.lat!, lon: v.lon + d.lon!, n: v.n + 1 })
  }
  return (
    <div>
      <h1>{t('map')}</h1>
      <p class='muted small'>{tiles?.available ? t('mapTilesNote') : t('mapNote')} {placed.length}/{devices.length}</p>
      <ul class='legend'>
        {kinds.map((kind) => <li key={kind}><KindLegendShape kind={kind} /> {kindName(kind)}</li>)}
        <li>✓ {t('online')} · ! {t('needsAttention')} · ✕ {t('offline')}</li>
      </ul>
      <div class='map-tools' role='group' aria-label={t('map')}>
        <button type='button' onClick={pz.zoomIn} aria-label={t('zoomIn')}>+</button>
        <button type='button' onClick={pz.zoomOut} aria-label={t('zoomOut')}>−</button>
        <button type='button' onClick={pz.reset} aria-label={t('zoomReset')} disabled={!pz.zoomed}>⟲</button>
      </div>
      <svg class='plan' ref={pz.svg} viewBox={`${pz.view.x} ${pz.view.y} ${pz.view.w} ${pz.view.h}`} role='img' aria-label={t('map')} {...pz.handlers}>
        <rect width={W} height={H} class='plan-bg' />
        {tiles?.available && <Tiles plan={plan} zoom={tiles.zoom} />}
        {[...villages].map(([name, v]) => (
          <text key={name} class='village-label' x={x(v.lon / v.n)} y={y(v.lat / v.n) - 16} text-anchor='middle'>{name}</text>
        ))}
        {placed.map((d) => <Marker key={d.id} d={d} x={x(d.lon!)} y={y(d.lat!)} />)}
      </svg>
    </div>
  )
}
