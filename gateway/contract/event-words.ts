// What each device event means, in Vietnamese and English (issue #15: the device page said
// `stream_lost`). Typed against the contract's event lists: a new event type does not
// compile until it has its words.
import type { DeviceKind } from './kinds.js'
import type { EVENT_TYPES } from './messages.js'

type Words = { vi: string; en: string }
export const EVENT_WORDS = {
  speaker: {
    amplifier_fault: { vi: 'Lỗi âm ly', en: 'Amplifier fault' }, amplifier_restored: { vi: 'Âm ly hoạt động lại', en: 'Amplifier restored' },
    power_lost: { vi: 'Mất điện lưới', en: 'Mains lost' }, power_restored: { vi: 'Có điện lưới trở lại', en: 'Mains back' },
    overheat: { vi: 'Quá nhiệt', en: 'Overheating' }, reboot: { vi: 'Khởi động lại', en: 'Rebooted' }
  },
  camera: {
    tamper: { vi: 'Bị che khuất / phá hoại', en: 'Tampered with' }, tamper_cleared: { vi: 'Hết che khuất', en: 'Tamper cleared' },
    stream_lost: { vi: 'Mất luồng hình', en: 'Stream lost' }, stream_restored: { vi: 'Có luồng hình trở lại', en: 'Stream restored' },
    recording_stopped: { vi: 'Ngừng ghi hình', en: 'Recording stopped' }, recording_started: { vi: 'Ghi hình trở lại', en: 'Recording started' },
    storage_error: { vi: 'Lỗi bộ nhớ', en: 'Storage error' }, reboot: { vi: 'Khởi động lại', en: 'Rebooted' },
    auth_failed: { vi: 'Camera từ chối mật khẩu của cổng', en: 'Camera refused the gateway\'s credentials' },
    unreachable: { vi: 'Không liên lạc được với camera', en: 'Camera unreachable' }
  },
  water_sensor: {
    sensor_fault: { vi: 'Lỗi cảm biến', en: 'Sensor fault' }, low_battery: { vi: 'Pin yếu', en: 'Low battery' }, reboot: { vi: 'Khởi động lại', en: 'Rebooted' }
  }
} as const satisfies { [K in DeviceKind]: Record<(typeof EVENT_TYPES)[K][number], Words> }

/** The event's words, or its code when it is not known (a newer device firmware). */
export function eventName (kind: DeviceKind, type: string, lang: 'vi' | 'en'): string {
  return (EVENT_WORDS[kind] as Record<string, Words | undefined>)[type]?.[lang] ?? type
}
