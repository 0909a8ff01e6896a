// /api/openapi.json, the API's OpenAPI 3.1 document, and /api/docs, a page that shows it. The
// page is ours and tiny (api-docs/): the box is often offline, so no CDN, and a viewer package
// would bring several megabytes and an install script that reports home.
import { readFileSync } from 'node:fs'
import { Router } from 'express'
import { open } from './access.js'
import { webhookEventSchema } from '../notify/events-out.js'
import { AnyObject } from './answers.js'
import { doc } from './describe.js'
import { openApiDocument, type DocumentedRoute } from './openapi.js'

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
const page = (file: string): string => readFileSync(new URL(`./api-docs/${file}`, import.meta.url), 'utf8')

export function apiDocRoutes (deps: { commune: string; routes: () => readonly DocumentedRoute[] }): Router {
  const router = Router()
  // Made once, at the first request: the routes are all mounted by then and never change.
  let document: unknown = null
  const html = page('index.html')
  const script = page('viewer.js')

  router.get('/openapi.json', open(), doc({ summary: 'This API, as an OpenAPI 3.1 document', answer: AnyObject, stable: true }), (_req, res) => {
    document ??= openApiDocument(deps.routes(), { version: VERSION, commune: deps.commune })
    res.json(document)
  })
  router.get('/webhook-events.json', open(), doc({ summary: 'The JSON Schema of every webhook body (alarms, presence, bulletins)', answer: AnyObject, stable: true }), (_req, res) => {
    res.json(webhookEventSchema())
  })
  router.get('/docs', open(), doc({ summary: 'The API\'s documentation, to read in a browser (works offline)', answers: [{ status: 200, media: 'text/html' }] }), (_req, res) => {
    res.type('html').send(html)
  })
  router.get('/docs/viewer.js', open(), doc({ summary: 'The script of the documentation page', answers: [{ status: 200, media: 'text/javascript' }] }), (_req, res) => {
    res.type('text/javascript').send(script)
  })
  return router
}
