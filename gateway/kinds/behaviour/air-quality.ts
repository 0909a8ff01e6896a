// An air-quality station's behaviour: each reading goes into the station's window of the last
// day and a half (kept in the kind's memory of the device, so it is forgotten with it); the
// hourly VN_AQI of the last hour that ended decides the air alarm (Xấu major, Rất xấu and
// Nguy hại critical, gateway/aqi/alarm-stage.ts); a station silent past noDataS alarms by the
// clock; the outlook is the index, its trend and yesterday's daily index.
import { airStage, stageSeverity } from '../../aqi/alarm-stage.js'
import { pollutantsOf } from '../../aqi/fields.js'
import { airOutlook } from '../../aqi/outlook.js'
import { AirIndexes } from '../../aqi/stations.js'
import { HOUR_MS, hourStartOf } from '../../aqi/window.js'
import { num, type Condition } from '../../alarms/rules.js'
import { lowBatteryCondition, noDataCondition, type KindBehaviour } from './behaviour.js'

/** The station's windows live in the kind's memory of the device: one AirIndexes holding that one station. */
function indexesIn (memory: Record<string, unknown>): AirIndexes {
  if (!(memory.air instanceof AirIndexes)) memory.air = new AirIndexes()
  return memory.air as AirIndexes
}

/** The air alarm as the hourly index of the hour before `ts` says, or nothing while there is no index. */
function airCondition (indexes: AirIndexes, deviceId: string, ts: number, stageNow: number): Condition[] {
  const { hourStart, index } = indexes.lastHour(deviceId, ts)
  // No index (too few hours since the station started, or no PM analyser): the alarm stays as it is.
  if (index === null) return []
  const stage = airStage(index.aqi, stageNow)
  const severity = stageSeverity(stage)
  const details = { stage, aqi: index.aqi, band: index.band, dominant: index.dominant, hourStart, hourEnd: hourStart + HOUR_MS }
  return [severity === null
    ? { type: 'air_quality', active: false, details }
    : { type: 'air_quality', active: true, severity, followSeverity: true, details }]
}

export const airQualityBehaviour: KindBehaviour = {
  observe: ({ device, fields, ts, memory }) => {
    const indexes = indexesIn(memory)
    indexes.observe(device.id, ts, pollutantsOf(fields))
    // Once an hour is enough to drop the hours no index needs (a reading in a new hour).
    if (hourStartOf(ts) !== memory.prunedHour) { indexes.prune(ts); memory.prunedHour = hourStartOf(ts) }
  },
  reading: ({ device, fields, ts, th, memory, isActive, activeDetails }) => {
    const stageNow = activeDetails('air_quality')?.stage
    const out: Condition[] = [
      ...airCondition(indexesIn(memory), device.id, ts, typeof stageNow === 'number' ? stageNow : 0),
      // A reading is data: whatever "no data" alarm there was is over.
      { type: 'air_no_data', active: false }
    ]
    const battery = num(fields.batteryPct)
    if (battery !== undefined) out.push(lowBatteryCondition('air_low_battery', battery, th, isActive))
    return out
  },
  // The air is not cleaner because the station went quiet: its last index still counts.
  keptOffline: ['air_quality'],
  clock: ({ latest, th, now }) => [noDataCondition('air_no_data', latest, th, now)],
  darkSince: () => null,
  offlineSeverity: () => 'major',
  trendField: null,
  outlook: (device, _latest, _trend, memory, now) => airOutlook(indexesIn(memory), device.id, now),
  restore: async (device, memory, history, now) => {
    await indexesIn(memory).restore([device.id], (id, field, from, to, maxPoints) => history({ deviceId: id, kind: device.kind, field, from, to, maxPoints }), now)
  }
}
