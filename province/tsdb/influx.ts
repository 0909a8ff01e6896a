// The provincial time-series store: InfluxDB 1.x over its HTTP API, written in line protocol.
// Chosen here because the project already runs and tests Debian's InfluxDB 1.6.7; measured
// VictoriaMetrics (Debian's victoria-metrics) takes the same line protocol, so the worker would
// only change its URL. A point is keyed by measurement, tags and time: a batch written twice
// overwrites the same points, which makes redeliveries and duplicates harmless.
import type { FieldValue } from '../../gateway/contract/index.js'

export interface ProvincePoint {
  measurement: string
  commune: string
  deviceId: string
  village: string
  ts: number
  fields: Readonly<Record<string, FieldValue>>
}

const escTag = (s: string): string => s.replace(/[,= \\]/g, (c) => `\\${c}`)
const escMeasurement = (s: string): string => s.replace(/[, \\]/g, (c) => `\\${c}`)
const escString = (s: string): string => s.replace(/["\\]/g, (c) => `\\${c}`)

function field (value: FieldValue): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'string') return `"${escString(value)}"`
  return null
}

/** One line, or null when no field can be written. Numbers are always floats (no type conflicts between readings). */
export function toLine (p: ProvincePoint): string | null {
  const fields: string[] = []
  for (const [k, v] of Object.entries(p.fields)) {
    const f = field(v)
    if (f !== null) fields.push(`${escTag(k)}=${f}`)
  }
  if (fields.length === 0) return null
  return `${escMeasurement(p.measurement)},commune=${escTag(p.commune)},device=${escTag(p.deviceId)},village=${escTag(p.village || '-')} ${fields.join(',')} ${Math.trunc(p.ts)}`
}

export class InfluxWriter {
  constructor (private readonly url: string, readonly database: string) {}

  async ensureDatabase (): Promise<void> {
    await this.query(`CREATE DATABASE "${this.database}"`, 'POST')
  }

  /** Writes lines; resolves with how many InfluxDB refused for what they are (kept out, not retried). */
  async write (lines: readonly string[]): Promise<{ refused: string | null }> {
    if (lines.length === 0) return { refused: null }
    const res = await fetch(`${this.url}/write?db=${encodeURIComponent(this.database)}&precision=ms`, {
      method: 'POST', body: lines.join('\n'), signal: AbortSignal.timeout(30_000)
    })
    if (res.status === 204) return { refused: null }
    const text = await res.text()
    // 400: a point InfluxDB will never take (a field type conflict); the rest of the batch is
    // written. Retrying would block every reading behind it.
    if (res.status === 400) return { refused: text.slice(0, 300) }
    throw new Error(`InfluxDB write failed: ${res.status} ${text.slice(0, 300)}`)
  }

  async query (q: string, method: 'GET' | 'POST' = 'GET'): Promise<InfluxResult> {
    const params = new URLSearchParams({ q, db: this.database, epoch: 'ms' })
    const res = await fetch(`${this.url}/query?${params.toString()}`, { method, signal: AbortSignal.timeout(30_000) })
    if (!res.ok) throw new Error(`InfluxDB query failed: ${res.status} ${await res.text()}`)
    return await res.json() as InfluxResult
  }
}

export interface InfluxResult {
  results: Array<{ error?: string; series?: Array<{ name: string; columns: string[]; values: unknown[][]; tags?: Record<string, string> }> }>
}
