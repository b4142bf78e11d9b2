import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The admin console's build: a single-page app served by the service at /console (src/http/console.ts).
 * `npm ci` builds it (prepare) and `npm start` rebuilds it when the sources are newer than the build.
 * In development, `npx vite console` proxies the API to a running `npm start`.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.CONSOLE_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: {
    proxy: { '/api': { target: api, ws: true, changeOrigin: false } },
  },
  logLevel: 'warn',
});
