// Province-wide rules, as pure functions of what the province knows: a commune box silent
// (no heartbeat), many communes dark at once (one alarm, like the village power cut one level
// up: it replaces their separate "silent" alarms), and several stations of one river basin
// above alarm level III at once.

export interface RuleSettings {
  /** A commune with no heartbeat for this long is silent. */
  silentAfterMs: number
  /** This many silent communes (or this fraction of all) at once are one "many dark" alarm. */
  darkMinCount: number
  darkFraction: number
  /** This many stations of one basin above level III at once raise the basin alarm. */
  basinMinStations: number
}

export interface CommuneState { code: string; basin: string | null; lastHeartbeat: number | null }
export interface Level3 { commune: string; deviceId: string; basin: string | null }

export type ProvinceRule = 'commune_silent' | 'communes_dark' | 'basin_level_3'

export interface Finding { rule: ProvinceRule; subject: string; details: Record<string, unknown> }

export function evaluate (now: number, communes: readonly CommuneState[], level3: readonly Level3[], s: RuleSettings): Finding[] {
  const findings: Finding[] = []
  const silent = communes.filter((c) => c.lastHeartbeat === null || now - c.lastHeartbeat > s.silentAfterMs)
  const dark = communes.length > 0 && silent.length >= Math.max(s.darkMinCount, Math.ceil(s.darkFraction * communes.length))
  if (dark) {
    findings.push({ rule: 'communes_dark', subject: 'province', details: { communes: silent.map((c) => c.code), of: communes.length } })
  } else {
    for (const c of silent) findings.push({ rule: 'commune_silent', subject: c.code, details: { lastHeartbeat: c.lastHeartbeat } })
  }
  const byBasin = new Map<string, Level3[]>()
  for (const l of level3) {
    if (!l.basin) continue
    const list = byBasin.get(l.basin) ?? []
    list.push(l)
    byBasin.set(l.basin, list)
  }
  for (const [basin, stations] of byBasin) {
    if (stations.length >= s.basinMinStations) {
      findings.push({ rule: 'basin_level_3', subject: basin, details: { stations: stations.map((l) => `${l.commune}/${l.deviceId}`) } })
    }
  }
  return findings
}
