// The count of unacknowledged alarms in the menu, and the ring of a new critical alarm.
import { useLive } from '../live.js'
import { t } from '../i18n.js'

/** The count in the menu: active alarms nobody acknowledged; red when one is critical. */
export function AlarmBadge () {
  const live = useLive('alarms')
  const open = [...live.alarms.values()].filter((a) => !a.acknowledged)
  if (open.length === 0) return null
  const critical = open.some((a) => a.severity === 'critical')
  return <span class={`count-badge ${critical ? 'critical' : ''}`} aria-label={`${open.length} ${t('notAcknowledged')}`}>{open.length}</span>
}

/** Two tones, twice: a new critical alarm must not go unheard. Web Audio: no sound file to ship. */
export function ring (): void {
  try {
    const ctx = new AudioContext()
    const gain = ctx.createGain()
    gain.gain.value = 0.2
    gain.connect(ctx.destination)
    ;[880, 660, 880, 660].forEach((hz, i) => {
      const osc = ctx.createOscillator()
      osc.frequency.value = hz
      osc.connect(gain)
      osc.start(ctx.currentTime + i * 0.3)
      osc.stop(ctx.currentTime + i * 0.3 + 0.25)
    })
    setTimeout(() => { void ctx.close() }, 2000)
  } catch {
    // No audio device (or blocked until the page is touched): the banner still shows.
  }
}
