import { defineConfig } from 'vitest/config';

/**
 * One database per worker (in-memory PGlite, or the PostgreSQL of DATABASE_URL, migrated once in
 * globalSetup). Test files share their worker's database (isolate: false) and keep apart by
 * creating their own agents: every row is agent-scoped.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
