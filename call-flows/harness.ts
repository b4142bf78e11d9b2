/**
 * A call server for executable call flows: the real app on 127.0.0.1 (free port), a fresh database
 * (in-memory PGlite, or DATABASE_URL), a random Twilio auth token, short silence timings, the local brain.
 * `newLine()` gives each flow its own agent (line number, transfer number, demo listings, API key).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { createLogger } from '../src/log.ts';
import { seedListings } from '../src/seed/demo.ts';
import { buildContext, type AppContext } from '../src/services.ts';

export interface CallServer {
  base: string;
  authToken: string;
  ctx: AppContext;
  app: FastifyInstance;
  close(): Promise<void>;
}

export interface FlowLine {
  agentId: number;
  apiKey: string;
  /** The agent's line (what the caller dials). */
  line: string;
  /** Where transfers ring. */
  mobile: string;
}

export type ContextOptions = NonNullable<Parameters<typeof buildContext>[2]>;

/**
 * A context of its own with `settings` over the test defaults: in-memory PGlite (or the PostgreSQL of
 * DATABASE_URL), logs silent unless TEST_LOG_LEVEL, no job engine unless `opts.jobs`.
 */
export function ownContext(settings: Record<string, string | undefined> = {}, opts: ContextOptions = {}) {
  const level = process.env.TEST_LOG_LEVEL ?? 'silent';
  return buildContext(
    loadConfig({ DATABASE_URL: process.env.DATABASE_URL, PGLITE_DIR: ':memory:', LOG_LEVEL: level, ...settings }),
    createLogger({ level }),
    { jobs: false, ...opts },
  );
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startCallServer(
  settings: Record<string, string> = {},
  opts: Pick<ContextOptions, 'speech'> = {},
): Promise<CallServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const authToken = randomBytes(16).toString('hex');
  const ctx = await ownContext(
    {
      TWILIO_AUTH_TOKEN: authToken,
      PUBLIC_URL: base,
      CALL_SILENCE_MS: '1200',
      CALL_SPEECH_MS_PER_WORD: '5',
      ...settings,
    },
    opts,
  );
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port });
  return {
    base,
    authToken,
    ctx,
    app,
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

const randomDigits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');

/** A fresh agent "Dana Reyes" in Austin with the demo listings, a line and a transfer number. */
export async function newLine(ctx: AppContext): Promise<FlowLine> {
  const line = `+1512${2 + Math.floor(Math.random() * 7)}${randomDigits(6)}`;
  const mobile = `+1737${2 + Math.floor(Math.random() * 7)}${randomDigits(6)}`;
  const { agent, apiKey } = await ctx.services.agents.create(ctx.orm.em.fork(), {
    name: 'Dana Reyes',
    email: `flow-${randomBytes(6).toString('hex')}@flows.example`,
    brokerageName: 'Hill Country Homes',
    timezone: 'America/Chicago',
    mobilePhone: mobile,
    lineNumbers: [line],
  });
  await seedListings(ctx, agent.id);
  return { agentId: agent.id, apiKey, line, mobile };
}
