// A village chosen from the villages the registry knows (issue #15): a new one only through
// an explicit step, a name typed and a box ticked that says it is not a misspelling, with the
// known villages that look closest shown while it is typed (the same matching the gateway
// uses to refuse a misspelled village).
import { closeVillages } from '../../../gateway/registry/villages.js'
import { t } from '../i18n.js'

export interface VillageChoice { village: string; isNew: boolean; confirmed: boolean }
export const NO_VILLAGE: VillageChoice = { village: '', isNew: false, confirmed: false }

/** Ready to send: a known village, or a new one confirmed. */
export const villageReady = (c: VillageChoice): boolean => c.village.trim() !== '' && (!c.isNew || c.confirmed)

const NEW = '\u0000new'

export function VillagePicker ({ villages, choice, onChange }: { villages: string[]; choice: VillageChoice; onChange: (c: VillageChoice) => void }) {
  const close = choice.isNew && choice.village.trim() ? closeVillages(choice.village, villages) : []
  return (
    <fieldset class='village-picker'>
      <legend>{t('village')}</legend>
      <select
        name='village'
        // The legend names the group, not the list: without this a screen reader reads an unnamed list.
        aria-label={t('village')}
        required
        value={choice.isNew ? NEW : choice.village}
        onChange={(e) => { const v = (e.currentTarget).value; onChange(v === NEW ? { village: '', isNew: true, confirmed: false } : { village: v, isNew: false, confirmed: false }) }}>
        <option value='' disabled>{t('chooseVillage')}</option>
        {villages.map((v) => <option key={v} value={v}>{v}</option>)}
        <option value={NEW}>{t('newVillageOption')}</option>
      </select>
      {choice.isNew && (
        <>
          <label>{t('newVillageName')}
            <input name='newVillage' required value={choice.village} onInput={(e) => onChange({ ...choice, village: (e.currentTarget).value, confirmed: false })} />
          </label>
          {close.length > 0 && (
            <p class='warn-note' role='status'>{t('didYouMean')}:{' '}
              {close.map((v) => <button type='button' key={v} class='link' onClick={() => onChange({ village: v, isNew: false, confirmed: false })}>{v}</button>)}
            </p>
          )}
          <label class='check'>
            <input type='checkbox' name='confirmNewVillage' checked={choice.confirmed} onChange={(e) => onChange({ ...choice, confirmed: (e.currentTarget).checked })} />
            {t('confirmNewVillage')}
          </label>
        </>
      )}
    </fieldset>
  )
}
