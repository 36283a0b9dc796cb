import { defineConfig } from '@playwright/test';

// Debian's Chromium drives the built renderer; the test process hosts the real core services
// behind the same IPC contract the preload exposes (ARCHITECTURE.md "The e2e harness").
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    },
    viewport: { width: 1440, height: 900 },
  },
});
