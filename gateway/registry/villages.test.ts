// Which known villages a typed name is close to (issue #15: a misspelled village was
// silently a new one).
import { expect, test } from 'vitest'
import { checkVillage, closeVillages } from './villages.js'

const KNOWN = ['Thôn An Lỗ', 'Thôn Đông Lâm', 'Thôn Hòa Bình', 'Thôn Tây Phú', 'Tổ dân phố 3', 'Bản Khe Sanh']

test('a name without accents, with a letter off or a different case finds its village; a different village finds none', () => {
  expect(closeVillages('Thon Hoa Binh', KNOWN)).toEqual(['Thôn Hòa Bình'])
  expect(closeVillages('thôn đông lam', KNOWN)).toEqual(['Thôn Đông Lâm'])
  expect(closeVillages('Thôn Hòa Bìnhh', KNOWN)).toEqual(['Thôn Hòa Bình'])
  expect(closeVillages('Hòa Bình', KNOWN)).toEqual(['Thôn Hòa Bình'])
  expect(closeVillages('Ban Khe Sanh', KNOWN)).toEqual(['Bản Khe Sanh'])
  expect(closeVillages('Thôn Tân Lập', KNOWN)).toEqual([])
  expect(closeVillages('Thôn Bến Củi', KNOWN)).toEqual([])
})

test('a known village passes; an unknown one is refused with its close matches unless confirmed as new', () => {
  expect(() => checkVillage(' Thôn An Lỗ ', KNOWN, false)).not.toThrow()
  expect(() => checkVillage('Thôn Tân Lập', KNOWN, true)).not.toThrow()
  expect(() => checkVillage('Thon An Lo', KNOWN, false)).toThrow(/Gần giống: Thôn An Lỗ\..*Close matches: Thôn An Lỗ\./)
})
