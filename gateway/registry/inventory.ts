// Inventories: how a commune's hundred cameras get into the registry without anyone typing
// them one by one. CSV (one row a device, as exported from a spreadsheet) or YAML.
// Parsing only shapes the entries; Registry.importMany checks them all and names every
// problem with its row.
import { parse as parseCsv } from 'csv-parse/sync'
import { parse as parseYaml } from 'yaml'
import { validationError } from '../errors.js'

export type InventoryFormat = 'csv' | 'yaml'

export function formatOf (fileNameOrMediaType: string): InventoryFormat | null {
  const s = fileNameOrMediaType.toLowerCase()
  if (s.endsWith('.csv') || s.includes('text/csv')) return 'csv'
  if (/\.ya?ml$/.test(s) || s.includes('yaml') || s.endsWith('.json') || s.includes('application/json')) return 'yaml'
  return null
}

/**
 * YAML (or JSON, which is YAML):
 *   commune: Xã Tân Thủy        # default for every device below
 *   devices:
 *     - { id: cam-001, kind: camera, name: Cổng UBND, village: Thôn Đông, lat: 16.4, lon: 107.5 }
 */
function fromYaml (text: string): unknown[] {
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (err) {
    throw validationError(`inventory is not valid YAML: ${(err as Error).message}`)
  }
  const root = doc as { commune?: unknown; devices?: unknown } | null
  if (!root || typeof root !== 'object' || !Array.isArray(root.devices)) {
    throw validationError('inventory needs a "devices" list')
  }
  const commune = typeof root.commune === 'string' ? root.commune : undefined
  return root.devices.map((d: unknown) =>
    commune !== undefined && d !== null && typeof d === 'object' && !('commune' in d) ? { commune, ...d } : d)
}

// CSV columns, by header (case and spaces ignored). Reservoir levels are flat columns.
const CSV_COLUMNS = ['id', 'kind', 'name', 'commune', 'village', 'site', 'legacy_district', 'lat', 'lon',
  'reservoir', 'dead_level_m', 'pre_flood_level_m', 'normal_level_m', 'design_flood_level_m', 'check_flood_level_m',
  'alarm1_m', 'alarm2_m', 'alarm3_m', 'downstream_villages'] as const

function num (value: string | undefined): number | undefined | string {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value.replace(',', '.'))
  return Number.isFinite(n) ? n : value // left as text: validation names the column
}

function text (value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

function fromCsvRow (r: Record<string, string>): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: text(r.id), kind: text(r.kind), name: text(r.name), commune: text(r.commune), village: text(r.village),
    site: text(r.site), legacyDistrict: text(r.legacy_district), lat: num(r.lat), lon: num(r.lon)
  }
  const reservoir = text(r.reservoir)
  if (reservoir !== undefined) {
    entry.reservoir = {
      name: reservoir,
      referenceLevels: {
        deadM: num(r.dead_level_m), preFloodM: num(r.pre_flood_level_m), normalM: num(r.normal_level_m),
        designFloodM: num(r.design_flood_level_m), checkFloodM: num(r.check_flood_level_m)
      },
      alarmLevels: { level1M: num(r.alarm1_m), level2M: num(r.alarm2_m), level3M: num(r.alarm3_m) },
      downstreamVillages: (text(r.downstream_villages) ?? '').split(';').map((v) => v.trim()).filter(Boolean)
    }
  }
  // Empty cells mean "not given", not "empty string".
  return JSON.parse(JSON.stringify(entry)) as Record<string, unknown>
}

function fromCsv (text: string): unknown[] {
  let rows: Record<string, string>[]
  try {
    rows = parseCsv<Record<string, string>>(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_')),
      skip_empty_lines: true,
      trim: true,
      bom: true
    })
  } catch (err) {
    throw validationError(`inventory is not valid CSV: ${(err as Error).message}`)
  }
  const first = rows[0]
  if (first) {
    const unknown = Object.keys(first).filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c))
    if (unknown.length > 0) throw validationError(`unknown CSV column(s): ${unknown.join(', ')}; known: ${CSV_COLUMNS.join(', ')}`)
  }
  return rows.map(fromCsvRow)
}

export function parseInventory (text: string, format: InventoryFormat): unknown[] {
  return format === 'csv' ? fromCsv(text) : fromYaml(text)
}
