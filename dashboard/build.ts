// Builds the dashboard into dist/: one JavaScript and one CSS file with content hashes
// (cached for a year by the gateway), and index.html pointing at them. No CDN: the box is
// often offline. Prints the gzipped sizes, the figure that matters on a village phone link.
import { gzipSync } from 'node:zlib'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = fileURLToPath(new URL('.', import.meta.url))
const dist = join(here, 'dist')

export interface BuiltFiles { files: Array<{ file: string; bytes: number; gzipBytes: number }> }

export function buildDashboard (options: { quiet?: boolean } = {}): Promise<BuiltFiles> {
  return buildApp({ entry: join(here, 'src/main.tsx'), html: join(here, 'index.html'), dist, quiet: options.quiet })
}

/** Bundles one Preact app (the commune dashboard, the province's views) into `dist`. */
export async function buildApp ({ entry, html: htmlFile, dist, quiet }: { entry: string; html: string; dist: string; quiet?: boolean }): Promise<BuiltFiles> {
  rmSync(dist, { recursive: true, force: true })
  mkdirSync(join(dist, 'assets'), { recursive: true })
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: join(dist, 'assets'),
    entryNames: 'app-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning'
  })
  const outputs = Object.keys(result.metafile.outputs)
  const js = outputs.find((f) => f.endsWith('.js'))
  const css = outputs.find((f) => f.endsWith('.css'))
  if (!js || !css) throw new Error('the build made no JavaScript or CSS file')
  const html = readFileSync(htmlFile, 'utf8')
    .replace('%APP_JS%', `/assets/${basename(js)}`)
    .replace('%APP_CSS%', `/assets/${basename(css)}`)
  writeFileSync(join(dist, 'index.html'), html)
  const files = [join(dist, 'index.html'), ...outputs].map((file) => {
    const bytes = readFileSync(file)
    return { file: basename(file), bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length }
  })
  if (!quiet) {
    for (const f of files) console.log(`${f.file.padEnd(28)} ${(f.bytes / 1024).toFixed(1).padStart(7)} KiB   gzip ${(f.gzipBytes / 1024).toFixed(1).padStart(6)} KiB`)
    console.log(`total gzip: ${(files.reduce((n, f) => n + f.gzipBytes, 0) / 1024).toFixed(1)} KiB`)
  }
  return { files }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildDashboard()
