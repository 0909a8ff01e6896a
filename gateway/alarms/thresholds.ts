// The numbers the alarm rules use. Defaults here; an admin overrides any of them for a kind of
// device, a village (a group) or one device (table alarm_settings). Reservoir levels are not
// here: they come from each station's registry entry.
import { z } from 'zod'
import type { Db } from '../db/database.js'
import { DEVICE_KINDS, type DeviceKind } from '../kinds/index.js'
import { validationError } from '../errors.js'

export const THRESHOLDS = {
  /** A device offline this long raises an alarm; shorter blips are ignored. */
  offlineGraceS: 300,
  /** At least this many devices of one village dark together make one village alarm... */
  villageOutageMinDevices: 3,
  /** ...when they are at least this share of the village's devices. */
  villageOutageShare: 0.5,
  /** A level alarm clears only this far below its level, so a level at the line does not flap. */
  levelHysteresisM: 0.1,
  /** Rate of rise (cm/h) that raises "rising fast"; it clears below half of it. */
  riseCmPerH: 20,
  /** No telemetry for this long from a station: "no data" (they send at least hourly). */
  noDataS: 3900,
  /** The level unchanged to the millimetre for this long: the sensor is stuck. */
  flatLineS: 6 * 3600,
  /** A change between two readings larger than this (m) is not water moving. */
  jumpM: 1.5,
  lowBatteryPct: 20,
  /** Loop recording keeps a card at about 96 %: only above this is it really full. */
  storageFullPct: 98,
  overheatC: 70,
  /** An alarm nobody acknowledged for this long goes to the next group. */
  escalateAfterMin: 15,
  /** Local hours (Asia/Ho_Chi_Minh) when a camera going dark is critical: an intruder disables the camera first. */
  nightFromH: 22,
  nightToH: 5,
  /** Picture checks (issue #20, docs/alarms.md). Mean brightness (0-255) below this is a dark picture. */
  pictureDarkLuma: 25,
  /** Brightness spread (90th minus 10th percentile, 0-255) below this is a flat picture: covered or sprayed. */
  pictureFlatContrast: 12,
  /** blurdetect's edge width above this is a blurred picture (a sharp scene measures 4-5, out of focus 9+). */
  pictureBlurMax: 7,
  /** Structural similarity (SSIM, 0-1) to the reference below this: the camera sees another scene. */
  sceneSimilarityMin: 0.6,
  /** This many snapshots in a row identical to the one before, while the stream advances: the snapshot is frozen. */
  snapshotStillChecks: 2,
  /** Local hours the cameras see by infrared (dusk to dawn): a dark picture then is the infrared failing. */
  infraredFromH: 18,
  infraredToH: 6
}
export type ThresholdName = keyof typeof THRESHOLDS
export type Thresholds = Record<ThresholdName, number>

// A kind's scope names one of the kinds of gateway/kinds/ (a regex listing them by hand once
// refused every new kind in silence).
const SCOPE = new RegExp(`^(default|kind:(${DEVICE_KINDS.join('|')})|village:.+|device:[a-z0-9][a-z0-9_-]{1,63})$`)

export const ThresholdPatch = z.strictObject({
  scope: z.string().regex(SCOPE, `default, kind:<${DEVICE_KINDS.join(' | ')}>, village:<name> or device:<id>`),
  values: z.partialRecord(z.enum(Object.keys(THRESHOLDS) as [ThresholdName]), z.number().min(0).max(1e7).nullable())
})

export class ThresholdStore {
  private cache = new Map<string, Partial<Thresholds>>()
  /** Merged per device (asked on every reading and by every sweep), dropped whenever an override
   *  changes. Keyed by the registry's own cached device object, which a change of the device replaces. */
  private merged = new WeakMap<object, Thresholds>()

  constructor (private readonly db: Db) { this.reload() }

  /** The thresholds for one device: its own overrides, then its village's, its kind's, the defaults. */
  for (device: { id: string; kind: DeviceKind; village: string }): Thresholds {
    let th = this.merged.get(device)
    if (!th) {
      th = { ...THRESHOLDS, ...this.cache.get('default'), ...this.cache.get(`kind:${device.kind}`), ...this.cache.get(`village:${device.village}`), ...this.cache.get(`device:${device.id}`) }
      this.merged.set(device, th)
    }
    return th
  }

  forVillage (village: string): Thresholds {
    return { ...THRESHOLDS, ...this.cache.get('default'), ...this.cache.get(`village:${village}`) }
  }

  list (): Array<{ scope: string; values: Partial<Thresholds> }> {
    return [...this.cache].map(([scope, values]) => ({ scope, values }))
  }

  /** Sets (a number) or removes (null) overrides of one scope. */
  set (input: unknown): void {
    const parsed = ThresholdPatch.safeParse(input)
    if (!parsed.success) throw validationError('invalid threshold override', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
    const { scope, values } = parsed.data
    const put = this.db.prepare('INSERT INTO alarm_settings (scope, key, value) VALUES (?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value')
    const drop = this.db.prepare('DELETE FROM alarm_settings WHERE scope = ? AND key = ?')
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(values)) {
        if (value === null) drop.run(scope, key)
        else put.run(scope, key, value)
      }
    })()
    this.reload()
  }

  private reload (): void {
    this.cache = new Map()
    this.merged = new WeakMap()
    for (const row of this.db.prepare<[], { scope: string; key: ThresholdName; value: number }>('SELECT scope, key, value FROM alarm_settings').all()) {
      const values = this.cache.get(row.scope) ?? {}
      values[row.key] = row.value
      this.cache.set(row.scope, values)
    }
  }
}
