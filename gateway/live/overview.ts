import type { DeviceKind } from '../contract/index.js'
import type { DeviceView, DeviceViews } from './device-view.js'
import { SEVERITIES, type Attention } from './attention.js'
import type { Device } from '../registry/device.js'

export interface Counts { total: number; online: number }

export interface Overview {
  at: number
  total: number
  online: number
  byKind: Partial<Record<DeviceKind, Counts>>
  byVillage: Record<string, Counts & { byKind: Partial<Record<DeviceKind, Counts>> }>
  /** Devices needing attention, the most severe first. */
  attention: Array<Pick<DeviceView, 'id' | 'kind' | 'name' | 'village' | 'since'> & { attention: Attention[] }>
}

const ATTENTION_LIMIT = 200

/** Online counts per kind and per village, and what needs attention first, over the kinds a role sees. */
export function overview (devices: readonly Device[], views: Pick<DeviceViews, 'view'>, kinds: readonly DeviceKind[]): Overview {
  const counts = (): Counts => ({ total: 0, online: 0 })
  const result: Overview = { at: Date.now(), total: 0, online: 0, byKind: {}, byVillage: {}, attention: [] }
  for (const device of devices) {
    if (!kinds.includes(device.kind) || !device.enabled) continue
    const view = views.view(device)
    const village = (result.byVillage[device.village] ??= { ...counts(), byKind: {} })
    for (const bucket of [result, (result.byKind[device.kind] ??= counts()), village, (village.byKind[device.kind] ??= counts())]) {
      bucket.total++
      if (view.online) bucket.online++
    }
    if (view.attention.length > 0) {
      result.attention.push({ id: view.id, kind: view.kind, name: view.name, village: view.village, since: view.since, attention: view.attention })
    }
  }
  const rank = (a: Attention[]) => SEVERITIES.indexOf(a[0]!.severity)
  result.attention.sort((a, b) => rank(a.attention) - rank(b.attention) || b.attention.length - a.attention.length || a.id.localeCompare(b.id))
  result.attention.length = Math.min(result.attention.length, ATTENTION_LIMIT)
  return result
}
