import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../src/domain/console/console-session.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, type TestAgent } from '../helpers/context.ts';

let ctx: AppContext;
let app: FastifyInstance;
let a: TestAgent;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  a = await newAgent(ctx);
});

const cookieOf = (setCookie: string | string[] | undefined): string => {
  const header = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
  return header.split(';')[0]!;
};

describe('console sign-in (an API key for a session cookie)', () => {
  it('sets an HttpOnly, SameSite=Strict, expiring cookie that authenticates the public API; sign-out ends it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/console/session', payload: { api_key: a.apiKey } });
    expect(res.statusCode).toBe(204);
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^rv_console=[A-Za-z0-9_-]{43};/);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Expires=/);
    const cookie = cookieOf(res.headers['set-cookie']);

    const me = await app.inject({ url: '/api/console/session', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ agent_id: a.agentId });
    // The same public API as the key, scoped to the agent.
    expect((await app.inject({ url: '/api/properties', headers: { cookie } })).statusCode).toBe(200);

    const out = await app.inject({ method: 'DELETE', url: '/api/console/session', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/rv_console=;/);
    const after = await app.inject({ url: '/api/properties', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toMatch(/session has ended/);
  });

  it('refuses a wrong key, a forged cookie and an expired session; the token is stored only hashed', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/console/session', payload: { api_key: 'rk_nope' } });
    expect(bad.statusCode).toBe(401);
    const empty = await app.inject({ method: 'POST', url: '/api/console/session', payload: {} });
    expect(empty.statusCode).toBe(400);
    const forged = await app.inject({
      url: '/api/properties',
      headers: { cookie: 'rv_console=abcdefghijklmnopqrstuvwxyz0123' },
    });
    expect(forged.statusCode).toBe(401);

    const { token } = await ctx.services.consoleSessions.start(
      ctx.orm.em.fork(),
      a.agentId,
      new Date('2026-01-01T00:00:00Z'),
    );
    expect((await app.inject({ url: '/api/properties', headers: { cookie: `rv_console=${token}` } })).statusCode).toBe(
      401,
    );
    const rows = await ctx.orm.em.fork().find(ConsoleSession, { agent: a.agentId });
    expect(rows.every((r) => r.tokenHash.length === 64 && r.tokenHash !== token)).toBe(true);
  });
});
