import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests of the admin console in Debian's Chromium (playwright-core, /usr/bin/chromium): the real
 * service on 127.0.0.1 with a fresh database, the fake Twilio and the softphone. `npm run test:e2e`.
 * Screenshots of the main pages go to test-results/e2e/.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
