import { useLive } from '../live.js'
import { t } from '../i18n.js'

/** A visible marker when the live link is down, and when it is back. */
export function LiveBanner () {
  const live = useLive()
  if (live.link === 'down') return <div class='banner down' role='alert'>⚠ {t('liveDown')}</div>
  if (live.link === 'back') return <div class='banner back' role='status'>✓ {t('liveBack')}</div>
  return null
}

export function LiveDot () {
  const live = useLive()
  const on = live.link === 'live' || live.link === 'back'
  return <span class={on ? 'live-dot on' : 'live-dot off'} aria-live='polite'>{on ? '●' : '○'} {on ? t('live') : t('offline')}</span>
}
