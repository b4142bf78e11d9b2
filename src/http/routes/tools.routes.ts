import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../services.ts';
import { requireAgent, scopeOf } from '../auth.ts';
import { security } from './params.ts';

/** The tool registry over REST: list the tools, and run one as a person would from the console. */
export async function toolRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const tags = ['tools'];

  r.get('/api/tools', { preHandler: auth, schema: { tags, security, summary: 'The shared tool registry' } }, async () =>
    ctx.tools.list().map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      read_only: t.readOnly ?? false,
      input_schema: z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }),
    })),
  );

  r.post(
    '/api/tools/:name',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Invoke a tool (logged to the activity history like any tool call)',
        params: z.strictObject({ name: z.string().regex(/^[a-z_]{1,64}$/) }),
        headers: z.object({ 'x-session-id': z.string().max(90).optional() }),
        body: z.record(z.string(), z.unknown()).default({}),
      },
    },
    async (req, reply) => {
      const { agentId } = scopeOf(req);
      const tool = ctx.tools.get(req.params.name);
      if (!tool)
        return reply.status(404).send({ error: 'unknown_tool', message: `There is no tool named ${req.params.name}` });
      const session = req.headers['x-session-id'];
      const outcome = await ctx.tools.invoke(tool.name, req.body, {
        agentId,
        sessionId: session ? `rest:${session}` : `rest:agent-${agentId}`,
        source: 'rest',
      });
      if (!outcome.ok) {
        return reply
          .status(outcome.error.status)
          .send({ error: outcome.error.code, message: outcome.error.message, details: outcome.error.details });
      }
      return { ...outcome.result, duration_ms: Math.round(outcome.durationMs * 100) / 100 };
    },
  );
}
