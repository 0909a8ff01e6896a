import type { z } from 'zod'
import { describeIssues } from '../contract/index.js'
import { GatewayError } from '../errors.js'

/** Parses a request part with a zod schema, or answers 400 listing every problem. */
export function parse<T extends z.ZodType> (schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw new GatewayError('VALIDATION', `invalid ${what}`, describeIssues(result.error))
  return result.data
}
