// The dashboard ships to phones over a village's link: it imports from the gateway only the
// plain tables it shares (words, kinds, roles), never the contract's zod schemas, which would
// add about 450 KB (issue #22's tokens page once pulled them in through contract/index.ts).
import { join } from 'node:path'
import { build } from 'esbuild'
import { expect, test } from 'vitest'

test('the dashboard bundle holds no zod: the gateway is imported through its plain tables only', async () => {
  const result = await build({
    entryPoints: [join(import.meta.dirname, '../../dashboard/src/main.tsx')],
    bundle: true, write: false, metafile: true, outdir: 'unused', format: 'esm', jsx: 'automatic', jsxImportSource: 'preact', logLevel: 'silent'
  })
  const inputs = Object.keys(result.metafile.inputs)
  const importers = Object.entries(result.metafile.inputs)
    .filter(([file, input]) => !file.includes('node_modules') && input.imports.some((i) => i.path.includes('node_modules/zod/')))
    .map(([file]) => file)
  expect(inputs.filter((file) => file.includes('node_modules/zod/')).length, `zod reached the dashboard through ${importers.join(', ')}`).toBe(0)
})
