import { z } from 'zod';
import { NotFoundError, ValidationError } from '../errors.ts';
import { Property, type IProperty } from '../properties/property.entity.ts';
import { PropertyEnrichment } from '../research/research.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import { REHAB_TIERS, STRATEGIES, type RehabTier, type Strategy } from './constants.ts';
import { calculateDeal, whatIf, type DealInput, type DealResult, type WhatIfResult } from './deal-calculator.ts';
import { maoFor, rehabEstimate, resolveArv, resolveRent, resolveSqft, type MaoResult } from './valuation.ts';

/** ARV from the valuation engine (comps of recorded sales), when it can value the property. */
export type ArvSource = (
  scope: AgentScope,
  property: IProperty,
) => Promise<{ base: number; low: number; high: number } | null>;

export const WhatIfSchema = z.strictObject({
  price: z.number().positive().max(10_000_000_000).optional(),
  arv: z.number().positive().max(10_000_000_000).optional(),
  rent: z.number().nonnegative().max(10_000_000).optional(),
  sqft: z.number().int().positive().max(10_000_000).optional(),
  rehab_tier: z.enum(REHAB_TIERS).optional(),
  rehab_amount: z.number().nonnegative().max(1_000_000_000).optional(),
  use_financing: z.boolean().optional(),
  interest_rate: z.number().min(0).max(1).optional(),
  down_payment_pct: z.number().min(0).max(1).optional(),
  loan_term_years: z.number().int().min(1).max(50).optional(),
});

/** The deal calculator and MAO over a property's own data (underwriting → Zestimate → list price chains). */
export class DealsService {
  constructor(private readonly arvSource: ArvSource | null = null) {}

  async input(scope: AgentScope, propertyId: number, rehabTier?: RehabTier): Promise<DealInput> {
    const p = await scope.em.findOne(Property, { id: propertyId, agent: scope.agentId });
    if (!p) throw new NotFoundError('Property', propertyId);
    const e = await scope.em.findOne(
      PropertyEnrichment,
      { agent: scope.agentId, property: propertyId },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    const valued = this.arvSource ? await this.arvSource(scope, p) : null;
    return {
      address: p.address,
      list_price: p.price ?? null,
      square_feet: p.squareFeet ?? null,
      zillow_living_area: e?.livingArea ?? null,
      zestimate: e?.zestimate ?? null,
      rent_zestimate: e?.rentZestimate ?? null,
      underwriting: valued ? { arv_base: valued.base, rent_base: null } : null,
      ...(rehabTier ? { rehab_tier: rehabTier } : {}),
    };
  }

  async calculate(scope: AgentScope, propertyId: number, rehabTier?: RehabTier): Promise<DealResult> {
    return calculateDeal(await this.input(scope, propertyId, rehabTier));
  }

  async whatIf(scope: AgentScope, propertyId: number, overrides: z.input<typeof WhatIfSchema>): Promise<WhatIfResult> {
    const o = WhatIfSchema.parse(overrides);
    if (Object.keys(o).length === 0)
      throw new ValidationError('give at least one thing to change', { field: 'overrides' });
    return whatIf(await this.input(scope, propertyId), o);
  }

  /** Maximum allowable offer per strategy (wholesale, flip, rental) for a rehab tier. */
  async mao(
    scope: AgentScope,
    propertyId: number,
    tier: RehabTier = 'medium',
  ): Promise<{ arv: number; arv_source: string; results: MaoResult[]; voice_summary: string }> {
    const input = await this.input(scope, propertyId, tier);
    const arv = resolveArv({
      underwriting: input.underwriting?.arv_base,
      zestimate: input.zestimate,
      list_price: input.list_price,
    });
    if (arv.value === null)
      throw new ValidationError('No ARV: record market data or a list price first', { field: 'arv' });
    const rent = resolveRent({ rent_zestimate: input.rent_zestimate });
    const sqft = resolveSqft({ property: input.square_feet, zillow_living_area: input.zillow_living_area });
    const rehab = rehabEstimate(sqft.value, tier);
    const results = (STRATEGIES.filter((s) => s !== 'brrrr') as Strategy[]).map((s) =>
      maoFor(s, { arv: arv.value!, rehab, ...(rent.value !== null ? { rent: rent.value } : {}) }),
    );
    const said = results.map((r) => `${r.strategy} $${Math.round(r.mao).toLocaleString('en-US')}`).join(', ');
    return {
      arv: arv.value,
      arv_source: arv.source,
      results,
      voice_summary: `With an after-repair value of $${Math.round(arv.value).toLocaleString('en-US')} and ${tier} repairs, the maximum offers are: ${said}.`,
    };
  }
}
