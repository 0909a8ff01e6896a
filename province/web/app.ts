// The province's web service: its API (express) and its built views (Preact, like the
// commune dashboard). Errors are JSON in the gateway's shape; every route but login needs a
// session; writes need the session's CSRF token; acknowledging needs the staff role.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseCookies, serialize as serializeCookie } from 'cookie'
import express, { type NextFunction, type Request, type Response } from 'express'
import helmet from 'helmet'
import type pg from 'pg'
import { COMMUNE_CODE } from '../../edge/uplink/lanes.js'
import type { InfluxWriter } from '../tsdb/influx.js'
import { kindsFor, login, logout, sessionUser } from './accounts.js'
import { acknowledge, alarms, broadcastLog, communes, devices, levelHistory } from './queries.js'
import { bulletinRoutes } from './bulletins.js'
import { pictureRoutes } from './pictures.js'
import type { ProvincePictures } from '../pictures/requests.js'
import { HttpError, wrap, type Authed } from './http.js'
import { BulletinError, type ProvinceBulletins } from '../bulletins/compose.js'

const COOKIE = 'province_session'
const BULLETIN_CODES = { '400': 'PROV_ERR_VALIDATION', '403': 'PROV_ERR_FORBIDDEN', '404': 'PROV_ERR_NOT_FOUND', '409': 'PROV_ERR_CONFLICT' } as const
const isTooLarge = (err: unknown): boolean => (err as { type?: unknown } | null)?.type === 'entity.too.large'
const DEVICE_ID = /^[A-Za-z0-9._-]{1,64}$/
export const PROVINCE_WEB_DIST = fileURLToPath(new URL('./dist', import.meta.url))

function csvCell (v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v)
  // A leading = + - @ would be read as a formula by a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function provinceWebApp (deps: { pool: pg.Pool; influx: InfluxWriter; bulletins?: ProvinceBulletins; pictures?: ProvincePictures; pushBasin?: () => Promise<unknown>; distDir?: string }): express.Express {
  const { pool, influx } = deps
  const app = express()
  app.disable('x-powered-by')
  app.use(helmet({ hsts: false, contentSecurityPolicy: { useDefaults: true, directives: { 'upgrade-insecure-requests': null } } }))
  app.use(express.json({ limit: '16kb' }))

  app.post('/api/session', wrap(async (req, res) => {
    const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown }
    if (typeof username !== 'string' || typeof password !== 'string') throw new HttpError(400, 'PROV_ERR_VALIDATION', 'username and password are required')
    const session = await login(pool, username, password)
    if (!session) throw new HttpError(401, 'PROV_ERR_LOGIN', 'wrong username or password')
    res.setHeader('set-cookie', serializeCookie(COOKIE, session.token, { httpOnly: true, sameSite: 'strict', path: '/' }))
    res.json({ user: session.user, csrfToken: session.csrf })
  }))

  app.use('/api', (req: Authed, _res: Response, next: NextFunction) => {
    sessionUser(pool, parseCookies(req.headers.cookie ?? '')[COOKIE]).then((user) => {
      if (!user) throw new HttpError(401, 'PROV_ERR_UNAUTHENTICATED', 'sign in first')
      if (req.method !== 'GET' && req.headers['x-csrf-token'] !== user.csrf) throw new HttpError(403, 'PROV_ERR_CSRF', 'missing or wrong CSRF token')
      req.user = user
      next()
    }).catch(next)
  })

  app.get('/api/session', (req: Authed, res: Response) => {
    const { csrf, ...user } = req.user!
    res.json({ user, csrfToken: csrf })
  })
  app.delete('/api/session', wrap(async (req, res) => {
    await logout(pool, parseCookies(req.headers.cookie ?? '')[COOKIE] ?? '')
    res.status(204).end()
  }))
  app.get('/api/communes', wrap(async (req, res) => { res.json(await communes(pool, kindsFor(req.user!))) }))
  app.get('/api/alarms', wrap(async (req, res) => { res.json(await alarms(pool, kindsFor(req.user!))) }))
  app.post('/api/alarms/:id/acknowledge', wrap(async (req, res) => {
    if (req.user!.role !== 'staff') throw new HttpError(403, 'PROV_ERR_FORBIDDEN', 'only provincial staff acknowledge alarms')
    const id = Number(req.params.id)
    if (!Number.isInteger(id) || id <= 0) throw new HttpError(400, 'PROV_ERR_VALIDATION', 'alarm id must be a positive integer')
    if (!await acknowledge(pool, id, req.user!.username)) throw new HttpError(404, 'PROV_ERR_NOT_FOUND', `no open, unacknowledged province alarm ${id}`)
    res.status(204).end()
  }))
  app.get('/api/communes/:code/devices', wrap(async (req, res) => {
    const code = String(req.params.code)
    if (!COMMUNE_CODE.test(code)) throw new HttpError(400, 'PROV_ERR_VALIDATION', 'not a commune code')
    res.json(await devices(pool, code, kindsFor(req.user!)))
  }))
  app.get('/api/communes/:code/devices/:id/history', wrap(async (req, res) => {
    const code = String(req.params.code)
    const id = String(req.params.id)
    if (!COMMUNE_CODE.test(code) || !DEVICE_ID.test(id)) throw new HttpError(400, 'PROV_ERR_VALIDATION', 'not a commune code or device id')
    if (!kindsFor(req.user!).includes('water_sensor')) throw new HttpError(403, 'PROV_ERR_FORBIDDEN', 'water levels are not in your department')
    const to = Number(req.query.to ?? Date.now())
    const from = Number(req.query.from ?? to - 86_400_000)
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) throw new HttpError(400, 'PROV_ERR_VALIDATION', 'from and to are ms since the epoch, from < to')
    res.json({ from, to, buckets: await levelHistory(influx, code, id, from, to, 300) })
  }))
  app.get('/api/broadcasts', wrap(async (req, res) => {
    if (!kindsFor(req.user!).includes('speaker')) throw new HttpError(403, 'PROV_ERR_FORBIDDEN', 'the broadcast log is not in your department')
    const rows = await broadcastLog(pool)
    if (req.query.format !== 'csv') { res.json(rows); return }
    const cols = ['commune', 'communeName', 'id', 'title', 'priority', 'status', 'createdAt', 'updatedAt', 'summary'] as const
    res.type('text/csv; charset=utf-8').attachment('nhat-ky-phat-tinh.csv')
      .send('\ufeff' + [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n')
  }))
  if (deps.bulletins) app.use('/api', bulletinRoutes(pool, deps.bulletins, deps.pushBasin ?? (() => Promise.resolve())))
  if (deps.pictures) app.use('/api', pictureRoutes(deps.pictures))
  app.use('/api', (_req, _res, next) => { next(new HttpError(404, 'PROV_ERR_NOT_FOUND', 'no such route')) })

  const dist = deps.distDir ?? PROVINCE_WEB_DIST
  if (existsSync(dist)) {
    app.use('/assets', express.static(join(dist, 'assets'), { immutable: true, maxAge: '365d' }))
    app.get('/{*path}', (_req, res) => { res.sendFile(join(dist, 'index.html')) })
  }
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err instanceof HttpError ? err : err instanceof BulletinError ? new HttpError(err.statusCode, BULLETIN_CODES[err.statusCode], err.message)
      : isTooLarge(err) ? new HttpError(413, 'PROV_ERR_TOO_LARGE', 'the request is too large') : new HttpError(500, 'PROV_ERR_INTERNAL', 'internal error')
    res.status(e.statusCode).json({ statusCode: e.statusCode, code: e.code, error: e.statusCode >= 500 ? 'Internal Server Error' : 'Bad Request', message: e.message })
  })
  return app
}
