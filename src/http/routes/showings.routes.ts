import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ShowingCreateSchema, ShowingListQuerySchema } from '../../domain/showings/showings.service.ts';
import type { AppContext } from '../../services.ts';
import { inTransaction, requireAgent, scopeOf } from '../auth.ts';
import { IdParams, security } from './params.ts';

export async function showingRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const tags = ['showings'];
  const showings = ctx.services.showings;

  r.get(
    '/api/showings',
    { preHandler: auth, schema: { tags, security, summary: 'Booked viewings', querystring: ShowingListQuerySchema } },
    async (req) => showings.list(scopeOf(req), req.query),
  );
  r.post(
    '/api/showings',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Book a viewing (409 with free times when taken)', body: ShowingCreateSchema },
    },
    async (req, reply) => reply.status(201).send(await inTransaction(req, (s) => showings.schedule(s, req.body))),
  );
  r.post(
    '/api/showings/:id/cancel',
    { preHandler: auth, schema: { tags, security, summary: 'Cancel a viewing', params: IdParams } },
    async (req) => showings.cancel(scopeOf(req), req.params.id),
  );
}
