import { expect, test } from 'vitest'
import { csvCell } from './csv.js'

test('cells that a spreadsheet would run as a formula are defused, tab and carriage return included', () => {
  expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"')
  expect(csvCell('+1+1')).toBe("'+1+1")
  expect(csvCell('-2+3')).toBe("'-2+3")
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
  expect(csvCell('\t=1+1')).toBe("'\t=1+1")
  expect(csvCell('\r=1+1')).toBe('"\'\r=1+1"')
  expect(csvCell('＝1+1')).toBe("'＝1+1")
})

test('ordinary text, numbers and empty values are written as they are, quoted only when needed', () => {
  expect(csvCell('Thôn Đông')).toBe('Thôn Đông')
  expect(csvCell('a, b')).toBe('"a, b"')
  expect(csvCell('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"')
  expect(csvCell(-1.5)).toBe('-1.5')
  expect(csvCell(null)).toBe('')
})
