// /api/pictures: one camera's picture, asked for by staff who may (issue #20). The asker sees
// their own requests and pictures; nobody else does (the province has no auditor role yet: its
// audit table is read in PostgreSQL). Every view is audited; never cached by the browser.
import { Router } from 'express'
import type { ProvincePictures } from '../pictures/requests.js'
import { HttpError, wrap } from './http.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function pictureRoutes (pictures: ProvincePictures): Router {
  const router = Router()
  router.post('/pictures', wrap(async (req, res) => {
    const u = req.user!
    res.status(201).json({ id: await pictures.ask(req.body, { username: u.username, role: u.role, mayRequestPictures: u.mayRequestPictures }) })
  }))
  router.get('/pictures', wrap(async (req, res) => { res.json(await pictures.list(req.user!)) }))
  router.get('/pictures/:id/image', wrap(async (req, res) => {
    const id = String(req.params.id)
    if (!UUID.test(id)) throw new HttpError(400, 'PROV_ERR_VALIDATION', 'not a picture request id')
    const p = await pictures.view(id, req.user!)
    res.set({ 'content-type': 'image/jpeg', 'cache-control': 'no-store', 'x-snapshot-at': String(p.takenAt) }).send(p.jpeg)
  }))
  return router
}
