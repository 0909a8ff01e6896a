import { z } from 'zod'

/** The three device kinds the gateway understands. The kind is also the InfluxDB measurement. */
export const DEVICE_KINDS = ['speaker', 'camera', 'water_sensor'] as const
export const DeviceKind = z.enum(DEVICE_KINDS)
export type DeviceKind = z.infer<typeof DeviceKind>

export const KIND_NAMES: Record<DeviceKind, { vi: string; en: string }> = {
  speaker: { vi: 'Cụm loa truyền thanh', en: 'Loudspeaker cluster' },
  camera: { vi: 'Camera an ninh trật tự', en: 'Security camera' },
  water_sensor: { vi: 'Trạm đo mực nước', en: 'Water-level station' }
}

/**
 * Device ids travel in MQTT topics and client ids: lower-case letters, digits, "-" and "_",
 * 2 to 64 characters, so they never contain the topic separators or wildcards "/", "+", "#".
 */
export const DeviceId = z.string().regex(/^[a-z0-9][a-z0-9_-]{1,63}$/, {
  message: 'device id: 2-64 of a-z 0-9 - _, starting with a letter or digit'
})
export type DeviceId = z.infer<typeof DeviceId>
