// Vietnamese everywhere in the Vietnamese interface (issue #15): no page writes words of its
// own outside the dictionary (dashboard/src/words.ts and the shared word tables), and every
// audit action the gateway records has its words. Reads the sources with the TypeScript
// compiler: any text between tags, and any placeholder, label, title or alt written as a
// literal, fails this test with its file and line.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { expect, test } from 'vitest'
import { AUDIT_ACTIONS } from '../../gateway/users/audit-words.js'
import { EN, VI } from '../../dashboard/src/words.js'

const ROOT = join(import.meta.dirname, '..', '..')
const files = (dir: string, ext: RegExp): string[] => readdirSync(dir, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile() && ext.test(e.name)).map((e) => join(e.parentPath, e.name))
/** Units and names read the same in both languages; anything else with a letter is a word. */
const SAME_IN_BOTH = /\b(cm\/h|fps|SMS|Zalo|m|h)\b/g
const isWords = (text: string): boolean => /\p{L}/u.test(text.replace(SAME_IN_BOTH, ''))
const VISIBLE_ATTRIBUTES = new Set(['placeholder', 'aria-label', 'title', 'alt'])

test('no page writes visible text outside the dictionary: every word of the dashboard comes from words.ts or a shared word table', () => {
  const found: string[] = []
  for (const file of files(join(ROOT, 'dashboard', 'src'), /\.tsx$/)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
    const where = (node: ts.Node) => `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`
    const visit = (node: ts.Node): void => {
      if (ts.isJsxText(node) && isWords(node.text)) found.push(`${where(node)} text "${node.text.trim()}"`)
      if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText()) && node.initializer && ts.isStringLiteral(node.initializer) && isWords(node.initializer.text)) {
        found.push(`${where(node)} ${node.name.getText()}="${node.initializer.text}"`)
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  expect(found).toEqual([])
})

test('the dictionary has every word in both languages, none left empty', () => {
  expect(Object.keys(EN).sort()).toEqual(Object.keys(VI).sort())
  expect(Object.entries(VI).filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([])
  expect(Object.entries(EN).filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([])
})

test('every action the gateway writes to the audit log has its words, so the audit page never shows a code', () => {
  const recorded = new Set<string>()
  for (const file of files(join(ROOT, 'gateway'), /(?<!\.test)\.ts$/)) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/(?:action: |record\(req, |audited\(|log\()'([a-z_]+\.[a-z_]+)'/g)) recorded.add(m[1]!)
    for (const m of text.matchAll(/`(alarm|broadcast)\.\$\{[^}]+\}`/g)) recorded.add(`${m[1]!}.*`)
  }
  expect(recorded.size).toBeGreaterThan(20)
  const known = Object.keys(AUDIT_ACTIONS)
  const missing = [...recorded].filter((a) => a.endsWith('.*') ? !known.some((k) => k.startsWith(a.slice(0, -1))) : !known.includes(a))
  expect(missing).toEqual([])
})
