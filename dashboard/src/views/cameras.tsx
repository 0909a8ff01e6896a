// The police's page: is every camera really working? Online is not enough: the stream must
// advance, recording must run, storage must hold, nobody may cover the lens.
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import { AttentionBadges, Flag, OnlineBadge } from '../components/badges.js'
import { VirtualTable, type Column } from '../components/virtual-table.js'
import { ago, fieldValue, num, t } from '../i18n.js'
import { useLive } from '../live.js'
import { applyFilter, FilterBar, useFilter } from './device-list.js'
import { Thumb, usePictures } from './pictures.js'

const v = (d: DeviceView, field: string): unknown => d.latest[field]?.value

export const nameCell = (d: DeviceView) => (
  <a href={`#/device/${encodeURIComponent(d.id)}`} title={d.name}><strong class='one-line device-name'>{d.name}</strong><span class='muted small one-line'>{d.id} · {d.village}</span></a>
)

/** Online state and the worst other problem, with a count of the rest: it has to fit one row. */
export const stateCell = (d: DeviceView) => {
  const others = d.attention.filter((a) => a.code !== 'offline')
  return <><OnlineBadge device={d} /><br /><AttentionBadges attention={others.slice(0, 1)} />{others.length > 1 ? <span class='small'>+{others.length - 1}</span> : null}</>
}

export function CamerasView () {
  const live = useLive('camera')
  const [filter, setFilter] = useFilter()
  const all = live.list('camera')
  const rows = applyFilter(all, filter)
  const pictures = usePictures(null)
  const columns: Array<Column<DeviceView>> = [
    { key: 'picture', title: t('picture'), width: '7rem', cell: (d) => <Thumb id={d.id} at={pictures?.get(d.id)?.latestAt} /> },
    { key: 'name', title: t('name'), width: 'minmax(13rem, 2fr)', cell: nameCell },
    { key: 'state', title: t('state'), width: 'minmax(11rem, 1.2fr)', cell: stateCell },
    { key: 'stream', title: t('stream'), width: '6.5rem', cell: (d) => <><Flag value={v(d, 'streamAlive')} good /> {typeof v(d, 'fps') === 'number' ? <span class='small'>{num(v(d, 'fps') as number, 0)} fps</span> : null}</> },
    { key: 'rec', title: t('recording'), width: '6rem', cell: (d) => <Flag value={v(d, 'recording')} good /> },
    { key: 'storage', title: t('storage'), width: '7rem', cell: (d) => <>{fieldValue('camera', 'storageUsedPct', v(d, 'storageUsedPct'))}<br /><span class='small muted'>{fieldValue('camera', 'storageState', v(d, 'storageState'))}</span></> },
    { key: 'tamper', title: t('tamper'), width: '6rem', cell: (d) => <Flag value={v(d, 'tamper')} good={false} /> },
    { key: 'fw', title: t('firmware'), width: '6rem', cell: (d) => <>{d.firmware ?? '—'}</> },
    { key: 'pw', title: t('defaultPassword'), width: '6.5rem', cell: (d) => <Flag value={v(d, 'defaultPassword')} good={false} /> },
    { key: 'seen', title: t('lastSeen'), width: '7rem', cell: (d) => <span title={String(d.lastSeen ?? '')}>{ago(d.lastSeen)}</span> }
  ]
  return (
    <div>
      <h1>{t('cameras')}</h1>
      <FilterBar devices={all} filter={filter} onChange={setFilter} shown={rows.length} />
      <VirtualTable label={t('cameras')} rows={rows} columns={columns} rowKey={(d) => d.id} rowHeight={80} />
    </div>
  )
}
