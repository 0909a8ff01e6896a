// One influxd for the whole test run; each test file uses its own database in it.
// Tests that stop InfluxDB start their own (test/support/influxd.ts).
import 'vitest'
import type { TestProject } from 'vitest/node'
import { startInfluxd } from '../support/influxd.js'

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string
  }
}

export default async function setup (project: TestProject): Promise<() => Promise<void>> {
  const influxd = await startInfluxd()
  project.provide('influxUrl', influxd.url)
  return () => influxd.destroy()
}
