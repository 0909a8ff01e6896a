// What a route takes and answers, said next to the route: `doc({...})` sits in the route's
// middleware list like `allow()`, and tags it the same way, so the OpenAPI document
// (openapi.ts) is made from the routes express really has and cannot miss one
// (test/gateway/openapi.test.ts fails on a route without it). The schemas are the zod
// schemas the route validates with, or, for answers, those of answers.ts.
import type { RequestHandler } from 'express'
import type { z } from 'zod'

/** An answer: its status and, for JSON, the schema of its body; otherwise its media type. */
export interface Answer {
  status: 200 | 201 | 202 | 204
  json?: z.ZodType
  /** Non-JSON answers (text/csv, audio/mpeg, image/jpeg, text/html ...). */
  media?: string | string[]
  description?: string
}

export interface RouteDoc {
  /** One line: what the route does. */
  summary: string
  description?: string
  /** Query parameters: the route's own strict object schema. */
  query?: z.ZodObject
  /** A JSON body, validated by the route or the service it calls with this schema. */
  body?: z.ZodType
  /** A body of other media types (an audio file, an inventory), read by the route's own parser. */
  bodyMedia?: string[]
  /** The successful answers; more than one when a route answers in several ways (JSON or CSV). */
  answers: Answer[]
  /** Integrator-facing routes form the stable API; the rest serve the dashboard and may change. */
  stable?: boolean
}

export type Documented = RequestHandler & { doc: RouteDoc }

/** Builds a route's description; a JSON answer with no `status` is 200. */
export function doc (spec: Omit<RouteDoc, 'answers'> & { answer?: z.ZodType; answers?: Answer[] }): Documented {
  const { answer, answers, ...rest } = spec
  const full: RouteDoc = { ...rest, answers: answers ?? (answer ? [{ status: 200, json: answer }] : [{ status: 204 }]) }
  const handler: RequestHandler = (req, res, next) => {
    // Tests switch this on (app.locals.checkAnswers): every JSON answer a route gives is checked
    // against its documented schema, so the document cannot drift from what routes really send.
    const check = req.app.locals.checkAnswers as ((mismatch: AnswerMismatch) => void) | undefined
    if (check) watchAnswers(full, req.method, req.originalUrl, res, check)
    next()
  }
  return Object.assign(handler, { doc: full })
}

export interface AnswerMismatch { method: string; url: string; status: number; problems: string[] }

function watchAnswers (spec: RouteDoc, method: string, url: string, res: Parameters<RequestHandler>[1], report: (m: AnswerMismatch) => void): void {
  const json = res.json.bind(res)
  res.json = (body: unknown) => {
    if (res.statusCode < 300) {
      const answer = spec.answers.find((a) => a.status === res.statusCode && a.json)
      const result = answer?.json?.safeParse(body)
      if (!answer) report({ method, url, status: res.statusCode, problems: ['no JSON answer with this status is documented'] })
      else if (result && !result.success) {
        report({ method, url, status: res.statusCode, problems: result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) })
      }
    }
    return json(body)
  }
}
