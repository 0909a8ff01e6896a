import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['gateway/**/*.test.ts', 'simulators/**/*.test.ts', 'edge/**/*.test.ts', 'province/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/setup/influxd-global.ts', 'test/setup/dashboard-global.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: each file starts its own broker, databases and sometimes a gateway process.
    maxWorkers: 2
  }
})
