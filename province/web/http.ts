// The province web service's error shape and handler wrapper, shared by its routers.
import type { NextFunction, Request, Response } from 'express'
import type { ProvinceUser } from './accounts.js'

export class HttpError extends Error {
  constructor (readonly statusCode: number, readonly code: string, message: string) { super(message) }
}

export type Authed = Request & { user?: ProvinceUser & { csrf: string } }

export const wrap = (fn: (req: Authed, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction): void => { fn(req as Authed, res).catch(next) }
