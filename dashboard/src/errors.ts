// A refusal or a failure in the reader's language (issue #15): the gateway's messages are
// English for programs and logs; the dashboard says the same by the error's stable code.
import type { ErrorName } from '../../gateway/errors.js'
import { ApiError } from './api.js'
import { language, t } from './i18n.js'
import type { Words } from './words.js'

const BY_CODE = {
  VALIDATION: 'e_validation', UNAUTHORIZED: 'e_unauthorized', FORBIDDEN: 'e_forbidden', PASSWORD_CHANGE_REQUIRED: 'e_password_change',
  CSRF: 'e_csrf', NOT_FOUND: 'e_not_found', CONFLICT: 'e_conflict', PAYLOAD_TOO_LARGE: 'e_too_large', UNSUPPORTED_MEDIA_TYPE: 'e_media_type',
  TOO_MANY_REQUESTS: 'e_too_many', STORE_UNAVAILABLE: 'e_store', TOOL_UNAVAILABLE: 'e_tool', INTERNAL: 'e_internal'
} as const satisfies Record<ErrorName, keyof Words>

export function errorText (err: unknown): string {
  if (!(err instanceof ApiError)) return t('e_network')
  const key = BY_CODE[err.code.replace(/^GW_ERR_/, '') as ErrorName] as keyof Words | undefined
  // In English the gateway's own message says more (which field, which limit).
  if (language() === 'en') return err.message
  return key ? t(key) : t('e_internal')
}
