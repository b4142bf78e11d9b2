import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AgentScope } from '../domain/shared/scope.ts';
import type { Em } from '../db/orm.ts';
import type { AppContext } from '../services.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Authenticated agent, set by the auth hook on protected routes. */
    agentId: number | null;
    /** This request's unit of work (a fork of the ORM's EntityManager). */
    em: Em;
  }
}

export function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}

/** Per-request EntityManager fork, plus `requireAgent` for routes that need an API key. */
export const requestContext = fp(async (app: FastifyInstance, opts: { ctx: AppContext }) => {
  app.decorateRequest('agentId', null);
  app.decorateRequest('em', null as unknown as Em);
  app.addHook('onRequest', async (req) => {
    req.em = opts.ctx.orm.em.fork();
  });
});

/** The admin console's session cookie (routes/console.routes.ts). */
export const CONSOLE_COOKIE = 'rv_console';

/** The caller's agent: an API key (Authorization: Bearer), or the console's session cookie. */
export function requireAgent(ctx: AppContext) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearerToken(req);
    const session = token ? undefined : req.cookies?.[CONSOLE_COOKIE];
    const agentId = token
      ? await ctx.services.agents.authenticate(req.em, token)
      : session
        ? await ctx.services.consoleSessions.agentOf(req.em, session)
        : null;
    if (agentId === null) {
      reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send({
          error: 'unauthorized',
          message: token
            ? 'The API key is not valid'
            : session
              ? 'The console session has ended; sign in again'
              : 'Send the API key as "Authorization: Bearer <key>"',
        });
      return;
    }
    req.agentId = agentId;
    req.log = req.log.child({ agentId });
  };
}

export function scopeOf(req: FastifyRequest): AgentScope {
  if (req.agentId === null) throw new Error('route is missing the auth hook');
  return { em: req.em, agentId: req.agentId };
}

/** Runs `fn` in one transaction on the request's unit of work, scoped to the caller. */
export function inTransaction<T>(req: FastifyRequest, fn: (scope: AgentScope) => Promise<T>): Promise<T> {
  const { em, agentId } = scopeOf(req);
  return em.transactional((tx) => fn({ em: tx, agentId }));
}
