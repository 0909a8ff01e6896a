// `npm run demo` and `npm start` rebuild the dashboard while a gateway may be serving it (a
// running box, a test's gateway): a CI run once caught a page stuck on "Đang tải…" because the
// rebuild had removed the folder under it. A rebuild never leaves the page without its files,
// and the assets of the build before stay for the pages that loaded its index.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { buildApp } from '../../dashboard/build.js'

const here = join(import.meta.dirname, '../../dashboard')
const buildInto = (dist: string) => buildApp({ entry: join(here, 'src/main.tsx'), html: join(here, 'index.html'), dist, quiet: true })

/** What a browser would find missing now: the index, or an asset it names. */
function missing (dist: string): string[] {
  const index = join(dist, 'index.html')
  if (!existsSync(index)) return ['index.html']
  const named = [...readFileSync(index, 'utf8').matchAll(/\/assets\/([\w.-]+)/g)].map((m) => m[1] ?? '')
  return named.filter((name) => !existsSync(join(dist, 'assets', name)))
}

test('while the dashboard is rebuilt, every look at its folder finds the index and the files it names', { timeout: 60_000 }, async () => {
  const dist = join(mkdtempSync(join(tmpdir(), 'gw-rebuild-')), 'dist')
  await buildInto(dist)
  const seenMissing: string[] = []
  let looks = 0
  let building = true
  const watcher = (async () => {
    while (building) {
      seenMissing.push(...missing(dist))
      looks++
      await new Promise((resolve) => setImmediate(resolve))
    }
  })()
  await Promise.all([buildInto(dist), buildInto(dist)])
  await buildInto(dist)
  building = false
  await watcher
  expect(looks).toBeGreaterThan(10)
  expect(seenMissing).toEqual([])
})

test('a rebuild keeps the assets of the build before (pages still open load them) and drops older ones', { timeout: 60_000 }, async () => {
  const dist = join(mkdtempSync(join(tmpdir(), 'gw-rebuild-')), 'dist')
  mkdirSync(join(dist, 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), '<script type="module" src="/assets/app-BEFORE.js"></script>')
  writeFileSync(join(dist, 'assets', 'app-BEFORE.js'), 'console.log(1)')
  writeFileSync(join(dist, 'assets', 'app-OLDER.js'), 'console.log(0)')
  await buildInto(dist)
  expect(existsSync(join(dist, 'assets', 'app-BEFORE.js'))).toBe(true)
  expect(existsSync(join(dist, 'assets', 'app-OLDER.js'))).toBe(false)
  expect(missing(dist)).toEqual([])
  await buildInto(dist)
  expect(existsSync(join(dist, 'assets', 'app-BEFORE.js'))).toBe(false)
})
