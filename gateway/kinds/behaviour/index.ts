// Every kind's behaviour, checked against the kind union: a kind added to gateway/kinds/ does
// not compile until it has one here. Gateway side only (the dashboard bundles ../index.ts).
import type { DeviceKind } from '../index.js'
import type { KindBehaviour } from './behaviour.js'
import { airQualityBehaviour } from './air-quality.js'
import { cameraBehaviour } from './camera.js'
import { speakerBehaviour } from './speaker.js'
import { waterSensorBehaviour } from './water-sensor.js'

export const BEHAVIOURS = {
  speaker: speakerBehaviour,
  camera: cameraBehaviour,
  water_sensor: waterSensorBehaviour,
  air_quality: airQualityBehaviour
} as const satisfies Record<DeviceKind, KindBehaviour>

export const behaviourOf = (kind: DeviceKind): KindBehaviour => BEHAVIOURS[kind]

export type { KindBehaviour, LevelOutlook, NextLine, Outlook } from './behaviour.js'
