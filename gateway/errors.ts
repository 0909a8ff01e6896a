// One catalogue of the errors the gateway returns to people and programs: a stable code,
// an HTTP status, a message. The HTTP layer serializes them as
// { statusCode, code, error, message }.

export const ERRORS = {
  VALIDATION: { status: 400, text: 'Bad Request' },
  UNAUTHORIZED: { status: 401, text: 'Unauthorized' },
  FORBIDDEN: { status: 403, text: 'Forbidden' },
  /** A password given by someone else must be replaced before anything else is allowed. */
  PASSWORD_CHANGE_REQUIRED: { status: 403, text: 'Forbidden' },
  CSRF: { status: 403, text: 'Forbidden' },
  NOT_FOUND: { status: 404, text: 'Not Found' },
  CONFLICT: { status: 409, text: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, text: 'Payload Too Large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, text: 'Unsupported Media Type' },
  TOO_MANY_REQUESTS: { status: 429, text: 'Too Many Requests' },
  STORE_UNAVAILABLE: { status: 503, text: 'Service Unavailable' },
  /** A program the gateway runs (espeak-ng, ffmpeg) is missing or failed. */
  TOOL_UNAVAILABLE: { status: 503, text: 'Service Unavailable' },
  INTERNAL: { status: 500, text: 'Internal Server Error' }
} as const

export type ErrorName = keyof typeof ERRORS

export class GatewayError extends Error {
  readonly code: `GW_ERR_${ErrorName}`
  readonly statusCode: number
  constructor (readonly kind: ErrorName, message: string, readonly details?: unknown, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'GatewayError'
    this.code = `GW_ERR_${kind}`
    this.statusCode = ERRORS[kind].status
  }
}

export const validationError = (message: string, details?: unknown) => new GatewayError('VALIDATION', message, details)
export const notFound = (message: string) => new GatewayError('NOT_FOUND', message)
export const conflict = (message: string, details?: unknown) => new GatewayError('CONFLICT', message, details)
