// The browser tests need the built dashboard: build it once per test run.
import { buildDashboard } from '../../dashboard/build.js'

export default async function setup (): Promise<void> {
  await buildDashboard({ quiet: true })
}
