import { z } from 'zod'
import { DEVICE_KINDS } from '../kinds/index.js'

export const DeviceKind = z.enum(DEVICE_KINDS)
export type DeviceKind = z.infer<typeof DeviceKind>

/**
 * Device ids travel in MQTT topics and client ids: lower-case letters, digits, "-" and "_",
 * 2 to 64 characters, so they never contain the topic separators or wildcards "/", "+", "#".
 */
export const DEVICE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{1,63}$/
export const DeviceId = z.string().regex(DEVICE_ID_PATTERN, {
  message: 'device id: 2-64 of a-z 0-9 - _, starting with a letter or digit'
})
export type DeviceId = z.infer<typeof DeviceId>
