// A station's water against its reservoir's lines (QĐ 05/2020/QĐ-TTg alarm levels, the design
// and check flood levels of Thông tư 17/2021/TT-BTNMT): the stage it is at, and the one "next
// line above the water" that the alarm, its notification and the device page all show.
import { LEVEL_STAGES } from '../water-sensor.js'
import type { Device } from '../../registry/device.js'
import { hoursUntil } from '../../live/trend.js'
import type { NextLine } from './behaviour.js'

type LineName = NextLine['name']
type Lines = Readonly<Partial<Record<LineName, number>>>

/** The station's lines, by name; the check flood level is above the design flood and raises no stage of its own. */
export function linesOf (reservoir: Device['reservoir']): Lines {
  if (!reservoir) return {}
  const { alarmLevels: a, referenceLevels: r } = reservoir
  return { level1M: a.level1M, level2M: a.level2M, level3M: a.level3M, designFloodM: r.designFloodM, checkFloodM: r.checkFloodM }
}

/**
 * The stage of the water against the station's lines: the highest line it reached, or a line
 * it was above and is still within the hysteresis band of (so a level hovering at a line does
 * not flap). 0 below every line.
 */
export function levelStage (levelM: number, lines: Lines, stageNow: number, hysteresisM: number): number {
  let stage = 0
  for (const s of LEVEL_STAGES) {
    const line = lines[s.line]
    if (line === undefined) continue
    if (levelM >= line || (s.stage <= stageNow && levelM > line - hysteresisM)) stage = s.stage
  }
  return stage
}

/** The lowest line above the water, its stage (null for the check flood level), and when the water reaches it at this rate. */
export function nextLine (levelM: number, lines: Lines, cmPerHour: number | null): NextLine | null {
  let next: NextLine | null = null
  for (const [name, lineM] of Object.entries(lines) as Array<[LineName, number | undefined]>) {
    if (lineM === undefined || lineM <= levelM || (next && next.levelM <= lineM)) continue
    next = { name, stage: LEVEL_STAGES.find((s) => s.line === name)?.stage ?? null, levelM: lineM, hours: hoursUntil(levelM, lineM, cmPerHour) }
  }
  return next
}
