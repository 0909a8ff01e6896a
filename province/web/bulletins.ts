// /api/bulletins: the province composes, approves and follows its bulletins. Staff compose
// (text the boxes speak, or an uploaded MP3/WAV); staff who may approve release others' and
// send an emergency at once; everyone who may see loudspeakers (staff, culture viewers)
// follows them per commune and village. Audio uploads go to PostgreSQL (bulletins/audio.ts).
import express, { Router } from 'express'
import type pg from 'pg'
import { MAX_UPLOAD_BYTES } from '../../gateway/broadcasts/audio.js'
import { storeAudio } from '../bulletins/audio.js'
import type { ProvinceBulletins, Who } from '../bulletins/compose.js'
import { basinMap, removeBasinStation, setBasinStation } from '../bulletins/flood.js'
import { bulletinList, bulletinView } from '../bulletins/view.js'
import { kindsFor } from './accounts.js'
import { HttpError, wrap, type Authed } from './http.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function bulletinRoutes (pool: pg.Pool, bulletins: ProvinceBulletins, pushBasin: () => Promise<unknown>): Router {
  const router = Router()
  const who = (req: Authed): Who => ({ username: req.user!.username, role: req.user!.role, mayApprove: req.user!.role === 'staff' && req.user!.mayApprove })
  const reader = (req: Authed): void => {
    if (!kindsFor(req.user!).includes('speaker')) throw new HttpError(403, 'PROV_ERR_FORBIDDEN', 'bulletins are not in your department')
  }
  const idOf = (req: Authed): string => {
    const id = String(req.params.id)
    if (!UUID.test(id)) throw new HttpError(400, 'PROV_ERR_VALIDATION', 'not a bulletin id')
    return id
  }
  const staff = (req: Authed): void => {
    if (req.user!.role !== 'staff') throw new HttpError(403, 'PROV_ERR_FORBIDDEN', 'only provincial staff compose bulletins')
  }

  router.get('/bulletins', wrap(async (req, res) => { reader(req); res.json(await bulletinList(pool)) }))
  router.get('/bulletins/:id', wrap(async (req, res) => {
    reader(req)
    const view = await bulletinView(pool, idOf(req))
    if (!view) throw new HttpError(404, 'PROV_ERR_NOT_FOUND', 'no such bulletin')
    res.json(view)
  }))
  router.post('/bulletins/audio', express.raw({ type: ['audio/mpeg', 'audio/wav', 'audio/x-wav', 'application/octet-stream'], limit: MAX_UPLOAD_BYTES }), wrap(async (req, res) => {
    staff(req)
    if (!Buffer.isBuffer(req.body)) throw new HttpError(415, 'PROV_ERR_MEDIA_TYPE', 'send the file as audio/mpeg or audio/wav')
    res.status(201).json(await storeAudio(pool, req.body, req.user!.username))
  }))
  router.post('/bulletins', wrap(async (req, res) => {
    staff(req)
    const id = await bulletins.compose(req.body, who(req))
    res.status(201).json(await bulletinView(pool, id))
  }))
  for (const action of ['approve', 'reject'] as const) {
    router.post(`/bulletins/:id/${action}`, wrap(async (req, res) => {
      const id = idOf(req)
      const comment = (req.body as { comment?: unknown } | undefined)?.comment
      if (comment !== undefined && (typeof comment !== 'string' || comment.length > 500)) throw new HttpError(400, 'PROV_ERR_VALIDATION', 'comment: text of at most 500 characters')
      if (action === 'approve') await bulletins.approve(id, who(req), comment ?? null)
      else await bulletins.reject(id, who(req), comment ?? null)
      res.json(await bulletinView(pool, id))
    }))
  }
  // The basin map: each station's downstream villages with their communes; every change is pushed to the boxes.
  router.get('/basin-stations', wrap(async (_req, res) => { res.json(await basinMap(pool)) }))
  router.put('/basin-stations', wrap(async (req, res) => {
    staff(req)
    const station = await setBasinStation(pool, req.body)
    await pushBasin()
    res.json(station)
  }))
  router.delete('/basin-stations/:commune/:stationId', wrap(async (req, res) => {
    staff(req)
    if (!await removeBasinStation(pool, String(req.params.commune), String(req.params.stationId))) throw new HttpError(404, 'PROV_ERR_NOT_FOUND', 'no such station on the basin map')
    await pushBasin()
    res.status(204).end()
  }))
  return router
}
