// Builds the dashboard into dist/: one JavaScript and one CSS file with content hashes
// (cached for a year by the gateway), and index.html pointing at them. No CDN: the box is
// often offline. Prints the gzipped sizes, the figure that matters on a village phone link.
import { gzipSync } from 'node:zlib'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = fileURLToPath(new URL('.', import.meta.url))
const dist = join(here, 'dist')

export interface BuiltFiles { files: Array<{ file: string; bytes: number; gzipBytes: number }> }

export function buildDashboard (options: { quiet?: boolean } = {}): Promise<BuiltFiles> {
  return buildApp({ entry: join(here, 'src/main.tsx'), html: join(here, 'index.html'), dist, quiet: options.quiet })
}

/** Bundles one Preact app (the commune dashboard, the province's views) into `dist`.
 *  Never leaves a moment without a page: `npm run demo` rebuilds while a gateway (a test's, an
 *  operator's) may be serving this folder, so each file is written beside and renamed into place,
 *  index.html last, and the previous build's assets stay for the pages that loaded its index. */
export async function buildApp ({ entry, html: htmlFile, dist, quiet }: { entry: string; html: string; dist: string; quiet?: boolean }): Promise<BuiltFiles> {
  const assets = join(dist, 'assets')
  mkdirSync(assets, { recursive: true })
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: assets,
    entryNames: 'app-[hash]',
    assetNames: '[name]-[hash]',
    write: false,
    legalComments: 'none',
    logLevel: 'warning'
  })
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))
  if (!js || !css) throw new Error('the build made no JavaScript or CSS file')
  const indexFile = join(dist, 'index.html')
  const previous = existsSync(indexFile) ? assetsNamedIn(readFileSync(indexFile, 'utf8')) : []
  for (const out of result.outputFiles) writeAtomically(out.path, out.contents)
  const html = readFileSync(htmlFile, 'utf8')
    .replace('%APP_JS%', `/assets/${basename(js.path)}`)
    .replace('%APP_CSS%', `/assets/${basename(css.path)}`)
  writeAtomically(indexFile, Buffer.from(html))
  const keep = new Set([...result.outputFiles.map((f) => basename(f.path)), ...previous])
  for (const name of readdirSync(assets)) if (!keep.has(name) && !name.endsWith('.tmp')) rmSync(join(assets, name), { force: true })
  const files = [{ file: 'index.html', contents: Buffer.from(html) }, ...result.outputFiles.map((f) => ({ file: basename(f.path), contents: f.contents }))]
    .map(({ file, contents }) => ({ file, bytes: contents.length, gzipBytes: gzipSync(contents, { level: 9 }).length }))
  if (!quiet) {
    for (const f of files) console.log(`${f.file.padEnd(28)} ${(f.bytes / 1024).toFixed(1).padStart(7)} KiB   gzip ${(f.gzipBytes / 1024).toFixed(1).padStart(6)} KiB`)
    console.log(`total gzip: ${(files.reduce((n, f) => n + f.gzipBytes, 0) / 1024).toFixed(1)} KiB`)
  }
  return { files }
}

const assetsNamedIn = (html: string): string[] => [...html.matchAll(/\/assets\/([\w.-]+)/g)].map((m) => m[1] ?? '')

/** A reader sees the old file or the new one, never a half-written one. */
function writeAtomically (file: string, contents: Uint8Array): void {
  const beside = `${file}.${process.pid}.tmp`
  writeFileSync(beside, contents)
  renameSync(beside, file)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildDashboard()
