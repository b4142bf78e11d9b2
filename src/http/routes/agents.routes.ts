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

const PinBody = z.strictObject({
  pin: z
    .string({ error: 'must be a string of digits, like "4821"' })
    .regex(/^\d{4,8}$/, { error: 'must be 4 to 8 digits (0-9 only)' })
    .describe('Voice PIN, 4 to 8 digits; not one repeated digit, not a run like 1234'),
});

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

  r.put(
    '/api/agents/me/pin',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Set or change the voice PIN (used when calling in from the registered mobile)',
        body: PinBody,
      },
    },
    async (req, reply) => {
      await ctx.services.agents.setPin(scopeOf(req), req.body.pin);
      return reply.status(204).send();
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
