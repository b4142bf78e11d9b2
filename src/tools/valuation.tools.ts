import { z } from 'zod';
import { REHAB_TIERS } from '../domain/underwriting/constants.ts';
import { propertyRefShape, resolveProperty } from './property-ref.ts';
import { defineTool } from './registry.ts';

export const valueProperty = defineTool({
  name: 'value_property',
  title: 'Value a property',
  description: 'Estimate what a property is worth from recorded nearby sales, with a range and confidence.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const v = await ctx.services.valuation.valueProperty(ctx.scope, property.id);
    return { data: v, voice_summary: v.voice_summary, property_id: property.id };
  },
});

export const getComps = defineTool({
  name: 'get_comps',
  title: 'Comparable sales',
  description: 'The similar homes that sold nearby and what they sold for.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const v = await ctx.services.valuation.valueProperty(ctx.scope, property.id);
    return {
      data: { comps: v.comps, market: v.market, as_of: v.as_of },
      voice_summary: v.voice_summary,
      property_id: property.id,
    };
  },
});

export const calculateDealTool = defineTool({
  name: 'calculate_deal',
  title: 'Deal calculator',
  description: 'Wholesale, flip, rental and BRRRR numbers for a property, with grades and the recommended strategy.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape, rehab_tier: z.enum(REHAB_TIERS).optional() }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const d = await ctx.services.deals.calculate(ctx.scope, property.id, input.rehab_tier);
    return { data: d, voice_summary: d.voice_summary, property_id: property.id };
  },
});

export const calculateMao = defineTool({
  name: 'calculate_mao',
  title: 'Maximum allowable offer',
  description: 'The most to offer for a property as a wholesale, flip or rental deal.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape, rehab_tier: z.enum(REHAB_TIERS).default('medium') }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const m = await ctx.services.deals.mao(ctx.scope, property.id, input.rehab_tier);
    return { data: m, voice_summary: m.voice_summary, property_id: property.id };
  },
});

export const whatIfDeal = defineTool({
  name: 'what_if_deal',
  title: 'What if',
  description: 'Re-run the deal numbers with changes ("what if we pay 400 thousand at 6 percent?").',
  readOnly: true,
  input: z.strictObject({
    ...propertyRefShape,
    price: z.number().positive().optional(),
    arv: z.number().positive().optional(),
    rent: z.number().nonnegative().optional(),
    rehab_tier: z.enum(REHAB_TIERS).optional(),
    rehab_amount: z.number().nonnegative().optional(),
    use_financing: z.boolean().optional(),
    interest_rate: z.number().min(0).max(1).optional(),
    down_payment_pct: z.number().min(0).max(1).optional(),
  }),
  async run(ctx, input) {
    const { property_id: _id, property: _p, ...overrides } = input;
    const property = await resolveProperty(ctx, input);
    const w = await ctx.services.deals.whatIf(ctx.scope, property.id, overrides);
    return { data: w, voice_summary: w.voice_summary, property_id: property.id };
  },
});

export const valuationTools = [valueProperty, getComps, calculateDealTool, calculateMao, whatIfDeal];
