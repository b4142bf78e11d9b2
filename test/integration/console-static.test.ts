import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleStatic } from '../../src/http/console.ts';

const dirs: string[] = [];
const apps: FastifyInstance[] = [];

async function serve(files: Record<string, string>): Promise<FastifyInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'console-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  const app = Fastify();
  await app.register(consoleStatic, { dir });
  apps.push(app);
  return app;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await serve({ 'index.html': '<!doctype html><div id="root"></div>', 'assets/index-abc.js': 'console.log(1)' });
});
afterAll(async () => {
  for (const a of apps) await a.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the console at /console', () => {
  it('serves the app for its pages and its hashed assets with long caching', async () => {
    expect((await app.inject('/console')).headers.location).toBe('/console/');
    expect((await app.inject('/')).headers.location).toBe('/console/');
    for (const page of ['/console/', '/console/calls/CA123', '/console/campaigns/4']) {
      const res = await app.inject(page);
      expect(res.statusCode, page).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
    const js = await app.inject('/console/assets/index-abc.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toMatch(/immutable/);
  });

  it('answers a missing asset with 404 (not the app), and says how to build when there is no build', async () => {
    expect((await app.inject('/console/assets/index-old.js')).statusCode).toBe(404);
    expect((await app.inject('/console/favicon.ico')).statusCode).toBe(404);
    const unbuilt = await serve({});
    const res = await unbuilt.inject('/console/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toMatch(/npm run build:console/);
  });
});
