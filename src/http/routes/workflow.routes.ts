import { openEventStream } from '../sse.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotificationListQuerySchema } from '../../domain/notifications/notifications.service.ts';
import { EnrichmentInputSchema, SkipTraceInputSchema } from '../../domain/research/research.service.ts';
import type { AppContext } from '../../services.ts';
import { inTransaction, requireAgent, scopeOf } from '../auth.ts';
import { IdParams, security } from './params.ts';

/** Notifications (with a live SSE stream), market data and skip traces, the pipeline check. */
export async function workflowRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const { notifications, research, pipeline } = ctx.services;

  r.get(
    '/api/notifications',
    {
      preHandler: auth,
      schema: {
        tags: ['notifications'],
        security,
        summary: 'Notifications, newest first',
        querystring: NotificationListQuerySchema,
      },
    },
    async (req) => notifications.list(scopeOf(req), req.query),
  );
  r.get(
    '/api/notifications/counts',
    { preHandler: auth, schema: { tags: ['notifications'], security, summary: 'Unread and urgent counts' } },
    async (req) => notifications.counts(scopeOf(req)),
  );
  r.post(
    '/api/notifications/read',
    {
      preHandler: auth,
      schema: {
        tags: ['notifications'],
        security,
        summary: 'Mark notifications read (ids, or all: true)',
        body: z.union([
          z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500) }),
          z.strictObject({ all: z.literal(true) }),
        ]),
      },
    },
    async (req) => ({ marked: await notifications.markRead(scopeOf(req), 'all' in req.body ? 'all' : req.body.ids) }),
  );
  r.post(
    '/api/notifications/:id/dismiss',
    {
      preHandler: auth,
      schema: { tags: ['notifications'], security, summary: 'Dismiss a notification', params: IdParams },
    },
    async (req) => notifications.dismiss(scopeOf(req), req.params.id),
  );
  r.get(
    '/api/notifications/stream',
    {
      preHandler: auth,
      schema: { tags: ['notifications'], security, summary: 'Live notifications (server-sent events)' },
    },
    (req, reply) => {
      const { agentId } = scopeOf(req);
      openEventStream(req, reply, (stream) => ctx.bus.subscribe(agentId, (n) => stream.send('notification', n, n.id)));
    },
  );

  r.post(
    '/api/properties/:id/enrichment',
    {
      preHandler: auth,
      schema: {
        tags: ['research'],
        security,
        summary: 'Record market data for a property',
        params: IdParams,
        body: EnrichmentInputSchema,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await research.recordEnrichment(scopeOf(req), req.params.id, req.body)),
  );
  r.get(
    '/api/properties/:id/enrichment',
    { preHandler: auth, schema: { tags: ['research'], security, summary: 'Latest market data', params: IdParams } },
    async (req, reply) => {
      const row = await research.latestEnrichment(scopeOf(req), req.params.id);
      return (
        row ??
        reply.status(404).send({ error: 'not_found', message: `Property ${req.params.id} has no market data yet` })
      );
    },
  );
  r.post(
    '/api/properties/:id/skip-trace',
    {
      preHandler: auth,
      schema: {
        tags: ['research'],
        security,
        summary: 'Record owner contact data',
        params: IdParams,
        body: SkipTraceInputSchema,
      },
    },
    async (req, reply) => reply.status(201).send(await research.recordSkipTrace(scopeOf(req), req.params.id, req.body)),
  );
  r.get(
    '/api/properties/:id/skip-trace',
    { preHandler: auth, schema: { tags: ['research'], security, summary: 'Latest skip trace', params: IdParams } },
    async (req, reply) => {
      const row = await research.latestSkipTrace(scopeOf(req), req.params.id);
      return (
        row ??
        reply.status(404).send({ error: 'not_found', message: `Property ${req.params.id} has no skip trace yet` })
      );
    },
  );

  r.post(
    '/api/pipeline/check',
    {
      preHandler: auth,
      schema: {
        tags: ['pipeline'],
        security,
        summary: 'Advance properties whose facts allow the next stage (also runs every 5 minutes)',
        body: z.strictObject({ property_ids: z.array(z.number().int().positive()).max(1000).optional() }).default({}),
      },
    },
    async (req) => inTransaction(req, (scope) => pipeline.check(scope, new Date(), req.body.property_ids)),
  );
}
