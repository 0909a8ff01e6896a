// CLI mistakes print a clear message and the usage, not a stack trace (issue #15).
import { afterEach, expect, test, vi } from 'vitest'
import { run } from './cli.js'

afterEach(() => { vi.restoreAllMocks() })

test('--help prints the usage and succeeds; an unknown option is named in one line that points to --help, and fails with 2, no stack', async () => {
  const out = vi.spyOn(console, 'log').mockImplementation(() => undefined)
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined)
  expect(await run(['--help'])).toBe(0)
  expect(String(out.mock.calls[0]![0])).toMatch(/^usage: npm run gateway -- device\|user/)
  expect(await run(['device', 'list', '--bogus'])).toBe(2)
  const said = String(err.mock.calls[0]![0])
  expect(said).toBe("Unknown option '--bogus'. See: npm run gateway -- --help")
  expect(said).not.toMatch(/\bat \w|node:internal|ERR_PARSE_ARGS/)
})
