// The OpenAPI 3.1 document of this gateway, made from the routes express really has and the
// zod schemas each one declares with doc() (describe.ts). zod 4 writes the JSON Schemas itself
// (z.toJSONSchema, draft 2020-12: OpenAPI 3.1's own dialect); nothing here is written by hand
// but the envelope. Served at /api/openapi.json (api-docs.ts).
import { z } from 'zod'
import { PERMISSIONS, type Permission } from '../users/roles.js'
import * as answers from './answers.js'
import type { Answer, RouteDoc } from './describe.js'

export interface DocumentedRoute { method: string; path: string; access: Permission | 'public' | null; doc: RouteDoc | null }

type JsonSchema = Record<string, unknown>
type Meta = { id: string }

/** "/api/devices/:id/history" → "/api/devices/{id}/history"; express 5's "/{*path}" → "/{path}". */
export const openApiPath = (path: string): string => path.replace(/\{\*(\w+)\}/g, '{$1}').replace(/:(\w+)/g, '{$1}')
const paramsOf = (path: string): string[] => [...openApiPath(path).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
const operationId = (method: string, path: string): string =>
  method.toLowerCase() + openApiPath(path).split(/[/{}\-*]+/).filter((s) => s && s !== 'api').map((s) => s[0]!.toUpperCase() + s.slice(1)).join('')
const tagOf = (path: string): string => /^\/api\/([a-z-]+)/.exec(path)?.[1] ?? 'box'
const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` })

/** zod's "no other fields" is true of requests; an answer may grow fields, which clients ignore. */
function tidy (loose: boolean) {
  return (ctx: { jsonSchema: JsonSchema }) => {
    delete ctx.jsonSchema.$schema
    delete ctx.jsonSchema.$id
    if (loose && ctx.jsonSchema.additionalProperties === false) delete ctx.jsonSchema.additionalProperties
  }
}

/**
 * zod writes `$id: "#/components/schemas/X"` and `$schema` on each named schema after the
 * override has run; a `$id` with a fragment is invalid JSON Schema 2020-12, so OpenAPI 3.1
 * validators and client generators refuse the whole document. The component's name is its id.
 */
const bare = (schema: JsonSchema): JsonSchema => {
  const { $id: _id, $schema: _schema, ...rest } = schema
  return rest
}

export function openApiDocument (routes: readonly DocumentedRoute[], info: { version: string; commune: string }): JsonSchema {
  // Named schemas first (answers.ts), so every answer that nests one refers to it.
  const out = z.registry<Meta>()
  const inp = z.registry<Meta>()
  for (const [name, schema] of Object.entries(answers)) {
    if (schema instanceof z.ZodType) out.add(schema, { id: name.replace(/Answer$/, '') })
  }
  const idOf = (registry: typeof out, schema: z.ZodType, fallback: string): string => {
    const known = registry.get(schema)?.id
    if (known) return known
    registry.add(schema, { id: fallback })
    return fallback
  }
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    if (!route.doc) continue
    const d = route.doc
    const id = operationId(route.method, route.path)
    const parameters = [
      ...paramsOf(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(d.query ? queryParameters(d.query) : [])
    ]
    const body = d.body ? { 'application/json': { schema: ref(idOf(inp, d.body, `${id}Body`)) } } : undefined
    const media = Object.fromEntries((d.bodyMedia ?? []).map((type) => [type, { schema: { type: 'string', format: 'binary' } }]))
    const responses: Record<string, unknown> = {}
    for (const answer of d.answers) responses[String(answer.status)] = responseOf(answer, (schema) => ref(idOf(out, schema, `${id}${answer.status}`)), responses[String(answer.status)])
    responses.default = { description: 'an error: { statusCode, code, error, message }', content: { 'application/json': { schema: ref('Error') } } }
    const access = route.access ?? 'public'
    paths[openApiPath(route.path)] ??= {}
    paths[openApiPath(route.path)]![route.method.toLowerCase()] = {
      operationId: id,
      summary: d.summary,
      description: [d.description, accessLine(access), d.stable ? 'Stable: part of the integration API.' : 'Serves the dashboard: fields may change.'].filter(Boolean).join('\n\n'),
      tags: [tagOf(route.path)],
      'x-permission': access,
      'x-stable': d.stable === true,
      ...(access === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(body || d.bodyMedia ? { requestBody: { required: true, content: { ...body, ...media } } } : {}),
      responses
    }
  }
  const schemas = Object.fromEntries(Object.entries({
    ...(z.toJSONSchema(out, { io: 'output', uri: (s) => `#/components/schemas/${s}`, unrepresentable: 'any', override: tidy(true) }).schemas),
    ...(z.toJSONSchema(inp, { io: 'input', uri: (s) => `#/components/schemas/${s}`, unrepresentable: 'any', override: tidy(false) }).schemas)
  }).map(([name, schema]) => [name, bare(schema)]))
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: `Commune gateway API · ${info.commune}`,
      version: info.version,
      description: 'The REST API of the commune gateway. Sign in with a session cookie (the dashboard) or send `Authorization: Bearer <token>`. ' +
        'Times are milliseconds since 1970 (UTC). Errors are `{ statusCode, code, error, message }`. How to connect: docs/integration.md.'
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An integration token (or the admin token, for emergencies).' },
        session: { type: 'apiKey', in: 'cookie', name: 'gw_session', description: 'The dashboard\'s session; writes also need the x-csrf-token header.' }
      },
      schemas
    },
    paths
  }
}

function accessLine (access: Permission | 'public'): string {
  if (access === 'public') return 'Anyone may call it.'
  return `Needs \`${access}\` (roles: ${PERMISSIONS[access].join(', ')}).`
}

function queryParameters (query: z.ZodObject): unknown[] {
  const schema = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema>; required?: string[] }
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property
  }))
}

function responseOf (answer: Answer, schemaRef: (schema: z.ZodType) => JsonSchema, before: unknown): unknown {
  const content: Record<string, unknown> = { ...(before as { content?: Record<string, unknown> } | undefined)?.content }
  if (answer.json) content['application/json'] = { schema: schemaRef(answer.json) }
  for (const type of [answer.media ?? []].flat()) content[type] = { schema: { type: 'string', format: 'binary' } }
  return { description: answer.description ?? (answer.status === 204 ? 'done, no body' : 'done'), ...(Object.keys(content).length ? { content } : {}) }
}
