// Offline raster tiles under the map's markers, when the admin has put some on the box
// (GATEWAY_MAP_TILES_DIR, issue #15): never a tile server, the box is often offline. The plan
// keeps its own projection (latitude linear, longitude squeezed by cos(latitude)); each tile
// is placed by its corners through it. At a commune's scale a tile's Mercator curve is far
// below a pixel, so the tiles meet without seams.
import { useEffect, useState } from 'preact/hooks'
import { get } from '../api.js'

export interface Plan { x (lon: number): number; y (lat: number): number; lon (x: number): number; lat (y: number): number; width: number; height: number }
interface TileInfo { available: boolean; zoom: number }

// Asked once per page load: the setting does not change while the gateway runs.
let asked: Promise<TileInfo> | null = null
export function useTileInfo (): TileInfo | null {
  const [info, setInfo] = useState<TileInfo | null>(null)
  useEffect(() => {
    asked ??= get<TileInfo>('/api/map/tiles').catch(() => ({ available: false, zoom: 0 }))
    void asked.then(setInfo)
  }, [])
  return info
}

const MAX_TILES = 400
const tileX = (lon: number, n: number) => Math.floor((lon + 180) / 360 * n)
const tileY = (lat: number, n: number) => Math.floor((1 - Math.asinh(Math.tan(lat * Math.PI / 180)) / Math.PI) / 2 * n)
const tileLon = (x: number, n: number) => x / n * 360 - 180
const tileLat = (y: number, n: number) => Math.atan(Math.sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI

/** The tiles that cover the plan, at the set zoom or, when that would be too many, a coarser one. */
export function tilesFor (plan: Plan, zoom: number): Array<{ z: number; x: number; y: number; left: number; top: number; w: number; h: number }> {
  for (let z = zoom; z >= 1; z--) {
    const n = 2 ** z
    const [x0, x1] = [tileX(plan.lon(0), n), tileX(plan.lon(plan.width), n)]
    const [y0, y1] = [tileY(plan.lat(0), n), tileY(plan.lat(plan.height), n)]
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES) continue
    const tiles = []
    for (let x = Math.max(0, x0); x <= Math.min(n - 1, x1); x++) {
      for (let y = Math.max(0, y0); y <= Math.min(n - 1, y1); y++) {
        const left = plan.x(tileLon(x, n))
        const top = plan.y(tileLat(y, n))
        tiles.push({ z, x, y, left, top, w: plan.x(tileLon(x + 1, n)) - left, h: plan.y(tileLat(y + 1, n)) - top })
      }
    }
    return tiles
  }
  return []
}

export function Tiles ({ plan, zoom }: { plan: Plan; zoom: number }) {
  return (
    <g class='tiles' aria-hidden='true'>
      {tilesFor(plan, zoom).map((t) => (
        <image key={`${t.z}/${t.x}/${t.y}`} href={`/api/map/tiles/${t.z}/${t.x}/${t.y}.png`} x={t.left} y={t.top} width={t.w} height={t.h} preserveAspectRatio='none' />
      ))}
    </g>
  )
}
