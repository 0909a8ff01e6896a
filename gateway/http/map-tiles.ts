// Offline map tiles (issue #15 point 6): the box is often offline, so the map never asks a
// tile server; an admin who has tiles of the commune (exported once, as Z/X/Y.png in the
// OpenStreetMap scheme) puts them in a folder and sets GATEWAY_MAP_TILES_DIR. Anyone who may
// see the map may fetch them. Only digits reach the file system: no path from the request.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Router } from 'express'
import { GatewayError } from '../errors.js'
import { z } from 'zod'
import { allow } from './access.js'
import { doc } from './describe.js'

export interface MapTileDeps {
  mapTiles: { dir: string | null; zoom: number }
}

const whole = (s: string): number | null => /^\d{1,7}$/.test(s) ? Number(s) : null

export function mapTileRoutes (deps: MapTileDeps): Router {
  const router = Router()
  const dir = deps.mapTiles.dir === null ? null : resolve(deps.mapTiles.dir)

  router.get('/map/tiles', allow('devices.read'), doc({ summary: 'Whether the box has offline map tiles, and at which zoom the map draws them', answer: z.object({ available: z.boolean(), zoom: z.number().int() }) }), (_req, res) => {
    res.json({ available: dir !== null, zoom: deps.mapTiles.zoom })
  })

  router.get('/map/tiles/:z/:x/:file', allow('devices.read'), doc({ summary: 'One offline map tile (Z/X/Y.png, OpenStreetMap scheme) from GATEWAY_MAP_TILES_DIR', answers: [{ status: 200, media: 'image/png' }] }), (req, res) => {
    const z = whole(String(req.params.z))
    const x = whole(String(req.params.x))
    const y = whole(String(req.params.file).replace(/\.png$/, ''))
    if (z === null || x === null || y === null || !String(req.params.file).endsWith('.png') || z > 22 || x >= 2 ** z || y >= 2 ** z) {
      throw new GatewayError('VALIDATION', 'a tile is /api/map/tiles/Z/X/Y.png with whole numbers, X and Y below 2^Z')
    }
    if (!dir) throw new GatewayError('NOT_FOUND', 'no map tiles on this box (GATEWAY_MAP_TILES_DIR)')
    const file = join(dir, String(z), String(x), `${y}.png`)
    if (!existsSync(file)) throw new GatewayError('NOT_FOUND', `no tile ${z}/${x}/${y}`)
    res.set('Cache-Control', 'private, max-age=86400').type('image/png').sendFile(file)
  })

  return router
}
