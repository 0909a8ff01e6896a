// Builds the province's views into province/web/dist, as the commune dashboard is built.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp, type BuiltFiles } from '../../dashboard/build.js'

const here = fileURLToPath(new URL('.', import.meta.url))

export function buildProvinceWeb (options: { quiet?: boolean } = {}): Promise<BuiltFiles> {
  return buildApp({ entry: join(here, 'ui/main.tsx'), html: join(here, 'index.html'), dist: join(here, 'dist'), quiet: options.quiet })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildProvinceWeb()
