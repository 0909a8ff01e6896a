import { expect, test } from 'vitest'
import { missedLine, outcomeLine, outcomeOf, reasonText } from './outcome.js'

const counts = (c: Partial<Record<'queued' | 'sent' | 'delivered' | 'playing' | 'done' | 'failed' | 'timed_out' | 'expired', number>>) => {
  const all = { queued: 0, sent: 0, delivered: 0, playing: 0, done: 0, failed: 0, timed_out: 0, expired: 0, ...c }
  return { ...all, targeted: Object.values(all).reduce((a, b) => a + b, 0) }
}

test('"played" only when every targeted cluster played in full; still on air while any has not answered', () => {
  expect(outcomeOf(counts({}))).toBe('not_aired')
  expect(outcomeOf(counts({ done: 30 }))).toBe('played')
  expect(outcomeOf(counts({ done: 29, playing: 1 }))).toBe('airing')
  expect(outcomeOf(counts({ done: 28, failed: 1, expired: 1 }))).toBe('partly_played')
  expect(outcomeOf(counts({ failed: 29, timed_out: 1 }))).toBe('not_played')
  expect(outcomeLine({ ...counts({ done: 28, failed: 2 }), outcome: 'partly_played' }, 'vi')).toBe('Chỉ phát được một phần: phát trọn vẹn trên 28/30 cụm loa')
  expect(outcomeLine({ ...counts({ done: 2 }), outcome: 'played' }, 'en')).toBe('played in full on 2 of 2 clusters')
})

test('reasons in Vietnamese or English, the cluster\'s own detail kept; an unknown reason shown as the cluster said it', () => {
  expect(reasonText('failed', 'fetch: HTTP 500', 'vi')).toBe('Cụm loa không tải được âm thanh (HTTP 500)')
  expect(reasonText('failed', 'preempted by an emergency bulletin', 'en')).toBe('Cut off by an emergency bulletin')
  expect(reasonText('expired', null, 'vi')).toBe('Cụm loa không kết nối lại trong thời gian hiệu lực')
  expect(reasonText('failed', 'loa cháy', 'vi')).toBe('Cụm loa báo lỗi: loa cháy')
  expect(reasonText('done', null, 'en')).toBe('')
  const missed = Array.from({ length: 7 }, (_, i) => ({ deviceId: `spk-${i}`, name: i === 0 ? null : `Loa ${i}`, village: 'Thôn Hạ', state: 'expired' as const, reason: null }))
  expect(missedLine(missed, 'en', 2)).toBe('spk-0 (Thôn Hạ): Expired — The cluster did not come back within the time-to-live; Loa 1 (Thôn Hạ): Expired — The cluster did not come back within the time-to-live; and 5 more')
})
