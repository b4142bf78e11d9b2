import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REHAB_TIERS } from '../../domain/underwriting/constants.ts';
import { WhatIfSchema } from '../../domain/underwriting/deals.service.ts';
import { ValuationAttributesSchema } from '../../domain/valuation/valuation.service.ts';
import type { AppContext } from '../../services.ts';
import { requireAgent, scopeOf } from '../auth.ts';
import { IdParams, security } from './params.ts';

/** Comps, valuation, MAO and the deal calculator of a property. */
export async function valuationRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const tags = ['valuation'];
  const { valuation, deals } = ctx.services;
  const asOf = z.strictObject({ as_of: z.iso.date().optional() });
  const at = (d?: string) => (d ? new Date(`${d}T00:00:00Z`) : undefined);

  r.get(
    '/api/properties/:id/valuation',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Estimate with band, confidence, comps and market metrics',
        params: IdParams,
        querystring: asOf,
      },
    },
    async (req) => valuation.valueProperty(scopeOf(req), req.params.id, at(req.query.as_of)),
  );
  r.get(
    '/api/properties/:id/comps',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Comparable sales used for the valuation',
        params: IdParams,
        querystring: asOf,
      },
    },
    async (req) => {
      const v = await valuation.valueProperty(scopeOf(req), req.params.id, at(req.query.as_of));
      return {
        property_id: v.property_id,
        as_of: v.as_of,
        comps: v.comps,
        market: v.market,
        voice_summary: v.voice_summary,
      };
    },
  );
  r.get(
    '/api/properties/:id/deal',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Deal calculator: wholesale, flip, rental, BRRRR',
        params: IdParams,
        querystring: z.strictObject({ rehab_tier: z.enum(REHAB_TIERS).optional() }),
      },
    },
    async (req) => deals.calculate(scopeOf(req), req.params.id, req.query.rehab_tier),
  );
  r.post(
    '/api/properties/:id/deal/what-if',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Re-run the deal with changes and show the differences',
        params: IdParams,
        body: WhatIfSchema,
      },
    },
    async (req) => deals.whatIf(scopeOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/properties/:id/mao',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Maximum allowable offer per strategy',
        params: IdParams,
        querystring: z.strictObject({ rehab_tier: z.enum(REHAB_TIERS).default('medium') }),
      },
    },
    async (req) => deals.mao(scopeOf(req), req.params.id, req.query.rehab_tier),
  );
  r.post(
    '/api/valuations',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Value raw attributes against a market’s recorded sales (no property needed)',
        body: ValuationAttributesSchema,
      },
    },
    async (req) => valuation.valueAttributes(req.em, req.body),
  );
}
