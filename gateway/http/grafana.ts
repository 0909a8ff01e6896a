// /api/grafana/dashboard.json: a Grafana dashboard for this commune's InfluxDB (issue #22),
// made from the registry: one panel per water station with its alarm lines (báo động I, II,
// III and the design flood level, as the station's own levels), and the cameras that reported
// in each five minutes per village. Import it in Grafana with an InfluxDB (InfluxQL) data
// source on GATEWAY_INFLUX_DATABASE. The data model: docs/grafana.md.
import { Router } from 'express'
import type { DeviceKind } from '../contract/index.js'
import type { Device } from '../registry/device.js'
import type { Registry } from '../registry/registry.js'
import { allow, kindsOf } from './access.js'
import { AnyObject } from './answers.js'
import { doc } from './describe.js'

const DATASOURCE = { type: 'influxdb', uid: '${DS_INFLUXDB}' }
const LINES = [
  ['level1M', 'yellow'], ['level2M', 'orange'], ['level3M', 'red']
] as const

/** Escapes a tag value inside an InfluxQL single-quoted string. */
const quoted = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

function stationPanel (d: Device, i: number): unknown {
  const levels = d.reservoir?.alarmLevels ?? {}
  const designFlood = d.reservoir?.referenceLevels.designFloodM
  const steps = [{ color: 'green', value: null as number | null },
    ...LINES.filter(([line]) => levels[line] !== undefined).map(([line, color]) => ({ color, value: levels[line]! })),
    ...(designFlood === undefined ? [] : [{ color: 'purple', value: designFlood }])]
  return {
    id: i + 1, type: 'timeseries', title: `Mực nước · ${d.name} (${d.village})`, datasource: DATASOURCE,
    gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
    fieldConfig: { defaults: { unit: 'lengthm', custom: { thresholdsStyle: { mode: 'line' } }, thresholds: { mode: 'absolute', steps } }, overrides: [] },
    targets: [{ refId: 'A', datasource: DATASOURCE, rawQuery: true, resultFormat: 'time_series', alias: 'levelM',
      query: `SELECT mean("levelM") FROM "water_sensor" WHERE "device" = ${quoted(d.id)} AND $timeFilter GROUP BY time($__interval) fill(none)` }]
  }
}

function camerasPanel (i: number): unknown {
  return {
    id: i + 1, type: 'timeseries', title: 'Camera trực tuyến theo thôn / cameras online per village', datasource: DATASOURCE,
    gridPos: { x: 0, y: Math.ceil(i / 2) * 8, w: 24, h: 8 },
    description: 'Cameras that sent a reading in each 5 minutes (they report at least every 3 minutes while online).',
    fieldConfig: { defaults: { unit: 'short', decimals: 0 }, overrides: [] },
    targets: [{ refId: 'A', datasource: DATASOURCE, rawQuery: true, resultFormat: 'time_series', alias: '$tag_village',
      query: 'SELECT count("last") FROM (SELECT last("streamAlive") FROM "camera" WHERE $timeFilter GROUP BY time(5m), "device", "village") WHERE $timeFilter GROUP BY time(5m), "village" fill(0)' }]
  }
}

/** The dashboard for these devices, over the kinds the caller sees. */
export function grafanaDashboard (devices: readonly Device[], kinds: readonly DeviceKind[], commune: string): Record<string, unknown> {
  const stations = kinds.includes('water_sensor') ? devices.filter((d) => d.kind === 'water_sensor' && d.enabled).sort((a, b) => a.village.localeCompare(b.village, 'vi') || a.name.localeCompare(b.name, 'vi')) : []
  const panels = stations.map(stationPanel)
  if (kinds.includes('camera')) panels.push(camerasPanel(panels.length))
  return {
    __inputs: [{ name: 'DS_INFLUXDB', label: 'InfluxDB (GATEWAY_INFLUX_DATABASE)', type: 'datasource', pluginId: 'influxdb', pluginName: 'InfluxDB' }],
    title: `${commune} · mực nước và camera`, uid: null, schemaVersion: 39, version: 1, editable: true, refresh: '1m',
    time: { from: 'now-24h', to: 'now' }, timezone: 'Asia/Ho_Chi_Minh', tags: ['commune-gateway'], templating: { list: [] }, panels
  }
}

export function grafanaRoutes (deps: { registry: Registry; commune: string }): Router {
  const router = Router()
  router.get('/grafana/dashboard.json', allow('devices.read'), doc({
    summary: 'A Grafana dashboard for this commune\'s InfluxDB: water levels with each station\'s alarm lines, cameras online per village', answer: AnyObject, stable: true
  }), (req, res) => {
    res.attachment('commune-dashboard.json').json(grafanaDashboard(deps.registry.list(), kindsOf(req), deps.commune))
  })
  return router
}
