import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../services.ts';
import { CONSOLE_COOKIE, requireAgent, scopeOf } from '../auth.ts';
import { security } from './params.ts';

const SignIn = z.strictObject({ api_key: z.string().trim().min(1).max(200) });

/**
 * Sign-in for the admin console in the browser: an API key is exchanged once for a session cookie (HttpOnly,
 * SameSite=Strict, Secure behind https, expiring), which then authenticates the same public API as the key.
 */
export async function consoleRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['console'];
  const secure = ctx.config.publicUrl.startsWith('https:');
  const sessions = ctx.services.consoleSessions;

  const clear = (reply: FastifyReply) =>
    reply.clearCookie(CONSOLE_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure });

  r.post(
    '/api/console/session',
    { schema: { tags, summary: 'Sign in to the console: an API key for a session cookie', body: SignIn } },
    async (req, reply) => {
      const agentId = await ctx.services.agents.authenticate(req.em, req.body.api_key);
      if (agentId === null) {
        return reply.status(401).send({ error: 'unauthorized', message: 'The API key is not valid' });
      }
      const { token, expiresAt } = await sessions.start(req.em, agentId);
      reply.setCookie(CONSOLE_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure,
        expires: expiresAt,
      });
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/console/session',
    { preHandler: requireAgent(ctx), schema: { tags, security, summary: 'Who is signed in' } },
    async (req) => {
      const s = scopeOf(req);
      const agent = await ctx.services.agents.get(s.em, s.agentId);
      return { agent_id: agent.id, name: agent.name, brokerage: agent.brokerage_name };
    },
  );

  r.delete('/api/console/session', { schema: { tags, summary: 'Sign out of the console' } }, async (req, reply) => {
    const token = req.cookies[CONSOLE_COOKIE];
    if (token) await sessions.end(req.em, token);
    clear(reply);
    return reply.status(204).send();
  });
}
