// What the cameras see (issue #20): the latest snapshot of every camera, any kept one (an
// alarm's picture), the reference picture, and marking a snapshot as the reference. Police
// and admin only (roles.ts), and every picture served is a line in the audit log: who saw
// which camera's picture of when. Never cached by the browser (no-store), so each view is a
// request, and is recorded.
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { notFound, validationError } from '../errors.js'
import type { SnapshotStore } from '../pictures/snapshots.js'
import type { Registry } from '../registry/registry.js'
import type { AuditLog } from '../users/audit.js'
import { scopeSees } from '../users/roles.js'
import { addressOf, allow, principalOf, requireSees } from './access.js'
import { AnyList, AnyObject } from './answers.js'
import { doc } from './describe.js'

export interface PictureRouteDeps {
  registry: Registry
  audit: AuditLog
  snapshots: SnapshotStore
}

const Mark = z.strictObject({ at: z.number().int().positive() })
const atOf = (req: Request): number => {
  const at = Number(req.params.at)
  if (!Number.isSafeInteger(at) || at <= 0) throw validationError('the snapshot time is milliseconds since 1970')
  return at
}
/** ?size=thumb: the small picture (documentation only: anything else is the full one). */
const Size = z.object({ size: z.enum(['thumb', 'full']).optional() })
const thumbOf = (req: Request): boolean => req.query.size === 'thumb'

export function pictureRoutes (deps: PictureRouteDeps): Router {
  const router = Router()
  const { registry, audit, snapshots } = deps

  /** The camera of the :id, if the requester's role watches cameras. */
  const camera = (req: Request): string => {
    const device = registry.require(String(req.params.id))
    requireSees(req, device.kind)
    if (device.kind !== 'camera') throw validationError(`${device.id} is not a camera`)
    return device.id
  }
  const record = (req: Request, action: string, target: string, details: unknown) => {
    const who = principalOf(req)
    audit.record({ actor: who.actor, role: who.role, action, target, details, address: addressOf(req) })
  }
  const send = (req: Request, res: Response, id: string, what: string | number, picture: Buffer) => {
    record(req, 'picture.view', id, { picture: what, size: thumbOf(req) ? 'thumb' : 'full' })
    res.set({ 'content-type': 'image/jpeg', 'cache-control': 'no-store', 'x-snapshot-at': String(what) }).send(picture)
  }

  // The cameras the requester sees, with the time of each one's latest snapshot and its reference: the grid and the lists.
  router.get('/pictures', allow('pictures.view'), doc({ summary: 'Cameras with the time of their latest snapshot and their reference', query: z.object({ village: z.string().optional() }), answer: AnyList }), (req, res) => {
    const { scope } = principalOf(req)
    const village = typeof req.query.village === 'string' ? req.query.village : undefined
    const cameras = registry.list().filter((d) => d.kind === 'camera' && scopeSees(scope, d.kind) && (village === undefined || d.village === village))
    res.json(cameras.map((d) => ({ id: d.id, name: d.name, village: d.village, latestAt: snapshots.latestAt(d.id), reference: snapshots.reference(d.id) })))
  })

  router.get('/devices/:id/snapshots', allow('pictures.view'), doc({ summary: 'The times of a camera\'s kept snapshots', answer: AnyObject }), (req, res) => {
    const id = camera(req)
    res.json({ times: snapshots.times(id), reference: snapshots.reference(id) })
  })

  router.get('/devices/:id/snapshot', allow('pictures.view'), doc({ summary: 'A camera\'s latest snapshot (audited)', answers: [{ status: 200, media: 'image/jpeg' }], query: Size }), (req, res) => {
    const id = camera(req)
    const at = snapshots.latestAt(id)
    if (at === null) throw notFound(`${id} has no snapshot yet`)
    send(req, res, id, at, snapshots.read(id, at, thumbOf(req)))
  })

  router.get('/devices/:id/snapshots/:at', allow('pictures.view'), doc({ summary: 'A kept snapshot (audited)', answers: [{ status: 200, media: 'image/jpeg' }], query: Size }), (req, res) => {
    const id = camera(req)
    const at = atOf(req)
    send(req, res, id, at, snapshots.read(id, at, thumbOf(req)))
  })

  router.get('/devices/:id/reference', allow('pictures.view'), doc({ summary: 'A camera\'s reference picture (audited)', answers: [{ status: 200, media: 'image/jpeg' }], query: Size }), (req, res) => {
    const id = camera(req)
    send(req, res, id, 'reference', snapshots.readReference(id, thumbOf(req)))
  })

  router.put('/devices/:id/reference', allow('pictures.reference'), doc({ summary: 'Make a kept snapshot the camera\'s reference picture', body: Mark, answer: AnyObject }), (req, res) => {
    const id = camera(req)
    const parsed = Mark.safeParse(req.body)
    if (!parsed.success) throw validationError('give { "at": <the snapshot time, ms> }', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
    const info = snapshots.markReference(id, parsed.data.at, principalOf(req).actor)
    record(req, 'picture.reference_set', id, { at: parsed.data.at })
    res.json(info)
  })

  return router
}
