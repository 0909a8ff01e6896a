import { describe, expect, test } from 'vitest'
import { evaluate, type CommuneState, type RuleSettings } from './rules.js'

const settings: RuleSettings = { silentAfterMs: 180_000, darkMinCount: 3, darkFraction: 0.3, basinMinStations: 2 }
const now = 10_000_000
const commune = (code: string, lastHeartbeat: number | null, basin: string | null = 'song-huong'): CommuneState => ({ code, basin, lastHeartbeat })

describe('province-wide rules', () => {
  test('a commune whose last heartbeat is older than the silence limit is silent; one that never sent one too', () => {
    const found = evaluate(now, [commune('a', now - 60_000), commune('b', now - 200_000), commune('c', null), ...'defghij'.split('').map((c) => commune(c, now))], [], settings)
    expect(found).toEqual([
      { rule: 'commune_silent', subject: 'b', details: { lastHeartbeat: now - 200_000 } },
      { rule: 'commune_silent', subject: 'c', details: { lastHeartbeat: null } }
    ])
  })

  test('many communes dark at once are one alarm instead of one per commune', () => {
    const communes = [...'abcd'.split('').map((c) => commune(c, now - 600_000)), ...'efgh'.split('').map((c) => commune(c, now))]
    expect(evaluate(now, communes, [], settings)).toEqual([{ rule: 'communes_dark', subject: 'province', details: { communes: ['a', 'b', 'c', 'd'], of: 8 } }])
  })

  test('two stations of one basin above level III raise the basin alarm; one alone, or two in different basins, do not', () => {
    const communes = [commune('a', now), commune('b', now)]
    expect(evaluate(now, communes, [{ commune: 'a', deviceId: 'wl-1', basin: 'song-huong' }], settings)).toEqual([])
    expect(evaluate(now, communes, [{ commune: 'a', deviceId: 'wl-1', basin: 'song-huong' }, { commune: 'b', deviceId: 'wl-2', basin: 'song-bo' }], settings)).toEqual([])
    expect(evaluate(now, communes, [{ commune: 'a', deviceId: 'wl-1', basin: 'song-huong' }, { commune: 'b', deviceId: 'wl-2', basin: 'song-huong' }], settings))
      .toEqual([{ rule: 'basin_level_3', subject: 'song-huong', details: { stations: ['a/wl-1', 'b/wl-2'] } }])
  })
})
