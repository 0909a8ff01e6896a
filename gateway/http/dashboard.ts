// The built dashboard (dashboard/dist): hashed assets cached for a year, index.html never
// cached, and every other path answered with index.html so a reload on #/cameras or a
// bookmarked page works. The dashboard's own views are guarded by the API it calls.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import express, { Router } from 'express'
import { open } from './access.js'
import { doc } from './describe.js'

export function dashboardRoutes (dir: string): Router {
  const router = Router()
  const root = resolve(dir)
  const index = join(root, 'index.html')
  router.use('/assets', express.static(join(root, 'assets'), { immutable: true, maxAge: '365d', index: false }))
  router.get('/{*path}', open(), doc({ summary: 'The dashboard (any other path: its page, for the browser)', answers: [{ status: 200, media: 'text/html' }] }), (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('Bảng điều khiển chưa được dựng (dashboard not built): npm run build\n')
      return
    }
    res.set('Cache-Control', 'no-cache').sendFile(index)
  })
  return router
}
