import { dirname } from 'node:path'
import { expect, test } from 'vitest'
import { missingTools, missingToolsNotice } from './audio.js'

test('the speech and audio tools are found on the PATH, and their absence is named with the command that installs them', async () => {
  expect(await missingTools()).toEqual([])
  expect(missingToolsNotice([])).toBeNull()
  // Node alone on the PATH: neither espeak-ng nor ffmpeg.
  const missing = await missingTools({ PATH: dirname(process.execPath) === '/usr/bin' ? '/nonexistent' : dirname(process.execPath) })
  expect(missing).toEqual(['espeak-ng', 'ffmpeg'])
  const notice = missingToolsNotice(missing)!
  expect(notice).toContain('Thiếu espeak-ng, ffmpeg')
  expect(notice).toContain('sudo apt-get install espeak-ng ffmpeg')
})
