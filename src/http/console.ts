import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the admin console (a single-page app built by Vite into CONSOLE_DIR) at /console. Files are served as
 * built (hashed assets cached for a year, index.html never cached); any other /console/… path is a page of the
 * app and gets index.html. The console uses only the public API under /api, authenticated by its session cookie.
 */
export async function consoleStatic(app: FastifyInstance, { dir }: { dir: string }): Promise<void> {
  const root = resolve(dir);
  const built = (): boolean => existsSync(resolve(root, 'index.html'));

  app.get('/console', { schema: { hide: true } }, (_req, reply) => reply.redirect('/console/', 302));
  app.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/console/', 302));

  await app.register(fastifyStatic, {
    root,
    prefix: '/console/',
    wildcard: false,
    index: false,
    serve: true,
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  app.get('/console/*', { schema: { hide: true } }, async (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    if (!built()) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built. Run `npm ci` (or `npm run build:console`), or start with `npm start`.');
    }
    // A missing asset is a 404, not the app: a stale page asking for old hashed files should fail plainly.
    if (path.startsWith('assets/') || /\.[a-z0-9]+$/i.test(path)) {
      return reply.status(404).send({ error: 'not_found', message: `No console file ${path}` });
    }
    return reply
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .sendFile('index.html');
  });
}
