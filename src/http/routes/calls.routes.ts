import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CallListQuerySchema } from '../../domain/calls/calls.service.ts';
import type { AppContext } from '../../services.ts';
import { requireAgent, scopeOf } from '../auth.ts';
import { openEventStream } from '../sse.ts';
import { security } from './params.ts';

const CallSidParams = z.object({ callSid: z.string().min(1).max(64) });
const EventsQuery = z.strictObject({ call_sid: z.string().min(1).max(64).optional() });

export async function callRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const tags = ['calls'];

  r.get(
    '/api/calls',
    { preHandler: auth, schema: { tags, security, summary: 'Calls, newest first', querystring: CallListQuerySchema } },
    async (req) => ctx.services.callHistory.list(scopeOf(req), req.query),
  );
  r.get(
    '/api/calls/events',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Live call events: started, state, turn, tool, ended (server-sent events; all calls or one call_sid)',
        querystring: EventsQuery,
      },
    },
    (req, reply) => {
      const { agentId } = scopeOf(req);
      const only = req.query.call_sid;
      openEventStream(req, reply, (stream) =>
        ctx.callEvents.subscribeAgent(agentId, (e) => {
          if (!only || e.callSid === only) stream.send(e.type, e);
        }),
      );
    },
  );
  r.get(
    '/api/calls/:callSid',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'A call with its transcript and tool calls', params: CallSidParams },
    },
    async (req) => ctx.services.callHistory.get(scopeOf(req), req.params.callSid),
  );
}
