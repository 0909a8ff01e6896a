// What the registry knows of a device, and what may be given to create or change one.
import { z } from 'zod'
import { DeviceId, DeviceKind } from '../contract/index.js'

const level = z.number().min(-100).max(10_000)
const name = z.string().trim().min(1).max(120)

/**
 * A reservoir's reference levels from its operating procedure (Thông tư 17/2021/TT-BTNMT),
 * in metres above the same datum as the station's readings.
 */
export const ReferenceLevels = z.strictObject({
  /** MNC, mực nước chết */
  deadM: level.optional(),
  /** MNĐL, mực nước đón lũ */
  preFloodM: level.optional(),
  /** MNDBT, mực nước dâng bình thường */
  normalM: level.optional(),
  /** MNLNTK, mực nước lũ thiết kế */
  designFloodM: level.optional(),
  /** MNLNKT, mực nước lũ kiểm tra */
  checkFloodM: level.optional()
})

/** Alarm levels báo động I / II / III (QĐ 05/2020/QĐ-TTg), set per station. */
export const AlarmLevels = z.strictObject({
  level1M: level.optional(),
  level2M: level.optional(),
  level3M: level.optional()
})

export const Reservoir = z.strictObject({
  name,
  referenceLevels: ReferenceLevels.default({}),
  alarmLevels: AlarmLevels.default({}),
  /** Villages warned when this reservoir reaches its alarm levels. */
  downstreamVillages: z.array(name).max(100).default([])
})
export type Reservoir = z.infer<typeof Reservoir>

function ascending (values: ReadonlyArray<[string, number | undefined]>): string | null {
  const present = values.filter((v): v is [string, number] => v[1] !== undefined)
  for (let i = 1; i < present.length; i++) {
    if (present[i]![1] <= present[i - 1]![1]) return `${present[i]![0]} must be above ${present[i - 1]![0]}`
  }
  return null
}

function checkReservoir (r: Reservoir, ctx: z.RefinementCtx): void {
  const ref = r.referenceLevels
  const refProblem = ascending([['deadM', ref.deadM], ['preFloodM', ref.preFloodM], ['designFloodM', ref.designFloodM], ['checkFloodM', ref.checkFloodM]]) ??
    ascending([['deadM', ref.deadM], ['normalM', ref.normalM], ['designFloodM', ref.designFloodM]])
  if (refProblem) ctx.addIssue({ code: 'custom', path: ['reservoir', 'referenceLevels'], message: refProblem })
  const al = r.alarmLevels
  const alarmProblem = ascending([['level1M', al.level1M], ['level2M', al.level2M], ['level3M', al.level3M]])
  if (alarmProblem) ctx.addIssue({ code: 'custom', path: ['reservoir', 'alarmLevels'], message: alarmProblem })
}

const placeFields = {
  name,
  commune: name.optional(),
  village: name,
  site: name.optional(),
  /** Huyện: abolished on 1 July 2025 but still on older documents. */
  legacyDistrict: name.optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  reservoir: Reservoir.optional()
}

export const DeviceInput = z.strictObject({ id: DeviceId.optional(), kind: DeviceKind, ...placeFields })
  .superRefine((d, ctx) => {
    if (d.reservoir && d.kind !== 'water_sensor') {
      ctx.addIssue({ code: 'custom', path: ['reservoir'], message: 'only water sensors have a reservoir' })
    }
    if (d.reservoir) checkReservoir(d.reservoir, ctx)
    if ((d.lat === undefined) !== (d.lon === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['lat'], message: 'lat and lon go together' })
    }
  })
export type DeviceInput = z.input<typeof DeviceInput>

/** Fields that may change after creation; the id and kind never do. */
export const DevicePatch = z.strictObject({
  name: placeFields.name.optional(),
  commune: placeFields.commune,
  village: placeFields.village.optional(),
  site: placeFields.site.nullable(),
  legacyDistrict: placeFields.legacyDistrict.nullable(),
  lat: placeFields.lat.nullable(),
  lon: placeFields.lon.nullable(),
  reservoir: Reservoir.nullable().optional(),
  enabled: z.boolean().optional()
}).superRefine((p, ctx) => { if (p.reservoir) checkReservoir(p.reservoir, ctx) })
export type DevicePatch = z.input<typeof DevicePatch>

export interface Device {
  id: string
  kind: DeviceKind
  name: string
  commune: string
  village: string
  site: string | null
  legacyDistrict: string | null
  lat: number | null
  lon: number | null
  reservoir: Reservoir | null
  enabled: boolean
  firmware: string | null
  model: string | null
  firmwareChangedAt: number | null
  createdAt: number
  updatedAt: number
}

/** A device with the secret it was just given: the only time the secret is ever seen. */
export interface DeviceWithSecret {
  device: Device
  secret: string
}
