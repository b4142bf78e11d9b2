import { createHash, randomBytes } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { Agent } from '../agents/agent.entity.ts';

/**
 * Sessions of the admin console in the browser: the agent signs in with an API key once and gets a random session
 * token (kept only as its SHA-256 here) for an HttpOnly cookie. A session expires; signing out ends it at once.
 */
export const ConsoleSession = defineEntity({
  name: 'ConsoleSession',
  tableName: 'console_sessions',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    endedAt: p.datetime().nullable(),
  },
});
export type IConsoleSession = InferEntity<typeof ConsoleSession>;

/** How long a console session lasts. */
export const CONSOLE_SESSION_MS = 12 * 3_600_000;

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

export class ConsoleSessionsService {
  /** A new session of `agentId`; the token is returned once (for the cookie). */
  async start(em: SqlEntityManager, agentId: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + CONSOLE_SESSION_MS);
    await em.insert(ConsoleSession, { agent: agentId, tokenHash: hash(token), createdAt: now, expiresAt });
    return { token, expiresAt };
  }

  /** The agent of a live session, or null (unknown, expired or ended). */
  async agentOf(em: SqlEntityManager, token: string, now = new Date()): Promise<number | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const row = await em.findOne(
      ConsoleSession,
      { tokenHash: hash(token), endedAt: null, expiresAt: { $gt: now } },
      { fields: ['id', 'agent'] },
    );
    return row ? row.agent.id : null;
  }

  /** Signs out: the session ends now. */
  async end(em: SqlEntityManager, token: string, now = new Date()): Promise<void> {
    await em.nativeUpdate(ConsoleSession, { tokenHash: hash(token), endedAt: null }, { endedAt: now });
  }
}
