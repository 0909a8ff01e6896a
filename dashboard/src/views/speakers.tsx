// The officials' page: which loudspeaker clusters are on air, at what volume, playing what,
// and which are faulty. Bulletins are composed and followed on the broadcasts page.
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import { AttentionBadges, OnlineBadge } from '../components/badges.js'
import { VirtualTable, type Column } from '../components/virtual-table.js'
import { ago, fieldValue, t } from '../i18n.js'
import { useLive } from '../live.js'
import { nameCell } from './cameras.js'
import { applyFilter, FilterBar, useFilter } from './device-list.js'

const v = (d: DeviceView, field: string): unknown => d.latest[field]?.value

export function SpeakersView () {
  const live = useLive('speaker')
  const [filter, setFilter] = useFilter()
  const all = live.list('speaker')
  const rows = applyFilter(all, filter)
  const columns: Array<Column<DeviceView>> = [
    { key: 'name', title: t('name'), width: 'minmax(14rem, 2fr)', cell: nameCell },
    { key: 'state', title: t('state'), width: 'minmax(8rem, 1fr)', cell: (d) => <OnlineBadge device={d} /> },
    { key: 'volume', title: t('volume'), width: '5rem', cell: (d) => <>{fieldValue('speaker', 'volume', v(d, 'volume'))}</> },
    {
      key: 'playing', title: t('playing'), width: 'minmax(9rem, 1.5fr)', cell: (d) => (
        <>{fieldValue('speaker', 'playing', v(d, 'playing'))}{v(d, 'playing') !== 'none' && v(d, 'playingItem') ? <><br /><span class='small muted'>{String(v(d, 'playingItem'))} · {fieldValue('speaker', 'playingPriority', v(d, 'playingPriority'))}</span></> : null}</>
      )
    },
    { key: 'faults', title: t('faults'), width: 'minmax(9rem, 1.5fr)', cell: (d) => <AttentionBadges attention={d.attention.filter((a) => a.code !== 'offline')} /> },
    { key: 'signal', title: t('signal'), width: '6rem', cell: (d) => <>{fieldValue('speaker', 'signalDbm', v(d, 'signalDbm'))}</> },
    { key: 'temp', title: t('temperature'), width: '6rem', cell: (d) => <>{fieldValue('speaker', 'temperatureC', v(d, 'temperatureC'))}</> },
    { key: 'seen', title: t('lastSeen'), width: '7rem', cell: (d) => <>{ago(d.lastSeen)}</> }
  ]
  return (
    <div>
      <h1>{t('speakers')}</h1>
      <p><a href='#/broadcasts'>{t('toBroadcasts')} →</a></p>
      <FilterBar devices={all} filter={filter} onChange={setFilter} shown={rows.length} />
      <VirtualTable label={t('speakers')} rows={rows} columns={columns} rowKey={(d) => d.id} rowHeight={80} />
    </div>
  )
}
