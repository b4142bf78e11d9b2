import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../services.ts';
import { requireAgent, scopeOf } from '../auth.ts';
import { security } from './params.ts';

const AgentPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    brokerage_name: z.string().trim().max(200).nullable(),
    timezone: z.string().min(1).max(64).describe('IANA time zone, e.g. America/Chicago'),
    mobile_phone: z.string().max(40).nullable(),
    line_numbers: z.array(z.string().max(40)).max(20).describe('Numbers that ring this agent’s line'),
    digest_time: z.string().max(5).describe('Local time of the daily digest, HH:MM'),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one field to change is required' });

export async function agentRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const tags = ['agents'];

  r.get(
    '/api/agents/me',
    { preHandler: auth, schema: { tags, security, summary: 'The calling agent' } },
    async (req) => {
      const { em, agentId } = scopeOf(req);
      return ctx.services.agents.get(em, agentId);
    },
  );

  r.patch(
    '/api/agents/me',
    { preHandler: auth, schema: { tags, security, summary: 'Edit the calling agent', body: AgentPatch } },
    async (req) => {
      const { em, agentId } = scopeOf(req);
      const b = req.body;
      return ctx.services.agents.update(em, agentId, {
        name: b.name,
        email: b.email,
        brokerageName: b.brokerage_name,
        timezone: b.timezone,
        mobilePhone: b.mobile_phone,
        lineNumbers: b.line_numbers,
        digestTime: b.digest_time,
      });
    },
  );

  r.post(
    '/api/agents/me/api-keys',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Issue another API key (shown once)',
        body: z
          .strictObject({ label: z.string().trim().min(1).max(100).default('default') })
          .default({ label: 'default' }),
      },
    },
    async (req, reply) => {
      const { em, agentId } = scopeOf(req);
      const key = await ctx.services.agents.issueKey(em, agentId, req.body.label);
      return reply.status(201).send({ api_key: key, label: req.body.label });
    },
  );
}
