// The filter bar every device list shares: village, free text, only problems.
import { useState } from 'preact/hooks'
import type { DeviceView } from '../../../gateway/realtime/protocol.js'
import { t } from '../i18n.js'

export interface Filter { village: string; text: string; problems: boolean }

export function useFilter (): [Filter, (f: Partial<Filter>) => void] {
  const [filter, setFilter] = useState<Filter>({ village: '', text: '', problems: false })
  return [filter, (f) => setFilter((old) => ({ ...old, ...f }))]
}

export function applyFilter (devices: DeviceView[], f: Filter): DeviceView[] {
  const text = f.text.trim().toLowerCase()
  return devices
    .filter((d) => (!f.village || d.village === f.village) && (!f.problems || d.attention.length > 0) &&
      (!text || d.name.toLowerCase().includes(text) || d.id.includes(text)))
    .sort((a, b) => b.attention.length - a.attention.length || a.village.localeCompare(b.village, 'vi') || a.name.localeCompare(b.name, 'vi'))
}

export function FilterBar ({ devices, filter, onChange, shown }: { devices: DeviceView[]; filter: Filter; onChange: (f: Partial<Filter>) => void; shown: number }) {
  const villages = [...new Set(devices.map((d) => d.village))].sort((a, b) => a.localeCompare(b, 'vi'))
  return (
    <div class='filters'>
      <label>{t('village')}
        <select value={filter.village} onChange={(e) => onChange({ village: (e.currentTarget).value })}>
          <option value=''>{t('allVillages')}</option>
          {villages.map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      </label>
      <label>{t('search')}
        <input type='search' value={filter.text} onInput={(e) => onChange({ text: (e.currentTarget).value })} />
      </label>
      <label class='check'>
        <input type='checkbox' checked={filter.problems} onChange={(e) => onChange({ problems: (e.currentTarget).checked })} />
        {t('onlyProblems')}
      </label>
      <span class='muted count'>{shown} / {devices.length}</span>
    </div>
  )
}
