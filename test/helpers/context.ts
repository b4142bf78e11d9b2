import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ownContext } from '../../call-flows/harness.ts';
import type { AgentScope } from '../../src/domain/shared/scope.ts';
import { buildApp } from '../../src/http/app.ts';
import type { AppContext } from '../../src/services.ts';

let shared: Promise<AppContext> | undefined;
let sharedApp: Promise<FastifyInstance> | undefined;

/** The worker's context: in-memory PGlite, or PostgreSQL when DATABASE_URL is set. */
export function testContext(): Promise<AppContext> {
  shared ??= ownContext();
  return shared;
}

export function testApp(): Promise<FastifyInstance> {
  sharedApp ??= testContext().then(async (ctx) => {
    const app = await buildApp(ctx);
    await app.ready();
    return app;
  });
  return sharedApp;
}

export interface TestAgent {
  agentId: number;
  apiKey: string;
  headers: { authorization: string };
  scope(): AgentScope;
}

/** A fresh agent (tenant) with its own API key. */
export async function newAgent(ctx: AppContext, overrides: { name?: string; email?: string } = {}): Promise<TestAgent> {
  const { agent, apiKey } = await ctx.services.agents.create(ctx.orm.em.fork(), {
    name: overrides.name ?? 'Test Agent',
    email: overrides.email ?? `agent-${randomUUID()}@test.example`,
    timezone: 'America/Chicago',
  });
  return {
    agentId: agent.id,
    apiKey,
    headers: { authorization: `Bearer ${apiKey}` },
    scope: () => ({ em: ctx.orm.em.fork(), agentId: agent.id }),
  };
}

/** A separate app over the worker's context, listening on a real socket (127.0.0.1, free port). */
export async function listeningApp(): Promise<{ base: string; close(): Promise<void> }> {
  const app = await buildApp(await testContext());
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, close: () => app.close() };
}

/** A valid US number no other test run has used (tests on a reused PostgreSQL keep old rows). */
export function uniquePhone(): string {
  const exchange = 200 + Math.floor(Math.random() * 700);
  const line = String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
  return `+1512${exchange}${line}`;
}
