// A real Chromium (Debian's package) driven by playwright-core, and a signed-in page.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots')

/** `extraArgs`: a fake microphone, say (fakeMicrophone). */
export async function launchChromium (extraArgs: string[] = []): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', ...extraArgs]
  })
}

/** Chromium's microphone plays this WAV file (looped), and nobody is asked for permission. */
export const fakeMicrophone = (wav: string): string[] =>
  ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`]

export interface PageOptions {
  viewport?: { width: number; height: number }
  /** Called with the page before it opens anything (to watch its WebSocket, say; awaited, to route it). */
  before?: (page: Page) => void | Promise<unknown>
}

/** A fresh browser context signed in through the login form, with the page's errors so far and to come. */
export async function signIn (browser: Browser, baseUrl: string, username: string, password: string, options: PageOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, baseURL: baseUrl })
  const page = await context.newPage()
  await options.before?.(page)
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  // Not page errors: a test may hold or drop a request on purpose. Told only if the form never comes.
  const failed: string[] = []
  page.on('requestfailed', (req) => failed.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText ?? '?'}`))
  await page.goto('/')
  await page.waitForSelector('input[name=username]').catch(async (err: Error) => {
    // Say what the page showed instead of the form: a timeout alone told CI nothing.
    const shown = await page.locator('body').innerText().catch(() => '?')
    throw new Error(`${err.message}\npage showed: ${shown.slice(0, 300)}\npage errors: ${errors.join('; ') || 'none'}\nfailed requests: ${failed.join('; ') || 'none'}`)
  })
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await page.click('button[type=submit]')
  await page.waitForSelector('nav.tabs')
  return { page, errors }
}

/** A signed-in page; an error in the page while signing in fails at once. */
export async function signedInPage (browser: Browser, baseUrl: string, username: string, password: string, options: PageOptions = {}): Promise<Page> {
  const { page, errors } = await signIn(browser, baseUrl, username, password, options)
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`)
  return page
}

export async function shoot (page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
}
