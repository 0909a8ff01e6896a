// A device's readings over any range as CSV (issue #15): one row per bucket of the store's
// downsampling (one reading per row when the range holds no more than `points` readings),
// in Vietnam's local time, with the device named as everywhere else; Vietnamese headers, or
// English with lang=en. A BOM so spreadsheets read the Vietnamese right.
import { localTime } from '../broadcasts/log-record.js'
import type { FieldSpec } from '../contract/index.js'
import type { Device } from '../registry/device.js'
import type { HistoryBucket } from '../store/telemetry-store.js'
import { csvCell } from './csv.js'

const HEADERS = {
  vi: ['Thời điểm (giờ Việt Nam)', 'Thiết bị', 'Mã thiết bị', 'Thôn', 'Đại lượng', 'Đơn vị', 'Trung bình', 'Nhỏ nhất', 'Lớn nhất', 'Số lần đo'],
  en: ['Time (Vietnam)', 'Device', 'Device id', 'Village', 'Quantity', 'Unit', 'Mean', 'Minimum', 'Maximum', 'Readings']
} as const

export function historyCsv (device: Device, spec: FieldSpec, buckets: readonly HistoryBucket[], lang: 'vi' | 'en'): string {
  const quantity = spec[lang]
  const rows = buckets.map((b) => [localTime(b.t), device.name, device.id, device.village, quantity, spec.unit ?? '', b.mean, b.min, b.max, b.count])
  return '\ufeff' + [HEADERS[lang], ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

/** "muc-nuoc_wl-01_30-11-2026_06-00": the file name says what and when. */
export function historyFileName (device: Device, field: string, from: number): string {
  return `${field}_${device.id}_${localTime(from).slice(0, 16).replace(/[/: ]/g, '-')}`.replace(/[^\w.-]/g, '_')
}
