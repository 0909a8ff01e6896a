// Readings into the provincial time-series store. Each message is one batch of a commune's
// readings lane; its commune comes from the subject. A fetch of messages becomes one write.
import type { JetStreamClient, JsMsg } from 'nats'
import type { Logger } from '../../gateway/log.js'
import type { ProvincePoint } from '../tsdb/influx.js'
import { toLine, type InfluxWriter } from '../tsdb/influx.js'
import { READINGS_CONSUMER, READINGS_STREAM } from '../nats/streams.js'
import { communeOf, startPullWorker, type PullWorker } from './pull.js'

export interface UpBatch<Body> {
  lane: string
  first: number
  last: number
  rows: Array<{ seq: number; at: number; body: Body }>
}

interface JournalPoint { measurement: string; deviceId: string; village: string; ts: number; fields: ProvincePoint['fields'] }

export function readingLines (msgs: readonly JsMsg[], log: Logger): string[] {
  const lines: string[] = []
  for (const m of msgs) {
    const { commune } = communeOf(m.subject)
    let batch: UpBatch<JournalPoint>
    try {
      batch = m.json<UpBatch<JournalPoint>>()
    } catch (err) {
      log.warn({ err, subject: m.subject }, 'readings message is not JSON; dropped')
      continue
    }
    for (const row of batch.rows ?? []) {
      const p = row.body
      if (typeof p?.deviceId !== 'string' || typeof p.ts !== 'number' || typeof p.fields !== 'object') continue
      const line = toLine({ measurement: p.measurement, commune, deviceId: p.deviceId, village: p.village, ts: p.ts, fields: p.fields })
      if (line) lines.push(line)
    }
  }
  return lines
}

export function startReadingsWorker (js: JetStreamClient, influx: InfluxWriter, log: Logger, observe: (lines: number) => void = () => {}): PullWorker {
  return startPullWorker(js, {
    stream: READINGS_STREAM,
    consumer: READINGS_CONSUMER,
    batch: 50,
    handle: async (msgs) => {
      const lines = readingLines(msgs, log)
      const { refused } = await influx.write(lines)
      if (refused) log.warn({ refused }, 'InfluxDB refused some readings for good (field type conflict); the rest are stored')
      observe(lines.length)
    }
  }, log)
}
