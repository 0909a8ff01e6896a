// /api/tokens: the admin's integration tokens (users/api-tokens.ts). The secret is in the
// creation's answer only; revoking keeps the token listed so its audit entries keep a name.
import { Router, type Request } from 'express'
import { z } from 'zod'
import { GatewayError } from '../errors.js'
import { TokenInput, type ApiTokens } from '../users/api-tokens.js'
import type { AuditLog } from '../users/audit.js'
import { addressOf, allow, principalOf } from './access.js'
import { ApiTokenAnswer } from './answers.js'
import { doc } from './describe.js'

export interface TokenRouteDeps { tokens: ApiTokens; audit: AuditLog }

const tokenId = (req: Request): number => {
  const id = Number(req.params.id)
  if (!Number.isInteger(id)) throw new GatewayError('NOT_FOUND', `no token ${String(req.params.id)}`)
  return id
}

export function tokenRoutes (deps: TokenRouteDeps): Router {
  const router = Router()
  const record = (req: Request, action: string, target: string, details?: unknown) => {
    const who = principalOf(req)
    deps.audit.record({ actor: who.actor, role: who.role, action, target, details, address: addressOf(req) })
  }

  router.get('/tokens', allow('tokens.manage'), doc({ summary: 'Integration tokens, with their grants and last use (never the secret)', answer: z.array(ApiTokenAnswer) }), (_req, res) => {
    res.json(deps.tokens.list())
  })

  router.post('/tokens', allow('tokens.manage'), doc({
    summary: 'Make an integration token: the secret is in this answer only',
    body: TokenInput,
    answers: [{ status: 201, json: z.object({ token: ApiTokenAnswer, secret: z.string().describe('gwt_...: send it as Authorization: Bearer; shown once') }) }]
  }), (req, res) => {
    const { token, secret } = deps.tokens.create(req.body, principalOf(req).actor)
    record(req, 'token.create', token.name, { grants: token.grants, kinds: token.kinds, expiresAt: token.expiresAt, note: token.note })
    res.status(201).json({ token, secret })
  })

  router.delete('/tokens/:id', allow('tokens.manage'), doc({ summary: 'Revoke a token: refused from the next request on, still listed', answer: ApiTokenAnswer }), (req, res) => {
    const token = deps.tokens.revoke(tokenId(req), principalOf(req).actor)
    record(req, 'token.revoke', token.name)
    res.json(token)
  })

  return router
}
