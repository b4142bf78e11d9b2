import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - server: one database per worker (in-memory PGlite, or the PostgreSQL of DATABASE_URL, migrated once in
 *   globalSetup). Test files share their worker's database (isolate: false) and keep apart by creating their
 *   own agents: every row is agent-scoped.
 * - console: the admin console's components in jsdom (console/test).
 * The browser end-to-end tests (test/e2e) have their own config: vitest.e2e.config.ts.
 */
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'server',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          pool: 'forks',
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'console',
          root: 'console',
          include: ['test/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['test/setup.ts'],
          testTimeout: 15_000,
        },
      },
    ],
  },
});
