// What a duty officer opens first: how many of each kind are online, village by village,
// and the devices that need attention, the most severe first.
import type { DeviceKind } from '../../../gateway/contract/kinds.js'
import { AttentionBadges } from '../components/badges.js'
import { kindHref } from '../kind-pages.js'
import { ago, kindName, num, t } from '../i18n.js'
import { useLive } from '../live.js'

export function OverviewView ({ kinds }: { kinds: readonly DeviceKind[] }) {
  const live = useLive('overview')
  const o = live.overview
  if (!o) return <p class='muted'>{t('loading')}</p>
  const villages = Object.entries(o.byVillage).sort(([a], [b]) => a.localeCompare(b, 'vi'))
  return (
    <div class='overview'>
      <section class='cards' aria-label={t('overview')}>
        {kinds.map((kind) => {
          const c = o.byKind[kind] ?? { total: 0, online: 0 }
          const down = c.total - c.online
          return (
            <a key={kind} class={`card ${down > 0 ? 'has-problem' : ''}`} href={kindHref(kind)}>
              <h2>{kindName(kind)}</h2>
              <p class='big' data-testid={`online-${kind}`}>{num(c.online, 0)} / {num(c.total, 0)}</p>
              <p>● {t('online')}: {num(c.online, 0)} · {down > 0 ? <strong>✕ {t('offline')}: {num(down, 0)}</strong> : <span>✕ {t('offline')}: 0</span>}</p>
            </a>
          )
        })}
      </section>

      <section aria-labelledby='attention-title'>
        <h2 id='attention-title'>{t('needsAttention')} ({num(o.attention.length, 0)})</h2>
        {o.attention.length === 0
          ? <p class='ok-note'>✓ {t('allWell')}</p>
          : (
            <ul class='attention-list'>
              {o.attention.slice(0, 50).map((d) => (
                <li key={d.id}>
                  <a href={`#/device/${encodeURIComponent(d.id)}`}><strong>{d.name}</strong></a>
                  <span class='muted'> · {d.village} · {kindName(d.kind)} · {ago(d.since)}</span>
                  <AttentionBadges attention={d.attention} />
                </li>
              ))}
            </ul>
          )}
      </section>

      <section aria-labelledby='villages-title'>
        <h2 id='villages-title'>{t('village')}</h2>
        <div class='table-wrap'>
          <table class='villages'>
            <thead><tr><th scope='col'>{t('village')}</th>{kinds.map((k) => <th key={k} scope='col'>{kindName(k)}</th>)}</tr></thead>
            <tbody>
              {villages.map(([village, counts]) => (
                <tr key={village}>
                  <th scope='row'>{village}</th>
                  {kinds.map((k) => {
                    const c = counts.byKind[k]
                    if (!c) return <td key={k} class='muted'>—</td>
                    const down = c.total - c.online
                    return <td key={k} class={down > 0 ? 'bad-cell' : ''}>{num(c.online, 0)}/{num(c.total, 0)}{down > 0 ? ` ✕${num(down, 0)}` : ' ✓'}</td>
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  )
}
