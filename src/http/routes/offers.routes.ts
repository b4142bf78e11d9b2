import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OfferAnalyzeSchema } from '../../domain/offers/offer-analysis.service.ts';
import { OfferCounterSchema, OfferCreateSchema } from '../../domain/offers/offers.service.ts';
import type { AppContext } from '../../services.ts';
import { inTransaction, requireAgent, scopeOf } from '../auth.ts';
import { IdParams, security } from './params.ts';

export async function offerRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const offers = ctx.services.offers;
  const tags = ['offers'];

  r.get(
    '/api/properties/:id/offers',
    { preHandler: auth, schema: { tags, security, summary: 'Offers on a property', params: IdParams } },
    async (req) => offers.list(scopeOf(req), req.params.id),
  );
  r.post(
    '/api/properties/:id/offers',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Record an offer (MAO snapshot taken)',
        params: IdParams,
        body: OfferCreateSchema,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await inTransaction(req, (s) => offers.create(s, req.params.id, req.body))),
  );
  r.post(
    '/api/properties/:id/offers/analyze',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Analyse an offer: acceptance probability, recommendation, counter strategy',
        params: IdParams,
        body: OfferAnalyzeSchema,
      },
    },
    async (req) => ctx.services.offerAnalysis.analyze(scopeOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/properties/:id/offers/suggested-price',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Suggested offer price with a range',
        params: IdParams,
        querystring: z.strictObject({ aggressiveness: z.enum(['conservative', 'moderate', 'aggressive']).optional() }),
      },
    },
    async (req) => ctx.services.offerAnalysis.suggestPrice(scopeOf(req), req.params.id, req.query.aggressiveness),
  );
  r.get(
    '/api/offers/:id/chain',
    { preHandler: auth, schema: { tags, security, summary: 'The counter chain of an offer', params: IdParams } },
    async (req) => offers.chain(scopeOf(req), req.params.id),
  );
  r.post(
    '/api/offers/:id/counter',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Counter an offer', params: IdParams, body: OfferCounterSchema },
    },
    async (req, reply) =>
      reply.status(201).send(await inTransaction(req, (s) => offers.counter(s, req.params.id, req.body))),
  );
  r.post(
    '/api/offers/:id/accept',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Accept (competing offers are rejected; property waits for contracts)',
        params: IdParams,
      },
    },
    async (req) => inTransaction(req, (s) => offers.accept(s, req.params.id)),
  );
  r.post(
    '/api/offers/:id/reject',
    { preHandler: auth, schema: { tags, security, summary: 'Reject an offer', params: IdParams } },
    async (req) => inTransaction(req, (s) => offers.respond(s, req.params.id, 'rejected')),
  );
  r.post(
    '/api/offers/:id/withdraw',
    { preHandler: auth, schema: { tags, security, summary: 'Withdraw an offer', params: IdParams } },
    async (req) => inTransaction(req, (s) => offers.respond(s, req.params.id, 'withdrawn')),
  );
  r.post(
    '/api/offers/:id/counter-letter',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Counter-offer letter (complete template letter)',
        params: IdParams,
        body: z
          .strictObject({
            counter_price: z.number().positive().max(10_000_000_000).optional(),
            valid_days: z.number().int().min(1).max(30).default(2),
          })
          .default({ valid_days: 2 }),
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const agent = await ctx.services.agents.get(scope.em, scope.agentId);
      return ctx.services.offerAnalysis.counterLetter(scope, req.params.id, {
        senderName: agent.name,
        brokerage: agent.brokerage_name,
        ...(req.body.counter_price ? { counterPrice: req.body.counter_price } : {}),
        validDays: req.body.valid_days,
      });
    },
  );
}
