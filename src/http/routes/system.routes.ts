import type { FastifyInstance } from 'fastify';
import { pingDb } from '../../db/orm.ts';
import type { AppContext } from '../../services.ts';

export async function systemRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.get(
    '/health',
    { schema: { tags: ['system'], summary: 'Liveness with a database ping' } },
    async (_req, reply) => {
      const started = performance.now();
      try {
        await pingDb(ctx.orm);
        return { status: 'ok', database: 'ok', db_latency_ms: Math.round((performance.now() - started) * 100) / 100 };
      } catch (err) {
        _req.log.error({ err }, 'health check failed');
        return reply.status(503).send({ status: 'degraded', database: 'unreachable' });
      }
    },
  );

  app.get('/metrics', { schema: { tags: ['system'], summary: 'Prometheus metrics' } }, async (_req, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
